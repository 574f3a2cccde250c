//! Shell script parsing throughput: the snapshot's deploy and backup scripts, 1,000 of them
//! (a repo with a script per module), and one script of 100,000 lines.
//!
//! `cargo bench --bench shell`

use ipai::formats::shell;
use ipai::source::SourceFile;

fn main() {
    divan::main();
}

/// One deploy script in the snapshot's shape (§6), its names varied by `n`.
fn deploy_script(n: usize) -> String {
    format!(
        "#!/bin/bash\nset -euo pipefail\n# deploy module {n}\nssh root@178.128.112.214 << 'EOF'\nset -euo pipefail\ncd /opt/odoo-ce/repo\ngit pull origin main\ndocker compose -f deploy/docker-compose.yml exec -T odoo-prod odoo -d odoo -u ipai_module_{n} --stop-after-init\ndocker compose restart odoo-prod\ncurl -f https://erp.insightpulseai.net/web/health || echo \"Health check failed\"\nEOF\nTIMESTAMP=$(date +%Y%m%d_%H%M%S)\ndocker compose exec postgres pg_dump -U odoo odoo > \"/opt/odoo-ce/backups/daily/odoo_{n}_$TIMESTAMP.sql\"\n"
    )
}

/// 1,000 scripts, each parsed on its own, as a workspace does.
#[divan::bench]
fn thousand_scripts(bencher: divan::Bencher) {
    let sources: Vec<SourceFile> = (0..1000)
        .map(|n| SourceFile::from_text(format!("scripts/deploy_{n}.sh"), deploy_script(n)))
        .collect();
    bencher.bench(|| {
        sources
            .iter()
            .map(|s| shell::parse(divan::black_box(s)).commands.len())
            .sum::<usize>()
    });
}

/// One script of about 50,000 and 100,000 lines: parsing stays linear.
#[divan::bench(args = [3500, 7000])]
fn one_long_script(bencher: divan::Bencher, copies: usize) {
    let text: String = (0..copies).map(deploy_script).collect();
    let source = SourceFile::from_text("scripts/all.sh", text);
    bencher.bench(|| shell::parse(divan::black_box(&source)).commands.len());
}
