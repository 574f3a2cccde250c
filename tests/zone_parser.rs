//! The zone parser's model, as rules will use it: names as written and absolute, spans on
//! every field, TTL provenance, comments, includes, `$GENERATE`, and errors that do not stop
//! the parse.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use ipai::formats::zone::{
    self, Class, DirectiveKind, FileId, NameForm, ParseOptions, RData, RType, Record, TtlSource,
    Zone,
};
use ipai::source::SourceFile;

fn fixture(path: &str) -> SourceFile {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/zone")
        .join(path);
    SourceFile::read(path, &full).expect("fixture")
}

fn parse(text: &str, origin: &str) -> (SourceFile, Zone) {
    let source = SourceFile::from_text("test.zone", text);
    let zone = zone::parse(&source, origin, &ParseOptions::default());
    (source, zone)
}

fn errors(source: &SourceFile, zone: &Zone) -> Vec<String> {
    zone.errors
        .iter()
        .map(|e| {
            let at = source.line_col(e.error.span.start());
            format!("{}:{}: {}", at.line, at.column, e.error.message)
        })
        .collect()
}

fn at<'z>(zone: &'z Zone, owner: &str, rtype: RType) -> Vec<&'z Record> {
    let id = zone
        .find_name(owner)
        .unwrap_or_else(|| panic!("no name {owner}"));
    zone.records_at(id).filter(|r| r.rtype == rtype).collect()
}

#[test]
fn the_stack_zone_keeps_what_rules_need() {
    let source = fixture("valid/insightpulseai.net.zone");
    let zone = zone::parse(&source, "insightpulseai.net", &ParseOptions::default());
    assert_eq!(errors(&source, &zone), Vec::<String>::new());
    assert_eq!(zone.records.len(), 19);
    assert_eq!(zone.name(zone.origin), "insightpulseai.net.");

    // `www CNAME insightpulseai.net` has no trailing dot: relative, so the origin is appended.
    let www = at(&zone, "www.insightpulseai.net.", RType::CNAME);
    let RData::Cname(target) = &www[0].rdata else {
        panic!("not a CNAME")
    };
    assert_eq!(target.form, NameForm::Relative);
    assert!(target.is_relative());
    assert_eq!(target.written(&source), "insightpulseai.net");
    assert_eq!(
        zone.name(target.id),
        "insightpulseai.net.insightpulseai.net."
    );
    assert_eq!(source.slice(www[0].owner.span), "www");
    assert_eq!(source.slice(www[0].rtype_span), "CNAME");
    assert_eq!(zone.name(www[0].origin), "insightpulseai.net.");

    // The apex A record and its address span.
    let apex = at(&zone, "insightpulseai.net", RType::A);
    let RData::A(addr) = &apex[0].rdata else {
        panic!("not A")
    };
    assert_eq!(addr.value.to_string(), "178.128.112.214");
    assert_eq!(source.slice(addr.span), "178.128.112.214");
    assert_eq!(apex[0].owner.form, NameForm::Origin);

    // Blank owners inherit the previous owner, with an empty span at the line start.
    let ns: Vec<_> = zone
        .records
        .iter()
        .filter(|r| r.rtype == RType::NS)
        .collect();
    assert_eq!(ns.len(), 2);
    assert!(ns
        .iter()
        .all(|r| r.owner.form == NameForm::Inherited && r.owner.span.is_empty()));
    assert_eq!(zone.name(ns[0].owner.id), "insightpulseai.net.");
    assert_eq!(source.line_col(ns[0].owner.span.start()).line, 17);

    // Mailgun MX records.
    let mx = at(&zone, "mg.insightpulseai.net", RType::MX);
    let exchanges: Vec<_> = mx
        .iter()
        .map(|r| match &r.rdata {
            RData::Mx(m) => (
                m.preference.value,
                zone.name(m.exchange.id),
                m.exchange.form,
            ),
            _ => panic!("not MX"),
        })
        .collect();
    assert_eq!(
        exchanges,
        [
            (10, "mxa.mailgun.org.", NameForm::Absolute),
            (10, "mxb.mailgun.org.", NameForm::Absolute)
        ]
    );

    // The DKIM key: two character-strings, each with its span and wire length.
    let dkim = at(&zone, "pic._domainkey.mg.insightpulseai.net", RType::TXT);
    let RData::Txt(strings) = &dkim[0].rdata else {
        panic!("not TXT")
    };
    assert_eq!(strings.len(), 2);
    assert_eq!(strings[0].data.len(), 255);
    assert_eq!(strings[1].data.len(), 401 - 255);
    assert!(source.slice(strings[0].span).starts_with("\"k=rsa; p=MIIB"));
    let joined = zone.joined(strings);
    assert!(joined.starts_with(b"k=rsa; p=MIIBIjANBg") && joined.ends_with(b"IDAQAB"));
    assert_eq!(source.line_col(dkim[0].span.start()).line, 34);
    assert_eq!(source.line_col(dkim[0].span.end()).line, 35);

    // SPF and DMARC at the apex.
    let spf = at(&zone, "insightpulseai.net", RType::TXT);
    let RData::Txt(s) = &spf[0].rdata else {
        panic!()
    };
    assert_eq!(zone.bytes(s[0].data), b"v=spf1 include:mailgun.org ~all");
    let dmarc = at(&zone, "_dmarc.insightpulseai.net", RType::TXT);
    let RData::Txt(s) = &dmarc[0].rdata else {
        panic!()
    };
    assert_eq!(
        zone.bytes(s[0].data),
        b"v=DMARC1; p=none; rua=mailto:3651085@dmarc.mailgun.org"
    );

    // CAA 0 issue "letsencrypt.org", each field with its span.
    let caa = at(&zone, "insightpulseai.net", RType::CAA);
    let RData::Caa(c) = &caa[0].rdata else {
        panic!("not CAA")
    };
    assert_eq!(c.flags.value, 0);
    assert!(!c.is_critical());
    assert_eq!(zone.bytes(c.tag.value), b"issue");
    assert_eq!(source.slice(c.tag.span), "issue");
    assert_eq!(zone.bytes(c.value.value), b"letsencrypt.org");
    assert_eq!(source.slice(c.value.span), "\"letsencrypt.org\"");

    // The SOA spans five lines; each timer has its span; the TTL comes from $TTL.
    let soa = at(&zone, "insightpulseai.net", RType::SOA);
    let RData::Soa(s) = &soa[0].rdata else {
        panic!("not SOA")
    };
    assert_eq!(s.serial.value, 2_026_012_801);
    assert_eq!(source.slice(s.serial.span), "2026012801");
    assert_eq!(source.slice(s.minimum.span), "300");
    assert_eq!(zone.name(s.rname.id), "hostmaster.insightpulseai.net.");
    assert_eq!(soa[0].ttl.source, TtlSource::Default);
    assert_eq!(soa[0].ttl.value, 3600);
    assert!(soa[0].ttl.span.is_empty());
    assert_eq!(soa[0].class, Class::IN);

    // Comments are kept with spans, inside parentheses too.
    assert_eq!(zone.comments.len(), 21);
    assert_eq!(
        source.slice(zone.comments[0].span),
        "; origin: insightpulseai.net"
    );
    assert!(zone
        .comments
        .iter()
        .any(|c| source.slice(c.span) == "; serial (YYYYMMDDnn)"));
    assert!(zone
        .comments
        .iter()
        .any(|c| source.slice(c.span) == "; canonical www alias"));

    // Directives.
    let kinds: Vec<_> = zone
        .directives
        .iter()
        .map(|d| match &d.kind {
            DirectiveKind::Origin(n) => format!("origin {}", zone.name(n.id)),
            DirectiveKind::Ttl(t) => format!("ttl {}", t.value),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["origin insightpulseai.net.", "ttl 3600"]);
}

#[test]
fn an_error_drops_one_entry_and_parsing_goes_on() {
    let (source, zone) = parse(
        "$TTL 300\n\
         @ SOA ns hostmaster 1 2 3 4 5\n\
         bad A 10.0.0\n\
         good A 10.0.0.1\n\
         txt TXT \"unclosed\n\
         after MX 10 mail\n\
         caa CAA 0 is-sue \"x\"\n\
         last AAAA 2001:db8::1\n",
        "example.com",
    );
    assert_eq!(
        errors(&source, &zone),
        [
            "3:7: bad dotted quad '10.0.0': expected an IPv4 address like 192.0.2.1",
            "5:9: unbalanced quotes: the quoted string is not closed on this line",
            "7:11: bad CAA tag 'is-sue': a tag is letters and digits only (RFC 8659 §4.1.1), e.g. issue, issuewild, iodef",
        ]
    );
    let owners: Vec<_> = zone.records.iter().map(|r| zone.name(r.owner.id)).collect();
    assert_eq!(
        owners,
        [
            "example.com.",
            "good.example.com.",
            "after.example.com.",
            "last.example.com."
        ]
    );
    assert_eq!(
        zone.errors[1].error.help.as_deref(),
        Some("close the string with '\"'; a quoted string cannot span lines")
    );
}

#[test]
fn a_txt_string_over_255_octets_is_an_error_at_that_string() {
    let long = "x".repeat(300);
    let (source, zone) = parse(&format!("$TTL 1\nk TXT \"ok\" \"{long}\"\n"), "example.com");
    assert_eq!(zone.errors.len(), 1);
    let e = &zone.errors[0].error;
    assert_eq!(
        e.message,
        "TXT character-string is 300 octets long, the limit is 255"
    );
    assert_eq!(source.slice(e.span), format!("\"{long}\""));
    assert!(e.help.as_deref().unwrap().contains("split the text"));
    // Escapes count as the octet they stand for: 255 escaped octets fit.
    let (_, zone) = parse(
        &format!("$TTL 1\nk TXT \"{}\"\n", "\\065".repeat(255)),
        "example.com",
    );
    assert!(zone.errors.is_empty());
    let RData::Txt(s) = &zone.records[0].rdata else {
        panic!()
    };
    assert_eq!(s[0].data.len(), 255);
}

#[test]
fn ttl_provenance_follows_rfc_1035_rfc_2308_and_bind() {
    let (source, zone) = parse(
        "@ SOA ns hostmaster 1 2 3 4 1h\n\
         a A 192.0.2.1\n\
         b 60 A 192.0.2.2\n\
         c A 192.0.2.3\n\
         $TTL 2d\n\
         d IN A 192.0.2.4\n\
         e IN 1W2d A 192.0.2.5\n",
        "example.com",
    );
    assert!(zone.errors.is_empty(), "{:?}", errors(&source, &zone));
    let ttls: Vec<_> = zone
        .records
        .iter()
        .map(|r| (r.ttl.value, r.ttl.source))
        .collect();
    assert_eq!(
        ttls,
        [
            (3600, TtlSource::SoaMinimum),
            (3600, TtlSource::Previous),
            (60, TtlSource::Explicit),
            (60, TtlSource::Previous),
            (172_800, TtlSource::Default),
            (777_600, TtlSource::Explicit),
        ]
    );
    assert_eq!(source.slice(zone.records[5].ttl.span), "1W2d");
    // Without any TTL to inherit, a record is an error, as in BIND.
    let (source, zone) = parse("www A 192.0.2.1\n", "example.com");
    assert_eq!(
        errors(&source, &zone),
        ["1:5: no TTL specified: the record has no TTL and no $TTL or earlier TTL applies"]
    );
}

#[test]
fn class_and_ttl_come_in_either_order_and_rfc_3597_forms_are_read() {
    let (source, zone) = parse(
        "$TTL 300\n\
         a IN 60 A 192.0.2.1\n\
         b 60 IN A 192.0.2.2\n\
         c class1 type1 192.0.2.3\n\
         d A \\# 4 C0000204\n\
         e TYPE65534 \\# 3 01 0203\n\
         f TYPE65280 \\# 0\n\
         g in mx 10 mail\n",
        "example.com",
    );
    assert!(zone.errors.is_empty(), "{:?}", errors(&source, &zone));
    let lines: Vec<_> = zone.records.iter().map(|r| zone.record_text(r)).collect();
    assert_eq!(
        lines,
        [
            "a.example.com. 60 IN A 192.0.2.1",
            "b.example.com. 60 IN A 192.0.2.2",
            "c.example.com. 300 IN A 192.0.2.3",
            "d.example.com. 300 IN A 192.0.2.4",
            "e.example.com. 300 IN TYPE65534 \\# 3 010203",
            "f.example.com. 300 IN TYPE65280 \\# 0",
            "g.example.com. 300 IN MX 10 mail.example.com.",
        ]
    );
    let RData::Generic(g) = &zone.records[4].rdata else {
        panic!()
    };
    assert_eq!(source.slice(g.data.span), "01 0203");
    assert_eq!(zone.bytes(g.data.value), [1, 2, 3]);
    let RData::A(a) = &zone.records[3].rdata else {
        panic!()
    };
    assert_eq!(source.slice(a.span), "C0000204");
}

#[test]
fn names_keep_escapes_and_enforce_limits() {
    let label = "a".repeat(64);
    let (source, zone) = parse(
        &format!(
            "$TTL 1\n\
             a\\.b A 192.0.2.1\n\
             \\065\\066 A 192.0.2.2\n\
             {label} A 192.0.2.3\n\
             x..y A 192.0.2.4\n\
             z CNAME {}\n\
             \"quoted\" A 192.0.2.5\n",
            [
                "b".repeat(63),
                "c".repeat(63),
                "d".repeat(63),
                "e".repeat(63)
            ]
            .join(".")
        ),
        "example.com",
    );
    let owners: Vec<_> = zone.records.iter().map(|r| zone.name(r.owner.id)).collect();
    assert_eq!(
        owners,
        [
            "a\\.b.example.com.",
            "ab.example.com.",
            "quoted.example.com."
        ]
    );
    let errs = errors(&source, &zone);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[0].starts_with("4:1: label too long in name 'aaaa"));
    assert!(errs[0].ends_with("64 octets, the limit is 63"));
    assert_eq!(errs[1], "5:1: empty label in name 'x..y'");
    assert!(errs[2].starts_with("6:9: name too long:"), "{}", errs[2]);
}

#[test]
fn generate_makes_records_that_point_at_the_directive() {
    let (source, zone) = parse(
        "$TTL 300\n$GENERATE 1-3/2 host-${0,2} IN A 10.0.0.$\n$GENERATE 10-11 r${0,3,n} PTR h$.example.com.\n",
        "example.com",
    );
    assert!(zone.errors.is_empty(), "{:?}", errors(&source, &zone));
    let lines: Vec<_> = zone.records.iter().map(|r| zone.record_text(r)).collect();
    assert_eq!(
        lines,
        [
            "host-01.example.com. 300 IN A 10.0.0.1",
            "host-03.example.com. 300 IN A 10.0.0.3",
            "ra.0.example.com. 300 IN PTR h10.example.com.",
            "rb.0.example.com. 300 IN PTR h11.example.com.",
        ]
    );
    let first = &zone.records[0];
    assert!(first.generated);
    assert_eq!(source.slice(first.owner.span), "host-${0,2}");
    let RData::A(a) = &first.rdata else { panic!() };
    assert_eq!(source.slice(a.span), "10.0.0.$");
    let DirectiveKind::Generate(g) = &zone.directives[1].kind else {
        panic!()
    };
    assert_eq!(
        (g.start, g.stop, g.step, g.records.clone()),
        (1, 3, 2, 0..2)
    );
    assert_eq!(source.slice(g.range), "1-3/2");

    // Expansion is bounded.
    let opts = ParseOptions {
        max_generated_records: 100,
        ..ParseOptions::default()
    };
    let source = SourceFile::from_text("g.zone", "$TTL 1\n$GENERATE 1-1000 h$ A 10.0.0.1\n");
    let zone = zone::parse(&source, "example.com", &opts);
    assert!(zone.records.is_empty());
    assert!(zone.errors[0]
        .error
        .message
        .starts_with("$GENERATE would make 1000 records; the limit"));
}

#[test]
fn comments_are_kept_for_inline_suppressions() {
    let (source, zone) = parse(
        "$TTL 300 ; default\n\
         www CNAME insightpulseai.net ; ipai-lint: ignore[DNS001] -- the apex is the target\r\n\
         txt TXT \"a;b\" ; real comment\n",
        "insightpulseai.net",
    );
    let comments: Vec<_> = zone.comments.iter().map(|c| source.slice(c.span)).collect();
    assert_eq!(
        comments,
        [
            "; default",
            "; ipai-lint: ignore[DNS001] -- the apex is the target",
            "; real comment"
        ]
    );
    assert_eq!(source.line_col(zone.comments[1].span.start()).line, 2);
    assert!(zone.comments.iter().all(|c| c.file == FileId::ROOT));
}

#[test]
fn line_endings_follow_bind() {
    let (source, zone) = parse("$TTL 1\r\na TXT \"x\ry\"\r\nb TXT x\r y\r\n", "example.com");
    // CRLF is a line end; CR inside quotes is text; a lone CR ends the line.
    assert_eq!(errors(&source, &zone), ["3:10: unknown RR type 'y'"]);
    assert_eq!(
        zone.record_text(&zone.records[0]),
        "a.example.com. 1 IN TXT \"x\\013y\""
    );
    assert_eq!(
        zone.record_text(&zone.records[1]),
        "b.example.com. 1 IN TXT \"x\""
    );
}

/// Serves files from memory: the include tests need no disk.
fn memory_reader(files: &[(&str, &str)]) -> impl FnMut(&Path) -> io::Result<SourceFile> {
    let files: HashMap<PathBuf, String> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect();
    move |path: &Path| {
        files
            .get(path)
            .map(|t| SourceFile::from_text(path.display().to_string(), t.clone()))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }
}

#[test]
fn includes_scope_the_origin_and_keep_their_own_spans() {
    let root = SourceFile::from_text(
        "zones/main.zone",
        "$TTL 60\n$INCLUDE mail.inc mg\nafter A 192.0.2.9\n",
    );
    let mut reader = memory_reader(&[(
        "zones/mail.inc",
        "@ MX 10 mxa.mailgun.org.\n  TXT \"v=spf1 ~all\" ; inc\n",
    )]);
    let zone = zone::load(
        &root,
        "insightpulseai.net",
        &ParseOptions::default(),
        &mut reader,
    );
    assert!(zone.errors.is_empty(), "{:?}", zone.errors);
    let lines: Vec<_> = zone.records.iter().map(|r| zone.record_text(r)).collect();
    assert_eq!(
        lines,
        [
            "mg.insightpulseai.net. 60 IN MX 10 mxa.mailgun.org.",
            "mg.insightpulseai.net. 60 IN TXT \"v=spf1 ~all\"",
            "after.insightpulseai.net. 60 IN A 192.0.2.9",
        ]
    );
    let mx = &zone.records[0];
    assert_eq!(mx.file, FileId(1));
    let included = zone.source(&root, mx.file);
    assert_eq!(included.name, "zones/mail.inc");
    assert_eq!(included.slice(mx.rtype_span), "MX");
    assert_eq!(zone.includes[0].directive, 1);
    assert_eq!(zone.comments[0].file, FileId(1));
    let DirectiveKind::Include { path, origin, file } = &zone.directives[1].kind else {
        panic!()
    };
    assert_eq!((path.value.as_str(), file), ("mail.inc", &Some(FileId(1))));
    assert_eq!(zone.name(origin.unwrap().id), "mg.insightpulseai.net.");
    // `parse` records the directive but reads nothing.
    let zone = zone::parse(&root, "insightpulseai.net", &ParseOptions::default());
    assert_eq!(zone.records.len(), 1);
    assert!(zone.errors.is_empty());
}

#[test]
fn include_cycles_depth_and_missing_files_are_errors() {
    let root = SourceFile::from_text(
        "z/main.zone",
        "$TTL 1\n$INCLUDE a.inc\n$INCLUDE missing.inc\nok A 192.0.2.1\n",
    );
    let mut reader = memory_reader(&[
        ("z/a.inc", "a A 192.0.2.2\n$INCLUDE sub/b.inc\n"),
        ("z/sub/b.inc", "b A 192.0.2.3\n$INCLUDE ../a.inc\n"),
    ]);
    let zone = zone::load(&root, "example.com", &ParseOptions::default(), &mut reader);
    let messages: Vec<_> = zone
        .errors
        .iter()
        .map(|e| (e.file, e.error.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                FileId(2),
                "$INCLUDE cycle: z/a.inc includes z/sub/b.inc includes z/a.inc"
            ),
            (
                FileId::ROOT,
                "cannot read $INCLUDE file 'missing.inc': no such file"
            ),
        ]
    );
    assert_eq!(zone.records.len(), 3);

    let opts = ParseOptions {
        max_include_depth: 1,
        ..ParseOptions::default()
    };
    let mut reader = memory_reader(&[
        ("z/a.inc", "a A 192.0.2.2\n$INCLUDE sub/b.inc\n"),
        ("z/sub/b.inc", "b A 192.0.2.3\n"),
    ]);
    let root = SourceFile::from_text("z/main.zone", "$TTL 1\n$INCLUDE a.inc\n");
    let zone = zone::load(&root, "example.com", &opts, &mut reader);
    assert_eq!(
        zone.errors[0].error.message,
        "$INCLUDE nested deeper than 1 files; this and later $INCLUDEs past the bound are not followed"
    );
}

/// A reader that refuses what lies outside `repo/`, over a memory reader.
struct RepoOnly<R>(R);

impl<R: FnMut(&Path) -> io::Result<SourceFile>> zone::IncludeReader for RepoOnly<R> {
    fn read(&mut self, path: &Path) -> io::Result<SourceFile> {
        (self.0)(path)
    }

    fn refuses(&mut self, path: &Path) -> Option<String> {
        (!path.starts_with("repo")).then(|| "outside the repo".to_owned())
    }
}

#[test]
fn includes_fall_back_to_a_directory_and_refused_ones_are_kept_apart() {
    let root = SourceFile::from_text(
        "repo/dns/main.zone",
        "$TTL 1\n$INCLUDE dns/parts/a.inc\n$INCLUDE ../../etc/x.inc\n$INCLUDE /etc/y.inc\n\
         $INCLUDE nowhere.inc\n",
    );
    let mut reader = RepoOnly(memory_reader(&[
        ("repo/dns/parts/a.inc", "a A 192.0.2.2\n$INCLUDE b.inc\n"),
        ("repo/dns/parts/b.inc", "b A 192.0.2.3\n"),
    ]));
    let opts = ParseOptions {
        include_fallback_dir: Some(PathBuf::from("repo")),
        ..ParseOptions::default()
    };
    let zone = zone::load(&root, "example.com", &opts, &mut reader);
    // Beside the including file first (`b.inc`), then under the fallback directory.
    let names: Vec<_> = zone
        .includes
        .iter()
        .map(|f| f.source.name.as_str())
        .collect();
    assert_eq!(names, ["repo/dns/parts/a.inc", "repo/dns/parts/b.inc"]);
    assert_eq!(zone.records.len(), 2);
    let refused: Vec<_> = zone
        .not_followed
        .iter()
        .map(|n| (n.path.value.as_str(), n.reason.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("../../etc/x.inc", "outside the repo"),
            ("/etc/y.inc", "outside the repo")
        ]
    );
    let errors: Vec<_> = zone
        .errors
        .iter()
        .map(|e| e.error.message.as_str())
        .collect();
    assert_eq!(
        errors,
        ["cannot read $INCLUDE file 'nowhere.inc': no such file; no such file"]
    );
}

#[test]
fn includes_are_read_from_disk_relative_to_the_including_file() {
    let base = std::env::temp_dir().join(format!("ipai-zone-include-{}", std::process::id()));
    let dir = base.join("repo");
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    std::fs::write(base.join("secret.txt"), "not for zone files\n").unwrap();
    std::fs::write(
        dir.join("main.zone"),
        "$TTL 1\n$INCLUDE parts/web.inc\n$INCLUDE ../secret.txt\n$INCLUDE /dev/zero\n",
    )
    .unwrap();
    std::fs::write(dir.join("parts/web.inc"), "erp A 178.128.112.214\n").unwrap();
    let root = SourceFile::read("main.zone", &dir.join("main.zone")).unwrap();
    let zone = zone::load(
        &root,
        "insightpulseai.net",
        &ParseOptions::default(),
        &mut zone::FsReader::within(&dir),
    );
    std::fs::remove_dir_all(&base).unwrap();
    assert_eq!(
        zone.record_text(&zone.records[0]),
        "erp.insightpulseai.net. 1 IN A 178.128.112.214"
    );
    let messages: Vec<_> = zone
        .errors
        .iter()
        .map(|e| e.error.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("cannot read $INCLUDE file '../secret.txt': outside "));
    assert!(messages[1].starts_with("cannot read $INCLUDE file '/dev/zero': "));
    assert!(zone
        .includes
        .iter()
        .all(|f| !f.source.text.contains("not for zone files")));
}

#[test]
fn records_stay_compact() {
    // A million records must fit well under named-checkzone's memory (see benches/peers/zone.sh).
    assert!(
        std::mem::size_of::<Record>() <= 144,
        "Record is {} bytes",
        std::mem::size_of::<Record>()
    );
    assert!(
        std::mem::size_of::<RData>() <= 48,
        "RData is {} bytes",
        std::mem::size_of::<RData>()
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn zone_like_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("$TTL".to_owned()),
            Just("$ORIGIN".to_owned()),
            Just("$INCLUDE".to_owned()),
            Just("$GENERATE 1-3".to_owned()),
            Just("@".to_owned()),
            Just("IN".to_owned()),
            Just("A".to_owned()),
            Just("TXT".to_owned()),
            Just("CAA".to_owned()),
            Just("SOA".to_owned()),
            Just("\\#".to_owned()),
            "[0-9]{1,12}".prop_map(|s| s),
            "[a-z0-9.\\-]{1,20}".prop_map(|s| s),
            "[ \t\r\n();\"\\\\$@{},.]".prop_map(|s| s),
            "\\PC{0,4}".prop_map(|s| s),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
    }

    fn check_spans(source: &SourceFile, zone: &Zone) {
        for e in &zone.errors {
            assert!(zone
                .source(source, e.file)
                .text
                .get(e.error.span.start()..e.error.span.end())
                .is_some());
        }
        for r in &zone.records {
            let text = &zone.source(source, r.file).text;
            for span in [r.span, r.owner.span, r.rtype_span, r.ttl.span] {
                assert!(
                    text.get(span.start()..span.end()).is_some(),
                    "bad span {span:?}"
                );
            }
        }
        for c in &zone.comments {
            assert!(source.text.get(c.span.start()..c.span.end()).is_some());
        }
    }

    proptest! {
        #[test]
        fn zone_like_text_never_panics_and_spans_stay_in_bounds(text in zone_like_text()) {
            let source = SourceFile::from_text("p.zone", text);
            let zone = zone::parse(&source, "example.com", &ParseOptions::default());
            check_spans(&source, &zone);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let source = SourceFile::from_bytes("b.zone", "b.zone", &bytes);
            let zone = zone::parse(&source, "example.com", &ParseOptions::default());
            check_spans(&source, &zone);
        }
    }

    /// One record, as (text to write, canonical line expected back).
    fn record() -> impl Strategy<Value = (String, String)> {
        let label = "[a-z][a-z0-9-]{0,10}";
        let ttl = prop::option::of(0u32..=2_147_483_647);
        let data = prop_oneof![
            any::<[u8; 4]>().prop_map(|o| {
                let a = std::net::Ipv4Addr::from(o);
                ("A".to_owned(), a.to_string(), a.to_string())
            }),
            any::<[u16; 8]>().prop_map(|s| {
                let a = std::net::Ipv6Addr::from(s);
                ("AAAA".to_owned(), a.to_string(), a.to_string())
            }),
            (any::<u16>(), label).prop_map(|(p, t)| (
                "MX".to_owned(),
                format!("{p} {t}"),
                format!("{p} {t}.example.com.")
            )),
            (label, any::<bool>()).prop_map(|(t, abs)| if abs {
                ("CNAME".to_owned(), format!("{t}.org."), format!("{t}.org."))
            } else {
                ("CNAME".to_owned(), t.clone(), format!("{t}.example.com."))
            }),
            prop::collection::vec("[ -~]{0,40}", 1..4).prop_map(|strings| {
                let escape = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
                let written: Vec<_> = strings
                    .iter()
                    .map(|s| format!("\"{}\"", escape(s)))
                    .collect();
                ("TXT".to_owned(), written.join(" "), written.join(" "))
            }),
            (any::<u16>(), any::<u16>(), any::<u16>(), label).prop_map(|(a, b, c, t)| {
                (
                    "SRV".to_owned(),
                    format!("{a} {b} {c} {t}"),
                    format!("{a} {b} {c} {t}.example.com."),
                )
            }),
            (any::<u8>(), "[a-zA-Z0-9]{1,15}", "[ -~]{0,30}").prop_map(|(f, tag, v)| {
                let v = v.replace('\\', "\\\\").replace('"', "\\\"");
                (
                    "CAA".to_owned(),
                    format!("{f} {tag} \"{v}\""),
                    format!("{f} {tag} \"{v}\""),
                )
            }),
        ];
        (label, ttl, data).prop_map(|(owner, ttl, (rtype, written, canonical))| {
            let ttl_text = ttl.map(|t| format!("{t} ")).unwrap_or_default();
            (
                format!("{owner} {ttl_text}IN {rtype} {written}"),
                format!(
                    "{owner}.example.com. {} IN {rtype} {canonical}",
                    ttl.unwrap_or(3600)
                ),
            )
        })
    }

    proptest! {
        #[test]
        fn generated_records_round_trip(records in prop::collection::vec(record(), 1..20)) {
            let text: String = std::iter::once("$TTL 3600\n".to_owned())
                .chain(records.iter().map(|(line, _)| format!("{line}\n")))
                .collect();
            let (source, zone) = parse(&text, "example.com");
            prop_assert!(zone.errors.is_empty(), "{:?}", errors(&source, &zone));
            let lines: Vec<String> = zone.records.iter().map(|r| zone.record_text(r)).collect();
            let expected: Vec<String> = records.iter().map(|(_, line)| line.clone()).collect();
            prop_assert_eq!(&lines, &expected);
            // The presentation form reads back to itself.
            let (_, again) = parse(&lines.join("\n"), "example.com");
            prop_assert!(again.errors.is_empty());
            let relines: Vec<String> = again.records.iter().map(|r| again.record_text(r)).collect();
            prop_assert_eq!(relines, lines);
        }
    }
}
