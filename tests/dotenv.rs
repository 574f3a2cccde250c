//! `.env` files as Compose reads them, and interpolation properties.

use std::path::Path;

use ipai::formats::compose::{interpolate, Environment, Operator};
use ipai::formats::dotenv::{self, DotEnv, Quote};
use ipai::source::SourceFile;
use proptest::prelude::*;

fn read(name: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/dotenv")
        .join(name);
    SourceFile::read(name, &path).expect("fixture exists")
}

fn value<'a>(env: &'a DotEnv, key: &str) -> Option<&'a str> {
    env.get(key)
        .and_then(|e| e.value.as_ref())
        .map(|v| v.text.as_str())
}

#[test]
fn the_stack_env_file() {
    let source = read("odoo.env");
    let env = dotenv::parse(&source, &Environment::new());
    assert!(env.errors.is_empty(), "{:?}", env.errors);
    assert_eq!(
        env.keys(),
        [
            "POSTGRES_PASSWORD",
            "ADMIN_PASSWORD",
            "SUPABASE_PROJECT_REF",
            "SUPABASE_URL",
            "SUPABASE_SERVICE_ROLE_KEY",
            "MAILGUN_SIGNING_KEY",
            "MAILGUN_DOMAIN",
            "ODOO_EE_PARITY_OCA_MODULES",
            "ODOO_EE_PARITY_IPAI_MODULES",
        ]
    );
    assert_eq!(value(&env, "POSTGRES_PASSWORD"), Some("change-me"));
    assert_eq!(value(&env, "ADMIN_PASSWORD"), Some("change me too"));
    assert_eq!(
        value(&env, "SUPABASE_URL"),
        Some("https://spdtwktxdalcfigzeqrz.supabase.co")
    );
    assert_eq!(value(&env, "SUPABASE_SERVICE_ROLE_KEY"), Some(""));
    assert_eq!(value(&env, "MAILGUN_SIGNING_KEY"), Some(""));
    // After `KEY=` compose-go skips blanks first, so ` # ...` is not a comment but the value.
    assert_eq!(
        value(&env, "MAILGUN_DOMAIN"),
        Some("# compose-go keeps this text as the value")
    );

    let password = env.get("POSTGRES_PASSWORD").expect("entry");
    assert_eq!(source.slice(password.key_span), "POSTGRES_PASSWORD");
    let v = password.value.as_ref().expect("value");
    assert_eq!(source.slice(v.span), "change-me");
    assert_eq!(source.line_col(v.span.start()).line, 4);
    let admin = env
        .get("ADMIN_PASSWORD")
        .and_then(|e| e.value.as_ref())
        .expect("value");
    assert_eq!(
        (source.slice(admin.span), admin.quote),
        ("\"change me too\"", Quote::Double)
    );
    assert!(env.get("SUPABASE_PROJECT_REF").is_some_and(|e| e.exported));
    assert_eq!(
        source.slice(env.get("SUPABASE_PROJECT_REF").expect("entry").span),
        "export SUPABASE_PROJECT_REF=spdtwktxdalcfigzeqrz"
    );

    let url = env
        .get("SUPABASE_URL")
        .and_then(|e| e.value.as_ref())
        .expect("value");
    assert_eq!(url.refs.len(), 1);
    assert_eq!(
        source.slice(ipai::source::Span::new(
            url.refs[0].range.start,
            url.refs[0].range.end
        )),
        "${SUPABASE_PROJECT_REF}"
    );

    // Comments are kept with their spans; the suppression's reason survives intact.
    let texts: Vec<_> = env.comments.iter().map(|c| c.text.trim()).collect();
    assert_eq!(texts.len(), 4);
    assert_eq!(texts[2], "the managed database password");
    assert_eq!(
        texts[3],
        "ipai-lint: ignore[STK001] -- set on the droplet only"
    );
    assert_eq!(source.line_col(env.comments[3].span.start()).line, 9);
    assert_eq!(
        source.slice(env.comments[2].span),
        "# the managed database password"
    );

    let vars = env.environment(&Environment::new());
    assert_eq!(
        vars.get("ODOO_EE_PARITY_OCA_MODULES"),
        Some("account_usability,mis_builder,web_responsive")
    );
}

#[test]
fn quoting_escapes_comments_and_errors() {
    let source = read("edge.env");
    let env = dotenv::parse(&source, &Environment::new());
    assert_eq!(value(&env, "GREETING"), Some("hello\tworld\n"));
    assert_eq!(value(&env, "LITERAL"), Some("no $GREETING here, \\n stays"));
    assert_eq!(
        value(&env, "MULTI"),
        Some("first line\nsecond line with default")
    );
    assert_eq!(value(&env, "HASH"), Some("value#not-a-comment"));
    assert_eq!(value(&env, "SPACED"), Some("padded value"));
    assert_eq!(value(&env, "YAML_STYLE"), Some("colon works"));
    assert!(env.get("INHERITED").is_some_and(|e| e.value.is_none()));
    assert_eq!(value(&env, "DOLLAR"), Some("cost: $5 and $6"));
    assert_eq!(value(&env, "AFTER"), Some("still parsed"));
    assert!(env.get("BAD KEY").is_none() && env.get("OPEN").is_none());

    let multi = env
        .get("MULTI")
        .and_then(|e| e.value.as_ref())
        .expect("value");
    assert_eq!(source.line_col(multi.span.end()).line, 4);
    assert_eq!(multi.refs[0].operator, Operator::DefaultIfUnsetOrEmpty);

    let errors: Vec<_> = env
        .errors
        .iter()
        .map(|e| (source.line_col(e.span.start()).line, e.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, 10);
    assert!(errors[0].1.contains("contains a space"));
    assert_eq!(errors[1].0, 11);
    assert!(errors[1].1.contains("unexpected character '*'"));
    assert_eq!(errors[2], (12, "unterminated quoted value"));
}

#[test]
fn bare_keys_and_interpolation_read_the_lookup_environment() {
    let source = read("edge.env");
    let mut shell = Environment::new();
    shell.set("INHERITED", "from shell");
    shell.set("NAME", "odoo");
    let env = dotenv::parse(&source, &shell);
    assert_eq!(
        value(&env, "MULTI"),
        Some("first line\nsecond line with odoo")
    );
    assert_eq!(env.environment(&shell).get("INHERITED"), Some("from shell"));
}

#[test]
fn crlf_line_endings() {
    let source = read("crlf.env");
    let env = dotenv::parse(&source, &Environment::new());
    assert!(env.errors.is_empty());
    assert_eq!(value(&env, "WINDOWS"), Some("crlf"));
    assert_eq!(value(&env, "QUOTED"), Some("a b"));
}

fn parse_text(text: &str) -> DotEnv {
    dotenv::parse(&SourceFile::from_text(".env", text), &Environment::new())
}

proptest! {
    #[test]
    fn dotenv_never_panics(text in "\\PC{0,200}") {
        let env = parse_text(&text);
        for entry in &env.entries {
            prop_assert!(entry.key_span.end() <= text.len());
        }
    }

    #[test]
    fn dotenv_never_panics_on_env_like_lines(
        lines in prop::collection::vec("(export )?[A-Z_#'\" ]{0,6}[=:]?[a-z$'\"{}#\\\\ \n:-]{0,12}", 0..12)
    ) {
        let _ = parse_text(&lines.join("\n"));
    }

    #[test]
    fn single_quoted_values_round_trip(values in prop::collection::vec("[^'\\\\]{0,20}", 1..8)) {
        let text: String = values.iter().enumerate().map(|(i, v)| format!("K{i}='{v}'\n")).collect();
        let env = parse_text(&text);
        prop_assert!(env.errors.is_empty());
        for (i, v) in values.iter().enumerate() {
            prop_assert_eq!(value(&env, &format!("K{i}")), Some(v.as_str()));
        }
    }

    #[test]
    fn escaped_double_quoted_values_round_trip(values in prop::collection::vec("[ -~]{0,20}", 1..8)) {
        let escape = |v: &str| v.replace('\\', "\\\\").replace('"', "\\\"").replace('$', "\\$");
        let text: String = values.iter().enumerate().map(|(i, v)| format!("K{i}=\"{}\"\n", escape(v))).collect();
        let env = parse_text(&text);
        prop_assert!(env.errors.is_empty(), "{:?}", env.errors);
        for (i, v) in values.iter().enumerate() {
            prop_assert_eq!(value(&env, &format!("K{i}")), Some(v.as_str()));
        }
    }

    #[test]
    fn interpolation_never_panics(template in "\\PC{0,120}", set in "[A-C]{0,3}") {
        let env: Environment = set.chars().map(|c| (c.to_string(), "v".to_string())).collect();
        let result = interpolate(&template, &env);
        for r in &result.refs {
            prop_assert!(r.range.end <= template.len());
            prop_assert!(template.is_char_boundary(r.range.start) && template.is_char_boundary(r.range.end));
        }
        for seg in result.segments() {
            prop_assert!(seg.output.end <= result.value().len());
        }
    }

    #[test]
    fn interpolation_never_panics_on_dollar_heavy_input(template in "[$${}:?+A_a0 -]{0,80}") {
        let result = interpolate(&template, &Environment::new());
        let _ = result.compose_value();
    }

    #[test]
    fn escaped_dollars_round_trip(text in "\\PC{0,80}") {
        let template = text.replace('$', "$$");
        let result = interpolate(&template, &Environment::new());
        prop_assert!(result.errors.is_empty());
        prop_assert!(result.refs.is_empty());
        prop_assert_eq!(result.compose_value(), text);
    }

    #[test]
    fn defaults_apply_to_unset_variables(
        name in "[A-Z_][A-Z0-9_]{0,8}",
        default in "[a-z0-9./:@ -]{0,16}",
        prefix in "[a-z ]{0,5}",
    ) {
        let template = format!("{prefix}${{{name}:-{default}}}");
        let result = interpolate(&template, &Environment::new());
        prop_assert!(result.errors.is_empty());
        prop_assert_eq!(result.compose_value(), format!("{prefix}{default}"));
        prop_assert_eq!(&result.refs[0].name, &name);
        prop_assert_eq!(result.refs[0].range.clone(), prefix.len()..template.len());
    }
}

#[test]
fn error_messages_do_not_echo_values() {
    let env =
        parse_text("DB*PASSWORD=hunter2-secret\nMY PASSWORD=hunter2-secret\nOK=\"hunter2-secret\n");
    assert_eq!(env.errors.len(), 3);
    assert!(
        env.errors.iter().all(|e| !e.message.contains("hunter2")),
        "{:?}",
        env.errors
    );
}
