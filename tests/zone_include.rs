//! `$INCLUDE` as `ipai-lint` follows it: inside the repo, beside the including zone file
//! then at the repo root, with errors located in the file they are in, the included
//! records part of the zone for every rule, nothing read from outside the repo, and a file
//! another zone includes linted only through that zone.

mod common;

use common::{ipai_lint, TempDir};
use ipai::workspace::Workspace;
use std::path::Path;
use std::process::Command;

const HEAD: &str = "$ORIGIN example.net.\n$TTL 3600\n\
    @ IN SOA ns1.example.net. hostmaster.example.net. 1 3600 900 1209600 300\n\
    @ IN NS ns1.example.net.\n";

/// `file:line:col: severity CODE message` lines of the findings, from the binary.
fn lint(repo: &TempDir) -> Vec<String> {
    lint_at(&repo.0)
}

fn lint_at(root: &Path) -> Vec<String> {
    let (code, stdout, stderr) = ipai_lint(&["--format", "json"], root);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {} {} {}",
                f["file"].as_str().unwrap_or(""),
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap_or(""),
                f["rule"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn with_code<'a>(findings: &'a [String], code: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| f.contains(&format!(" {code} ")))
        .map(String::as_str)
        .collect()
}

#[test]
fn a_missing_include_is_reported_at_its_path() {
    let repo = TempDir::new("zinc-missing");
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}ns1 IN A 192.0.2.1\n$INCLUDE parts/missing.inc\n"),
    );
    let findings = lint(&repo);
    assert_eq!(
        with_code(&findings, "SYN004"),
        ["dns/example.net.zone:6:10: error SYN004 cannot read $INCLUDE file 'parts/missing.inc': \
          no such file: dns/parts/missing.inc; no such file: parts/missing.inc"],
        "{findings:#?}"
    );
}

#[test]
fn a_broken_record_in_an_included_file_is_reported_in_that_file() {
    let repo = TempDir::new("zinc-broken");
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}$INCLUDE parts/hosts.inc\n"),
    );
    repo.write(
        "dns/parts/hosts.inc",
        "ns1 IN A 192.0.2.1\nbad IN A 300.1.1.1\n",
    );
    let findings = lint(&repo);
    let syntax = with_code(&findings, "SYN004");
    assert_eq!(syntax.len(), 1, "{findings:#?}");
    assert!(
        syntax[0].starts_with("dns/parts/hosts.inc:2:10: error SYN004 bad dotted quad '300.1.1.1'"),
        "{findings:#?}"
    );
}

#[test]
fn included_records_count_for_dns_rules() {
    let repo = TempDir::new("zinc-records");
    // The apex NS's address is only in the included file: without it, SYN008 would say
    // BIND refuses the zone. The CNAME at `www` clashes with the included A record.
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}$INCLUDE hosts.inc\nwww IN CNAME web\n"),
    );
    repo.write(
        "dns/hosts.inc",
        "ns1 IN A 192.0.2.1\nweb IN A 192.0.2.2\nwww IN A 192.0.2.3\n",
    );
    let findings = lint(&repo);
    assert!(with_code(&findings, "SYN008").is_empty(), "{findings:#?}");
    assert!(with_code(&findings, "SYN004").is_empty(), "{findings:#?}");
    let cname = with_code(&findings, "DNS001");
    assert_eq!(cname.len(), 1, "{findings:#?}");
    assert!(
        cname[0]
            .starts_with("dns/example.net.zone:6:1: error DNS001 `www.example.net` has a CNAME"),
        "{findings:#?}"
    );
    // The other record is shown where it is written.
    let (_, stdout, _) = ipai_lint(&["--format", "json"], &repo.0);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let related = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "DNS001"))
        .map(|f| f["related"][0].clone())
        .expect("DNS001 with a related place");
    assert_eq!(
        (related["file"].as_str(), related["line"].as_u64()),
        (Some("dns/hosts.inc"), Some(3)),
        "{related}"
    );

    // Relative paths also resolve against the repo root, and a suppression in the included
    // file silences a finding there.
    let repo = TempDir::new("zinc-root");
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}$INCLUDE dns/parts/hosts.inc\n"),
    );
    repo.write(
        "dns/parts/hosts.inc",
        "ns1 IN A 192.0.2.1\nbad IN A 300.1.1.1 ; ipai-lint: ignore[SYN004] -- test\n",
    );
    let findings = lint(&repo);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn include_cycles_and_bounds_give_one_finding() {
    let repo = TempDir::new("zinc-cycle");
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}ns1 IN A 192.0.2.1\n$INCLUDE a.inc\n"),
    );
    repo.write("dns/a.inc", "a IN A 192.0.2.2\n$INCLUDE b.inc\n");
    repo.write("dns/b.inc", "b IN A 192.0.2.3\n$INCLUDE a.inc\n");
    // Two zone files that include each other: one is linted, through which the other.
    repo.write(
        "dns/example.org.zone",
        "$ORIGIN example.org.\n$TTL 60\nx IN A 192.0.2.9\n$INCLUDE example.com.zone\n",
    );
    repo.write(
        "dns/example.com.zone",
        "$ORIGIN example.com.\n$TTL 60\ny IN A 192.0.2.9\n$INCLUDE example.org.zone\n",
    );
    // One file including itself, and one including a file 300 times.
    repo.write("dns/self.zone", "$TTL 60\n$INCLUDE self.zone\n");
    repo.write(
        "dns/many.zone",
        format!("$TTL 60\n{}", "$INCLUDE one.inc\n".repeat(300)),
    );
    repo.write("dns/one.inc", "; nothing\n");
    let findings = lint(&repo);
    let syntax = with_code(&findings, "SYN004");
    assert_eq!(
        syntax,
        [
            "dns/b.inc:2:10: error SYN004 $INCLUDE cycle: dns/a.inc includes dns/b.inc includes dns/a.inc",
            "dns/example.org.zone:4:10: error SYN004 $INCLUDE cycle: dns/example.com.zone includes dns/example.org.zone includes dns/example.com.zone",
            "dns/many.zone:258:10: error SYN004 more than 256 $INCLUDE files; this and later $INCLUDEs past the bound are not followed",
            "dns/self.zone:2:10: error SYN004 $INCLUDE cycle: dns/self.zone includes dns/self.zone",
        ],
        "{findings:#?}"
    );

    let repo = TempDir::new("zinc-deep");
    repo.write("dns/deep.zone", "$TTL 60\n$INCLUDE d1.inc\n");
    for n in 1..=20 {
        repo.write(
            &format!("dns/d{n}.inc"),
            format!("$INCLUDE d{}.inc\n$INCLUDE d{}.inc\n", n + 1, n + 1),
        );
    }
    let findings = lint(&repo);
    assert_eq!(
        with_code(&findings, "SYN004"),
        ["dns/d16.inc:1:10: error SYN004 $INCLUDE nested deeper than 16 files; this and later $INCLUDEs past the bound are not followed"],
        "{findings:#?}"
    );
}

#[test]
fn nothing_outside_the_repo_is_read() {
    let base = TempDir::new("zinc-outside");
    base.write("outside.zone", "leak IN TXT \"not for zone files\"\n");
    base.write(
        "repo/dns/example.net.zone",
        format!(
            "{HEAD}ns1 IN A 192.0.2.1\n$INCLUDE ../../outside.zone\n$INCLUDE /etc/hostname\n\
             $INCLUDE link/outside.zone\n"
        ),
    );
    std::os::unix::fs::symlink(&base.0, base.0.join("repo/dns/link")).expect("symlink");
    let findings = lint_at(&base.0.join("repo"));
    assert_eq!(
        findings,
        [
            "dns/example.net.zone:6:10: info SYN004 `$INCLUDE ../../outside.zone` not followed: outside the repo; its records are not linted",
            "dns/example.net.zone:7:10: info SYN004 `$INCLUDE /etc/hostname` not followed: outside the repo; its records are not linted",
            "dns/example.net.zone:8:10: info SYN004 `$INCLUDE link/outside.zone` not followed: outside the repo (a symbolic link leads out of it); its records are not linted",
        ],
    );
    let (_, stdout, _) = ipai_lint(&["--format", "json"], &base.0.join("repo"));
    assert!(!stdout.contains("not for zone files"), "{stdout}");
}

#[test]
fn an_included_zone_file_is_linted_only_through_the_zone_that_includes_it() {
    let repo = TempDir::new("zinc-once");
    repo.write(
        "dns/example.net.zone",
        format!("{HEAD}ns1 IN A 192.0.2.1\nweb IN A 192.0.2.2\n$INCLUDE db.sub sub\n"),
    );
    // Read on its own, `@` would be the root and its CNAME one at the apex (DNS002).
    repo.write("dns/db.sub", "@ IN CNAME web.example.net.\n");
    let workspace = Workspace::load(&repo.0);
    let zones: Vec<&str> = workspace
        .zones
        .iter()
        .map(|z| workspace.file(z.file).source.name.as_str())
        .collect();
    assert_eq!(zones, ["dns/example.net.zone"]);
    let zone = &workspace.zones[0].zone;
    assert!(zone
        .records
        .iter()
        .any(|r| zone.record_text(r) == "sub.example.net. 3600 IN CNAME web.example.net."));
    let findings = lint(&repo);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn bind_and_ipai_both_accept_a_relative_include() {
    let repo = TempDir::new("zinc-bind");
    let zone = repo.write(
        "dns/example.net.zone",
        format!("{HEAD}$INCLUDE parts/hosts.inc\nwww IN CNAME web\n"),
    );
    repo.write(
        "dns/parts/hosts.inc",
        "ns1 IN A 192.0.2.1\nweb IN A 192.0.2.2\n",
    );
    // named-checkzone resolves the path against its working directory: the zone's.
    let status = Command::new("named-checkzone")
        .args(["-q", "example.net"])
        .arg(&zone)
        .current_dir(repo.0.join("dns"))
        .status();
    let status = match status {
        Ok(status) => status,
        Err(e) => {
            let _: Option<()> = common::missing_tool(&format!("named-checkzone: {e}"));
            return;
        }
    };
    assert!(status.success(), "BIND refuses the zone");
    let findings = lint(&repo);
    assert!(
        with_code(&findings, "SYN004").is_empty() && with_code(&findings, "SYN008").is_empty(),
        "{findings:#?}"
    );
    // Without the include, both see the apex NS without an address.
    let without = repo.write(
        "dns/example.net.zone",
        format!("{HEAD}www IN CNAME web\nweb IN A 192.0.2.2\n"),
    );
    let status = Command::new("named-checkzone")
        .args(["-q", "example.net"])
        .arg(&without)
        .current_dir(repo.0.join("dns"))
        .status()
        .expect("named-checkzone ran before");
    assert!(!status.success());
    assert_eq!(with_code(&lint(&repo), "SYN008").len(), 1);
}
