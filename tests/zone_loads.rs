//! SYN008 against BIND: for zones that parse, `named-checkzone` (BIND 9.18) refuses to load
//! the zone exactly when ipai reports SYN008 `zone-does-not-load`. Each case is one thing
//! BIND checks after parsing, and its twin BIND accepts.

mod common;

use common::TempDir;
use std::process::Command;

const HEAD: &str = "$ORIGIN example.net.\n$TTL 3600\n";
const SOA: &str = "@ IN SOA ns1.example.net. hostmaster.example.net. 1 3600 900 1209600 300\n";
const NS: &str = "@ IN NS ns1.example.net.\nns1 IN A 192.0.2.1\n";

fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("whole", format!("{HEAD}{SOA}{NS}www IN A 192.0.2.10\n")),
        ("no-soa", format!("{HEAD}{NS}")),
        ("same-soa-twice", format!("{HEAD}{SOA}{SOA}{NS}")),
        (
            "two-soas",
            format!("{HEAD}{SOA}{}{NS}", SOA.replace(" 1 3600", " 2 3600")),
        ),
        (
            "soa-below-top",
            format!("{HEAD}{SOA}{NS}sub IN SOA ns1.example.net. h.example.net. 1 1 1 1 1\n"),
        ),
        ("no-ns", format!("{HEAD}{SOA}ns1 IN A 192.0.2.1\n")),
        ("ns-without-address", format!("{HEAD}{SOA}@ IN NS ns1.example.net.\n")),
        (
            "ns-outside-zone",
            format!("{HEAD}{SOA}@ IN NS ns1.example.org.\n"),
        ),
        (
            "ns-below-delegation",
            format!(
                "{HEAD}{SOA}{NS}@ IN NS ns1.sub.example.net.\nsub IN NS ns1.sub.example.net.\n"
            ),
        ),
        (
            "ds-at-top",
            format!(
                "{HEAD}{SOA}{NS}@ IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n"
            ),
        ),
        (
            "ds-at-delegation",
            format!(
                "{HEAD}{SOA}{NS}sub IN NS ns.example.org.\nsub IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n"
            ),
        ),
        // Loads, with warnings only: out-of-zone data is ignored, an MX target without an
        // address is a warning.
        (
            "out-of-zone",
            format!("{HEAD}{SOA}{NS}www.example.org. IN A 192.0.2.5\n"),
        ),
        (
            "mx-without-address",
            format!("{HEAD}{SOA}{NS}@ IN MX 10 mail.example.net.\n"),
        ),
    ]
}

fn bind_loads(path: &std::path::Path) -> Option<bool> {
    match Command::new("named-checkzone")
        .args(["-q", "example.net"])
        .arg(path)
        .status()
    {
        Ok(status) => Some(status.success()),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("named-checkzone is required in CI (apt-get install -y bind9-utils): {e}");
            }
            eprintln!("notice: named-checkzone not found ({e}); skipping");
            None
        }
    }
}

#[test]
fn bind_refuses_a_zone_exactly_when_ipai_reports_syn008() {
    let mut disagreements = Vec::new();
    let mut refused = 0;
    for (name, text) in cases() {
        let repo = TempDir::new(&format!("zone-loads-{name}"));
        let path = repo.write("dns/example.net.zone", &text);
        let Some(loads) = bind_loads(&path) else {
            return;
        };
        let outcome = common::lint_root_as_found(&repo.0);
        let codes = common::codes(&outcome, "dns/example.net.zone");
        // Every case parses: the verdict rests on SYN008 alone.
        assert!(!codes.contains(&"SYN004"), "{name}: {codes:?}");
        let reported = codes.contains(&"SYN008");
        if !loads {
            refused += 1;
        }
        if reported == loads {
            disagreements.push(format!(
                "{name}: BIND {}, ipai {}",
                if loads { "loads it" } else { "refuses it" },
                if reported {
                    "reports SYN008"
                } else {
                    "is silent"
                }
            ));
        }
    }
    assert!(
        refused >= 6,
        "the cases must exercise BIND's refusals: {refused}"
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
