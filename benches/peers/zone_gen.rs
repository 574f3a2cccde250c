//! The synthetic zone used by `benches/zone.rs` and `benches/peers/zone.sh`: an SOA, two NS
//! and then a deterministic mix of A, AAAA (explicit TTL), CNAME (relative target), MX,
//! TXT (an SPF record split in two strings), TXT (class before TTL, DKIM-like), SRV and CAA
//! records with relative owners, and a comment line every 1000 records, plus a DMARC policy
//! at the apex. About 45 bytes a record.
//!
//! Every owner is distinct and every in-zone target has an address, so BIND, Knot and ipai
//! all accept it without semantic complaints, and ipai-lint's rules find nothing in it: the
//! benchmark measures checking a healthy zone, not reporting.

use std::fmt::Write as _;

/// The zone text with `records` records after the SOA and NS records.
pub fn zone_text(records: usize, origin: &str) -> String {
    let mut out = String::with_capacity(records * 48 + 512);
    let _ = write!(
        out,
        "$TTL 3600\n$ORIGIN {origin}.\n\
         @ IN SOA ns1.{origin}. hostmaster.{origin}. ( 2024010101 7200 3600 1209600 300 )\n\
         @ NS ns1.digitalocean.com.\n@ NS ns2.digitalocean.com.\n\
         _dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@{origin}\"\n"
    );
    for i in 0..records {
        if i % 1000 == 0 {
            let _ = writeln!(out, "; block {}", i / 1000);
        }
        let (a, b, c) = ((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
        let _ = match i % 10 {
            0 | 1 | 6 => writeln!(out, "h{i} A 10.{a}.{b}.{c}"),
            2 => writeln!(out, "h{i} 300 AAAA 2001:db8::{a:x}:{b:x}{c:02x}"),
            3 => writeln!(out, "h{i} CNAME h{}", i - 3),
            4 => writeln!(out, "h{i} MX 10 mx{}.mailgun.org.", i % 3),
            5 => writeln!(
                out,
                "h{i} TXT \"v=spf1 include:mailgun.org \" \"ip4:10.{a}.{b}.{c} -all\""
            ),
            7 => writeln!(
                out,
                "h{i} IN 600 TXT \"k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKB{i:08}\""
            ),
            8 => writeln!(out, "_sip._tcp.h{i} SRV 10 5 5060 h{}", i - 8),
            _ => writeln!(out, "h{i} CAA 0 issue \"letsencrypt.org\""),
        };
    }
    out
}
