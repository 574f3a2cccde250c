//! No value from `stack.yaml` changes the structure of a generated file.
//!
//! For each fact that reaches a template, the property puts an arbitrary string there and
//! renders the whole stack. Either ipai-gen refuses the value (an error that names it), or
//! every file has exactly the structure it has with a harmless value: the same nginx
//! directives and blocks with the same number of arguments, the same odoo.conf sections
//! and keys, the same zone records and types, the same YAML shape with the same Compose
//! interpolations, the same shell words and operators, the same Markdown table cells. The
//! readers below follow each format's grammar (sources in `src/gen/escape.rs`), so a value
//! that breaks out of its quotes, its line or its cell shows up as a different structure.

use ipai::gen::templates::Format;
use ipai::gen::{self, GenError, Part};
use ipai::stack::{Date, Stack};
use proptest::prelude::*;
use std::sync::OnceLock;

type Apply = fn(&mut Stack, &str);

/// Each fact a template prints: where it is, a harmless value, and how to set it.
const FIELDS: &[(&str, &str, Apply)] = &[
    ("sites[erp].description", "Odoo production", |s, v| {
        s.sites[2].description = Some(v.into())
    }),
    ("sites[www].redirect_to", "example.org", |s, v| {
        s.sites[1].redirect_to = Some(v.into())
    }),
    ("sites[n8n].upstream", "automation", |s, v| {
        s.sites[4].upstream = Some(v.into());
        s.sites[4].port = Some(5678);
    }),
    ("sites[staging].fqdn", "staging", |s, v| {
        let fqdn = format!("t{v}.insightpulseai.net");
        s.sites[3].fqdn = fqdn.clone();
        s.certificates[1].sans = vec![fqdn];
    }),
    (
        "odoo[production].database.host",
        "db.example.net",
        |s, v| s.odoo.environments[0].database.host = v.into(),
    ),
    ("odoo[production].database.sslmode", "require", |s, v| {
        s.odoo.environments[0].database.sslmode = v.into()
    }),
    ("odoo[production].database.name", "odoo", |s, v| {
        s.odoo.environments[0].database.name = Some(v.into())
    }),
    ("mail.dmarc_rua", "mailto:d@example.net", |s, v| {
        s.mail.as_mut().unwrap().dmarc_rua = Some(v.into())
    }),
    ("mail.spf_includes[0]", "mailgun.org", |s, v| {
        s.mail.as_mut().unwrap().spf_includes[0] = v.into()
    }),
    ("mail.dkim_key", "k=rsa; p=AAAA", |s, v| {
        s.mail.as_mut().unwrap().dkim_key = Some(v.into())
    }),
    ("mail.domain", "mg", |s, v| {
        s.mail.as_mut().unwrap().domain = format!("t{v}.insightpulseai.net")
    }),
    ("mail.provider", "mailgun", |s, v| {
        s.mail.as_mut().unwrap().provider = v.into()
    }),
    ("certificates[staging].name", "staging-cert", |s, v| {
        s.certificates[1].name = v.into()
    }),
    ("nginx.service", "proxy", |s, v| {
        s.nginx.service = Some(v.into())
    }),
    ("env.required[2]", "SOME_VAR", |s, v| {
        s.env.required[2] = v.into()
    }),
    ("hosts[0].name", "droplet", |s, v| {
        s.hosts[0].name = v.into()
    }),
    ("firewall.allow[0]", "22/tcp", |s, v| {
        s.firewall.allow[0] = v.into()
    }),
];

/// Names a hostile value must not take: they would merge two things on purpose.
const TAKEN: &[&str] = &[
    "odoo-prod",
    "odoo-staging",
    "nginx-prod-v2",
    "redis",
    "postgres",
    "mcp",
    "auth",
    "superset",
    "n8n",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "CERTBOT_EMAIL",
    "ADMIN_PASSWORD",
    "SUPABASE_PROJECT_REF",
    "SUPABASE_URL",
    "SUPABASE_SERVICE_ROLE_KEY",
    "MAILGUN_SIGNING_KEY",
];

fn today() -> Date {
    "2026-11-25".parse().unwrap()
}

fn stack_with(field: usize, value: &str) -> Stack {
    let mut stack = Stack::insightpulse();
    (FIELDS[field].2)(&mut stack, value);
    stack
}

/// Each file's format and structure, in render order.
type Shapes = Vec<(Format, Vec<String>)>;

/// The structure of every file rendered with each field's harmless value.
fn baselines() -> &'static Vec<Shapes> {
    static BASELINES: OnceLock<Vec<Shapes>> = OnceLock::new();
    BASELINES.get_or_init(|| {
        (0..FIELDS.len())
            .map(|field| {
                let stack = stack_with(field, FIELDS[field].1);
                let generated = gen::generate(&stack, None, today(), None, None)
                    .unwrap_or_else(|e| panic!("{}: baseline fails: {e}", FIELDS[field].0));
                shapes(&generated.files)
            })
            .collect()
    })
}

fn shapes(files: &[gen::RenderedFile]) -> Shapes {
    files
        .iter()
        .filter(|f| f.part != Part::Stack)
        .map(|f| (f.format, shape(f.format, &f.contents)))
        .collect()
}

fn shape(format: Format, text: &str) -> Vec<String> {
    match format {
        Format::Nginx => nginx_shape(text),
        Format::Ini => ini_shape(text),
        Format::Zone => zone_shape(text),
        Format::Yaml => vec![yaml_shape(text)],
        Format::DotEnv => env_shape(text),
        Format::Shell => shell_shape(text),
        Format::Markdown => markdown_shape(text),
    }
}

/// Directives (by name) with their argument counts, and block delimiters. Comments and
/// the spelling of arguments are not structure.
fn nginx_shape(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut directive_next = true;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if matches!(c, ';' | '{' | '}') {
            out.push(c.to_string());
            directive_next = true;
            i += 1;
        } else {
            let mut token = String::new();
            if c == '"' || c == '\'' {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    token.push(chars[i]);
                    i += 1;
                }
                i += 1;
                if i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], ';' | '{') {
                    out.push("GLUED".into());
                }
            } else {
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], ';' | '{' | '}')
                {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        token.push(chars[i]);
                        i += 1;
                    }
                    token.push(chars[i]);
                    i += 1;
                }
            }
            if directive_next {
                out.push(format!("directive {token}"));
                directive_next = false;
            } else {
                out.push("arg".into());
            }
        }
    }
    out
}

/// RawConfigParser's line kinds: sections, keys, comments, continuations.
fn ini_shape(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                "blank".to_string()
            } else if line.starts_with([' ', '\t']) {
                "continuation".to_string()
            } else if line.starts_with([';', '#']) {
                "comment".to_string()
            } else if line.starts_with('[') {
                format!("section {line}")
            } else {
                match line.find(['=', ':']) {
                    Some(at) => format!("key {}", line[..at].trim()),
                    None => "no-delimiter".to_string(),
                }
            }
        })
        .collect()
}

/// Per line: record types and keywords, other words as `w`, each run of quoted
/// character-strings as one `s` (a long TXT value is legitimately split in several).
/// Comments are dropped.
fn zone_shape(text: &str) -> Vec<String> {
    const KEYWORDS: [&str; 14] = [
        "$ORIGIN",
        "$TTL",
        "$INCLUDE",
        "$GENERATE",
        "IN",
        "A",
        "CNAME",
        "MX",
        "TXT",
        "NS",
        "SOA",
        "CAA",
        "issue",
        "issuewild",
    ];
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut line: Vec<String> = Vec::new();
    while i <= chars.len() {
        let c = chars.get(i).copied().unwrap_or('\n');
        if c == '\n' {
            // Comment-only lines are not structure (a fact may leave one out); an injected
            // record after a comment would still be its own line.
            if !line.is_empty() {
                out.push(line.join(" "));
            }
            line.clear();
            i += 1;
        } else if c == ' ' || c == '\t' {
            if line.is_empty() && i > 0 && chars[i - 1] == '\n' {
                line.push("inherited-owner".into());
            }
            i += 1;
        } else if c == ';' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '(' || c == ')' {
            line.push(c.to_string());
            i += 1;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            if line.last().map(String::as_str) != Some("s") {
                line.push("s".into());
            }
        } else {
            let mut word = String::new();
            while i < chars.len() && !matches!(chars[i], ' ' | '\t' | '\n' | ';' | '"' | '(' | ')')
            {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    word.push(chars[i]);
                    i += 1;
                }
                word.push(chars[i]);
                i += 1;
            }
            line.push(if KEYWORDS.contains(&word.as_str()) {
                word
            } else {
                "w".into()
            });
        }
    }
    out
}

/// The YAML tree with strings reduced to their count of Compose interpolations, and the
/// keys that are names (services, volumes) reduced to `name`.
fn yaml_shape(text: &str) -> String {
    match serde_saphyr::from_str::<serde_json::Value>(text) {
        Ok(value) => value_shape(&value),
        Err(err) => format!("unparsable: {err}"),
    }
}

fn value_shape(value: &serde_json::Value) -> String {
    const KEYS: [&str; 27] = [
        "services",
        "volumes",
        "image",
        "restart",
        "ports",
        "environment",
        "depends_on",
        "healthcheck",
        "test",
        "interval",
        "timeout",
        "retries",
        "start_period",
        "type",
        "source",
        "target",
        "read_only",
        "expose",
        "entrypoint",
        "command",
        "condition",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "PGUSER",
        "PGPASSWORD",
        "bind",
        "volume",
    ];
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let key = if KEYS.contains(&k.as_str()) {
                        k.as_str()
                    } else {
                        "name"
                    };
                    format!("{key}={}", value_shape(v))
                })
                .collect();
            entries.sort();
            format!("{{{}}}", entries.join(","))
        }
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items.iter().map(value_shape).collect::<Vec<_>>().join(",")
        ),
        serde_json::Value::String(s) => format!("s{}", interpolations(s)),
        serde_json::Value::Number(_) => "n".into(),
        serde_json::Value::Bool(_) => "b".into(),
        serde_json::Value::Null => "null".into(),
    }
}

/// How many `$NAME` / `${…}` Compose would substitute (`$$` is a literal `$`).
fn interpolations(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            match bytes.get(i + 1) {
                Some(b'$') => i += 2,
                Some(b'{') => {
                    count += 1;
                    i += 2;
                }
                Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                    count += 1;
                    i += 2;
                }
                _ => i += 1,
            }
        } else {
            i += 1;
        }
    }
    count
}

fn env_shape(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                "blank".to_string()
            } else if line.starts_with('#') {
                "comment".to_string()
            } else if line.ends_with('=') && !line[..line.len() - 1].contains(['=', ' ', '#']) {
                "variable".to_string()
            } else {
                format!("other {line}")
            }
        })
        .collect()
}

/// Per line: words, operators and expansions outside single quotes (POSIX §2.2–2.3).
fn shell_shape(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line: Vec<String> = Vec::new();
    let mut in_word = false;
    let mut i = 0;
    let end_word = |line: &mut Vec<String>, in_word: &mut bool| {
        if *in_word {
            line.push("w".into());
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                end_word(&mut line, &mut in_word);
                out.push(line.join(" "));
                line.clear();
                i += 1;
            }
            ' ' | '\t' => {
                end_word(&mut line, &mut in_word);
                i += 1;
            }
            '#' if !in_word => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                line.push("comment".into());
            }
            '\\' => {
                if chars.get(i + 1) == Some(&'\n') {
                    end_word(&mut line, &mut in_word);
                    line.push("continued".into());
                } else {
                    in_word = true;
                }
                i += 2;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    if chars[i] == '\n' {
                        line.push("newline-in-quotes".into());
                    }
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' => i += 1,
                        '$' => line.push("$".into()),
                        '`' => line.push("`".into()),
                        '\n' => line.push("newline-in-quotes".into()),
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            ';' | '&' | '|' | '(' | ')' | '<' | '>' | '`' => {
                end_word(&mut line, &mut in_word);
                line.push(c.to_string());
                i += 1;
            }
            '$' => {
                in_word = true;
                line.push("$".into());
                i += 1;
            }
            _ => {
                in_word = true;
                i += 1;
            }
        }
    }
    end_word(&mut line, &mut in_word);
    out.push(line.join(" "));
    out
}

/// Per line: its block kind (heading, list, table row, fence, fenced code, HTML comment,
/// text) and its count of unescaped `|` (GFM cell boundaries, also inside code spans) and
/// of `<` outside code spans.
fn markdown_shape(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            if line.starts_with("```") {
                in_fence = !in_fence;
            } else if in_fence {
                // Fenced code is literal; only a fence line can end it.
                return "code".to_string();
            }
            let kind = if line.starts_with("```") {
                "fence"
            } else if line.starts_with('#') {
                "heading"
            } else if line.starts_with("- ") {
                "item"
            } else if line.starts_with('|') {
                "row"
            } else if line.starts_with("<!--") {
                "html"
            } else if line.is_empty() {
                "blank"
            } else {
                "text"
            };
            let chars: Vec<char> = line.chars().collect();
            let (mut pipes, mut angles) = (0, 0);
            let mut i = 0;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 2,
                    '|' => {
                        pipes += 1;
                        i += 1;
                    }
                    '<' => {
                        angles += 1;
                        i += 1;
                    }
                    '`' => {
                        // A code span: its text is literal, but GFM still splits table
                        // cells on an unescaped `|` inside it.
                        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                        let close = (i + run..chars.len()).find(|&j| {
                            chars[j] == '`'
                                && chars[j..].iter().take_while(|&&c| c == '`').count() == run
                                && chars[j - 1] != '`'
                        });
                        match close {
                            Some(end) => {
                                let mut k = i + run;
                                while k < end {
                                    match chars[k] {
                                        '\\' => k += 2,
                                        '|' => {
                                            pipes += 1;
                                            k += 1;
                                        }
                                        _ => k += 1,
                                    }
                                }
                                i = end + run;
                            }
                            None => i += run,
                        }
                    }
                    _ => i += 1,
                }
            }
            format!("{kind} {pipes} {angles}")
        })
        .collect()
}

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        "[a-z0-9.-]{1,24}",
        "[a-z ;{}\"'\\\\$#|`<>()=:\n\r\t%*_\\[\\]!&-]{0,24}",
        "[a-zA-Z0-9+/=; ]{200,700}",
        Just("x\nproxy_pass http://evil;".to_string()),
        Just("a\" ; return 200 pwned; \"".to_string()),
        Just("${SECRET}".to_string()),
        Just("'; rm -rf / #".to_string()),
        Just("x | y | z".to_string()),
        Just("v=spf1 \"a\\\" include:evil".to_string()),
    ]
}

proptest! {
    // 384 cases by default; PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(384),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_value_changes_the_structure_of_the_output(
        field in 0..FIELDS.len(),
        value in hostile(),
    ) {
        if TAKEN.contains(&value.as_str()) {
            return Ok(());
        }
        let stack = stack_with(field, &value);
        // A value the stack schema itself refuses never gets this far.
        if Stack::from_yaml("stack.yaml", &stack.to_yaml()).is_err() {
            return Ok(());
        }
        match gen::generate(&stack, None, today(), None, None) {
            Err(GenError::Facts(err)) => {
                prop_assert!(!err.message.is_empty());
            }
            Err(other) => prop_assert!(false, "{}: {:?}: unexpected error {}", FIELDS[field].0, value, other),
            Ok(generated) => {
                let got = shapes(&generated.files);
                let want = &baselines()[field];
                prop_assert_eq!(got.len(), want.len());
                for ((format, got), (_, want)) in got.iter().zip(want) {
                    prop_assert_eq!(
                        got, want,
                        "{} = {:?} changed the structure of a {} file",
                        FIELDS[field].0, value, format.as_str()
                    );
                }
                // The resolved facts read back to exactly what was rendered.
                let resolved = gen::resolve::resolve(
                    &stack,
                    &generated.policy,
                    today(),
                    None,
                );
                prop_assert_eq!(generated.stack.to_yaml(), resolved.stack.to_yaml());
            }
        }
    }
}

#[test]
fn the_readers_see_what_an_injection_would_change() {
    // The shapes are only worth something if a broken-out value shows in them.
    assert_ne!(
        nginx_shape("server_name a;\n"),
        nginx_shape("server_name a; return 200 x;\n")
    );
    assert_ne!(nginx_shape("x \"a\";"), nginx_shape("x \"a\" b;"));
    assert_ne!(ini_shape("a = 1\n"), ini_shape("a = 1\n[x]\n"));
    assert_ne!(ini_shape("a = 1\n"), ini_shape("a = 1\n b\n"));
    assert_ne!(
        zone_shape("a. IN TXT \"x\"\n"),
        zone_shape("a. IN TXT \"x\"\nb. IN A 1.2.3.4\n")
    );
    assert_eq!(
        zone_shape("a. IN TXT \"x\"\n"),
        zone_shape("a. IN TXT \"x\" \"y\"\n")
    );
    assert_ne!(yaml_shape("a: \"$X\"\n"), yaml_shape("a: \"$$X\"\n"));
    assert_ne!(shell_shape("echo 'a'\n"), shell_shape("echo a; b\n"));
    assert_ne!(markdown_shape("| a |\n"), markdown_shape("| a | b |\n"));
    assert_eq!(markdown_shape("| a |\n"), markdown_shape("| a \\| b |\n"));
    assert_eq!(
        markdown_shape("| `a` |\n"),
        markdown_shape("| `<a\\|b>` |\n")
    );
    assert_ne!(markdown_shape("| `a` |\n"), markdown_shape("| `a|b` |\n"));
}
