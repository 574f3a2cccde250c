//! Record types whose data ipai keeps as raw tokens but checks field by field, against BIND
//! 9.18: for each case, a small zone with the record is loaded by `named-checkzone` and
//! parsed by ipai, and **BIND refuses the zone exactly when ipai reports a syntax error**,
//! at the record's line. Every type covered has cases BIND accepts and cases it refuses.
//!
//! If `CI` is set, a missing `named-checkzone` fails the test; otherwise the test prints a
//! notice and passes.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::TempDir;
use ipai::formats::zone::{self, ParseOptions};
use ipai::source::SourceFile;

const HEAD: &str = "$ORIGIN example.net.\n$TTL 300\n\
@ IN SOA ns1 hostmaster 1 3600 900 1209600 300\n\
@ IN NS ns1\n\
ns1 IN A 192.0.2.1\n\
sub IN NS ns.example.org.\n";

/// The line of the record under test in each zone.
const RECORD_LINE: usize = 7;

/// (type, record). The record is the last line of a zone that is otherwise valid.
const CASES: &[(&str, &str)] = &[
    // SVCB and HTTPS (RFC 9460).
    ("SVCB", "a SVCB 1 . alpn=h2"),
    ("SVCB", "a SVCB 0 svc.example.org."),
    ("SVCB", "a SVCB 0 . alpn=h2"),
    ("SVCB", "a SVCB 0 a.example. port=53"),
    ("SVCB", "a SVCB 0 . mandatory=alpn"),
    ("SVCB", "a SVCB 1 \"foo.example.\" alpn=h2"),
    ("SVCB", "a SVCB 1 . ALPN=h2"),
    ("SVCB", "a SVCB 1 . alpn=\"h2,h3\""),
    ("SVCB", "a SVCB 1 . alpn= \"h2\""),
    ("SVCB", "a SVCB 1 . alpn=\"h2,h3\" port=\"53\""),
    ("SVCB", "a SVCB 1 . alpn=h2 \"port=5\""),
    ("SVCB", "a SVCB 1 . alpn=h2\"x\""),
    ("SVCB", "a SVCB 1 . port=1 port=2"),
    ("SVCB", "a SVCB 1 . port=1 key3=ab"),
    ("SVCB", "a SVCB 1 . key65535"),
    ("SVCB", "a SVCB 1 . key65536=a"),
    ("SVCB", "a SVCB 1 . key01=a"),
    ("SVCB", "a SVCB 1 . KEY3=ab"),
    ("SVCB", "a SVCB 1 . Port=53"),
    ("SVCB", "a SVCB 1 . key3"),
    ("SVCB", "a SVCB 1 . key3=ab"),
    ("SVCB", "a SVCB 1 . key1=h2"),
    ("SVCB", "a SVCB 1 . key1=\\002h2"),
    ("SVCB", "a SVCB 1 . key2"),
    ("SVCB", "a SVCB 1 . key7"),
    ("SVCB", "a SVCB 1 . key8=\\1"),
    ("SVCB", "a SVCB 1 . key8=\\\\"),
    ("SVCB", "a SVCB 1 . foo=bar"),
    ("SVCB", "a SVCB 1 . mandatory=alpn alpn=h2"),
    ("SVCB", "a SVCB 1 . mandatory=mandatory"),
    ("SVCB", "a SVCB 1 . mandatory=port alpn=h2"),
    ("SVCB", "a SVCB 1 . mandatory=ALPN,key3 alpn=h2 port=1"),
    ("SVCB", "a SVCB 1 . mandatory=alpn,alpn alpn=h2"),
    ("SVCB", "a SVCB 1 . mandatory=alpn, alpn=h2"),
    ("SVCB", "a SVCB 1 . mandatory=key0 alpn=h2"),
    ("SVCB", "a SVCB 1 . mandatory"),
    ("SVCB", "a SVCB 1 . key0=\\000\\001"),
    ("SVCB", "a SVCB 1 . key0=\\000\\001 alpn=h2"),
    (
        "SVCB",
        "a SVCB 1 . key0=\\000\\003\\000\\001 alpn=h2 port=1",
    ),
    ("SVCB", "a SVCB 1 . no-default-alpn"),
    ("SVCB", "a SVCB 1 . no-default-alpn alpn=h2"),
    ("SVCB", "a SVCB 1 . no-default-alpn=x alpn=h2"),
    (
        "SVCB",
        "a SVCB 1 . mandatory=no-default-alpn no-default-alpn",
    ),
    (
        "SVCB",
        "a SVCB 1 . mandatory=no-default-alpn no-default-alpn port=1",
    ),
    ("SVCB", "a SVCB 1 . alpn"),
    ("SVCB", "a SVCB 1 . alpn="),
    ("SVCB", "a SVCB 1 . alpn=h2\\,h3"),
    ("SVCB", "a SVCB 1 . alpn=h2\\\\,h3"),
    ("SVCB", "a SVCB 1 . alpn=h2\\\\\\\\,h3"),
    ("SVCB", "a SVCB 1 . alpn=,h2"),
    ("SVCB", "a SVCB 1 . alpn=h2,"),
    ("SVCB", "a SVCB 1 . alpn=h\\2"),
    ("SVCB", "a SVCB 1 . alpn=h\\256"),
    ("SVCB", "a SVCB 1 . port"),
    ("SVCB", "a SVCB 1 . port=053"),
    ("SVCB", "a SVCB 1 . port=+5"),
    ("SVCB", "a SVCB 1 . port=65536"),
    ("SVCB", "a SVCB 1 . ech"),
    ("SVCB", "a SVCB 1 . ech=AAA"),
    ("SVCB", "a SVCB 1 . ech=AA=="),
    ("SVCB", "a SVCB 1 . ech=\"AA AA\""),
    ("SVCB", "a SVCB 1 . ech=AA AA=="),
    ("SVCB", "a SVCB 1 . ipv4hint=192.0.2.1,192.0.2.2"),
    ("SVCB", "a SVCB 1 . ipv4hint=192.0.2.1,"),
    ("SVCB", "a SVCB 1 . ipv4hint=192.0.2.01"),
    ("SVCB", "a SVCB 1 . ipv6hint=::1,2001:db8::1"),
    ("SVCB", "a SVCB 1 . ipv6hint=::1,192.0.2.1"),
    ("SVCB", "a SVCB 1 . ipv6hint=::ffff:192.0.2.1"),
    ("SVCB", "a SVCB 1 . dohpath=/dns-query{?dns}"),
    ("SVCB", "a SVCB 1 . dohpath=/q{dns}"),
    ("SVCB", "a SVCB 1 . dohpath=/q{?dns,x}"),
    ("SVCB", "a SVCB 1 . dohpath=/q{?dns:5}"),
    ("SVCB", "a SVCB 1 . dohpath=/q{?dns:05}"),
    ("SVCB", "a SVCB 1 . dohpath=q{?dns}"),
    ("SVCB", "a SVCB 1 . dohpath=/q"),
    ("SVCB", "a SVCB 1 . dohpath=/q%4{?dns}"),
    ("SVCB", "a SVCB 1 . dohpath"),
    ("SVCB", "a SVCB 65536 ."),
    ("SVCB", "a SVCB 1"),
    ("SVCB", "a SVCB"),
    (
        "HTTPS",
        "@ HTTPS 1 . alpn=h3,h2 ipv4hint=192.0.2.1 ech=AEX+DQBBpQAgACD3",
    ),
    ("HTTPS", "@ HTTPS 1 . alpn=h3 ech=AEX+DQBBpQAgACD3="),
    ("HTTPS", "@ HTTPS 1 . dohpath=/q{?dns}"),
    ("HTTPS", "@ HTTPS 1 . dohpath=/q"),
];

/// BIND's verdict: true when `named-checkzone` loads the zone. `None` when it is missing.
fn bind_loads(path: &std::path::Path) -> Option<(bool, String)> {
    match Command::new("named-checkzone")
        .args(["example.net"])
        .arg(path)
        .output()
    {
        Ok(out) => Some((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("named-checkzone is required in CI (apt-get install -y bind9-utils): {e}");
            }
            eprintln!("notice: named-checkzone not found ({e}); skipping");
            None
        }
    }
}

/// ipai's syntax errors, as `line:column: message`.
fn ipai_errors(text: &str) -> Vec<(usize, String)> {
    let source = SourceFile::from_text("z.zone", text);
    let zone = zone::parse(&source, "example.net", &ParseOptions::default());
    zone.errors
        .iter()
        .map(|e| {
            let at = source.line_col(e.error.span.start());
            (
                at.line,
                format!("{}:{}: {}", at.line, at.column, e.error.message),
            )
        })
        .collect()
}

#[test]
fn bind_refuses_a_record_exactly_when_ipai_reports_a_syntax_error() {
    let dir = TempDir::new("zone-types");
    let mut disagreements = Vec::new();
    // Per type: (accepted, refused) by BIND.
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, &(rtype, record)) in CASES.iter().enumerate() {
        let text = format!("{HEAD}{record}\n");
        let path = dir.write(&format!("{i}.zone"), &text);
        let Some((loads, bind_out)) = bind_loads(&path) else {
            return;
        };
        let errors = ipai_errors(&text);
        let counts = seen.entry(rtype).or_default();
        if loads {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        let at_record = errors.iter().all(|(line, _)| *line == RECORD_LINE);
        if loads != errors.is_empty() || !at_record {
            disagreements.push(format!(
                "{record}\n  BIND: {}\n  ipai: {}",
                if loads {
                    "loads".to_owned()
                } else {
                    bind_out.lines().next().unwrap_or("").to_owned()
                },
                if errors.is_empty() {
                    "no error".to_owned()
                } else {
                    errors
                        .iter()
                        .map(|(_, e)| e.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                }
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree:\n{}",
        disagreements.len(),
        CASES.len(),
        disagreements.join("\n")
    );
    let one_sided: Vec<_> = seen
        .iter()
        .filter(|(_, &(accepted, refused))| accepted == 0 || refused == 0)
        .collect();
    assert!(
        one_sided.is_empty(),
        "each type needs cases BIND accepts and cases it refuses: {one_sided:?}"
    );
}
