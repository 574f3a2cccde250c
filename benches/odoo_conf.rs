//! odoo.conf parser throughput: a realistic full config (what `odoo --save` writes) and a
//! large generated one (100 000 keys in 1 000 sections, with comments and continuation
//! lines).

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use ipai::formats::odoo_conf::parse;
use ipai::source::SourceFile;

fn main() {
    divan::main();
}

const REALISTIC: &str = include_str!("../fixtures/parsers/odoo_conf/odoo_save_output.conf");

/// 1 000 sections of 100 keys; every tenth key has a comment above it and every 25th a
/// continuation line. The same text is easy to rebuild in Python to time `configparser`.
fn generated() -> String {
    let mut text = String::with_capacity(4 << 20);
    for section in 0..1_000 {
        text.push_str(&format!("[section_{section}]\n"));
        for key in 0..100 {
            if key % 10 == 0 {
                text.push_str(&format!("; comment {key}\n"));
            }
            text.push_str(&format!(
                "option_{key} = value {section}-{key} ; not a comment\n"
            ));
            if key % 25 == 0 {
                text.push_str(&format!("    continued line {key}\n"));
            }
        }
    }
    text
}

#[divan::bench]
fn realistic_odoo_conf(bencher: Bencher) {
    let file = SourceFile::from_text("odoo.conf", REALISTIC);
    bencher
        .counter(BytesCount::of_str(&file.text))
        .bench(|| parse(black_box(&file)));
}

#[divan::bench(sample_count = 20)]
fn generated_100k_keys(bencher: Bencher) {
    let file = SourceFile::from_text("big.conf", generated());
    bencher
        .counter(BytesCount::of_str(&file.text))
        .bench(|| parse(black_box(&file)));
}
