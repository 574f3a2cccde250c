//! Bad input never panics: every hostile file becomes a finding with a location, and the
//! other files of the repo are still linted.

mod common;

use common::TempDir;

#[test]
fn a_repo_of_hostile_files_is_linted_file_by_file() {
    let repo = TempDir::new("hostile");
    repo.write("ipai.toml", "");
    // A good odoo.conf that must still be linted (it fires ODOO002: 4 workers on 6 cores).
    repo.write(
        "config/odoo.conf",
        "[options]\r\nproxy_mode = True\r\nworkers = 4\r\n",
    );
    // Binary junk where an odoo.conf is expected.
    repo.write(
        "config/odoo.staging.conf",
        b"[options]\n\x00\x01\x02\xff\xfe junk\n",
    );
    // A UTF-8 BOM: Python's configparser does not strip it, so Odoo rejects the file.
    repo.write(
        "config/bom/odoo.conf",
        "\u{feff}[options]\nproxy_mode = True\n",
    );
    // An include cycle and a missing include.
    repo.write(
        "deploy/nginx/nginx.conf",
        "events {}\nhttp {\n    include sites/*.conf;\n    include missing.conf;\n}\n",
    );
    repo.write("deploy/nginx/sites/a.conf", "include sites/b.conf;\n");
    repo.write("deploy/nginx/sites/b.conf", "include sites/a.conf;\n");
    // Braces nested far deeper than any real config.
    repo.write("deploy/nginx/deep.conf", "location / {\n".repeat(5000));
    // A billion-laughs compose file.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("services:\n  x:\n    image: redis:7\n    labels: *j\n");
    repo.write("bomb/docker-compose.yml", bomb);
    // A zone with an unterminated parenthesis and a CRLF line ending.
    repo.write(
        "dns/example.net.zone",
        "$ORIGIN example.net.\r\n@ IN SOA ns1 host ( 1 2 3 4\r\n",
    );
    // A file far larger than ipai reads, without writing its bytes.
    let huge = std::fs::File::create(repo.0.join("dns/huge.zone")).unwrap();
    huge.set_len(ipai::workspace::MAX_FILE_BYTES + 1).unwrap();

    // Manifests: binary junk, a byte-order mark, nesting far deeper than Python's parser
    // allows, an unterminated string with CRLF endings.
    repo.write("addons/junk/__manifest__.py", b"{\x00\x01\xff}");
    repo.write("addons/bom/__manifest__.py", "\u{feff}{'name': 'x'}\n");
    repo.write("addons/deep/__manifest__.py", "[".repeat(200_000));
    repo.write("addons/open/__manifest__.py", "{\r\n'name': 'x\r\n}\r\n");

    let outcome = common::lint_root(&repo.0);
    assert!(
        common::codes(&outcome, "config/odoo.conf").contains(&"ODOO002"),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(common::codes(&outcome, "config/odoo.staging.conf").contains(&"SYN006"));
    assert!(common::codes(&outcome, "config/bom/odoo.conf").contains(&"SYN002"));
    let nginx = common::codes(&outcome, "deploy/nginx/nginx.conf");
    assert!(
        nginx.contains(&"SYN001"),
        "missing include: {}",
        common::concise(&outcome.report)
    );
    let cycle = common::codes(&outcome, "deploy/nginx/sites/a.conf")
        .into_iter()
        .chain(common::codes(&outcome, "deploy/nginx/sites/b.conf"));
    assert!(
        cycle.into_iter().any(|c| c == "SYN001"),
        "include cycle: {}",
        common::concise(&outcome.report)
    );
    assert!(common::codes(&outcome, "deploy/nginx/deep.conf").contains(&"SYN001"));
    assert!(
        common::codes(&outcome, "bomb/docker-compose.yml").contains(&"SYN003"),
        "{}",
        common::concise(&outcome.report)
    );
    assert!(common::codes(&outcome, "dns/example.net.zone").contains(&"SYN004"));
    assert!(common::codes(&outcome, "dns/huge.zone").contains(&"SYN006"));
    assert!(common::codes(&outcome, "addons/junk/__manifest__.py").contains(&"SYN006"));
    for manifest in ["bom", "deep", "open"] {
        let file = format!("addons/{manifest}/__manifest__.py");
        assert!(
            common::codes(&outcome, &file).contains(&"SYN009"),
            "{file}: {}",
            common::concise(&outcome.report)
        );
    }
    for finding in &outcome.report.findings {
        assert!(finding.start.line >= 1 && finding.start.column >= 1);
    }
}

#[test]
fn hostile_shell_scripts_are_read_without_panic_or_hang() {
    let repo = TempDir::new("hostile-shell");
    repo.write("ipai.toml", "");
    repo.write(
        "config/odoo.conf",
        "[options]\ndb_host = odoo-db-sgp1-do-user-27714628-0.g.db.ondigitalocean.com\n",
    );
    repo.write(
        "deploy/docker-compose.yml",
        "services:\n  odoo-prod:\n    image: odoo:18.0\n    volumes:\n      - ../config/odoo.conf:/etc/odoo/odoo.conf:ro\n  postgres:\n    image: postgres:16-alpine\n",
    );
    // The snapshot's backup script with a BOM and CRLF line ends: still read, still judged.
    repo.write(
        "scripts/backup_db.sh",
        "\u{feff}#!/bin/bash\r\nssh root@178.128.112.214 << 'EOF'\r\ndocker compose exec postgres pg_dump -U odoo odoo > /tmp/x.sql\r\nEOF\r\n",
    );
    // Binary bytes behind a script's name, and a script larger than ipai reads.
    repo.write("scripts/blob.sh", b"#!/bin/sh\n\x00\x01\x02\xff\xfe\n");
    let huge = std::fs::File::create(repo.0.join("scripts/huge.sh")).unwrap();
    huge.set_len(ipai::workspace::MAX_FILE_BYTES + 1).unwrap();
    // Unterminated here-document, quote, command substitution and `${`.
    repo.write(
        "scripts/open.sh",
        "ssh h << 'EOF'\ndocker compose exec odoo \"$(echo ${X\ncurl 'https://x\n",
    );
    // Many here-documents opened on one line, none closed; shells nested past the limit.
    repo.write(
        "scripts/many.sh",
        format!("cat {}\n{}", "<<A ".repeat(20_000), "x\n".repeat(50_000)),
    );
    let nested = (0..50).fold(String::from("docker compose exec odoo true"), |inner, _| {
        format!("ssh h \"bash -c '{}'\"", inner.replace('\'', "\\'"))
    });
    repo.write("scripts/nested.sh", nested);
    // A long run of words, operators and quotes: parsing stays linear.
    repo.write(
        "scripts/long.sh",
        "a 'b' \"c\" $(d) | e && f || g; ( h ) `i` 2>&1 >x <y\n".repeat(40_000),
    );
    // An executable without an extension whose shebang says bash.
    repo.write("bin/deploy", "#!/usr/bin/env bash\ncd /srv && git pull\n");

    let started = std::time::Instant::now();
    let outcome = common::lint_root(&repo.0);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        common::codes(&outcome, "scripts/backup_db.sh").contains(&"STK021"),
        "{}",
        common::concise(&outcome.report)
    );
    // A script is read for context: one ipai cannot read is no finding.
    for name in ["scripts/blob.sh", "scripts/huge.sh"] {
        assert!(common::codes(&outcome, name).is_empty(), "{name}");
    }
    for finding in &outcome.report.findings {
        assert!(finding.start.line >= 1 && finding.start.column >= 1);
    }
}
