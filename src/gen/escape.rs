//! Typed escaping: one function per place a value from `stack.yaml` can land in an output
//! format. Each either returns text that the format's reader turns back into exactly that
//! value, as exactly one token, or refuses the value. None of them guesses.
//!
//! Sources for each grammar:
//! - nginx: `ngx_conf_read_token` in `src/core/ngx_conf_file.c` (quotes, `\` escapes) and
//!   the Beginner's Guide "Configuration File's Structure"
//!   (<https://nginx.org/en/docs/beginners_guide.html#conf_structure>). `$` starts a
//!   variable in most arguments and has no escape, so it is refused.
//! - odoo.conf: Python's `configparser.RawConfigParser` (no interpolation, values stripped,
//!   a newline starts a new line or a continuation), as Odoo 16–18 read it
//!   (research/odoo.md §2.1).
//! - zone files: RFC 1035 §5.1 (`\X`, `\DDD`, quoted character-strings) and §3.3 (a
//!   character-string is at most 255 octets), RFC 1035 §2.3.1 and RFC 2782 (`_` labels).
//! - YAML: YAML 1.2 §5.7 and §7.3.1 (double-quoted scalars and their escapes); Compose's
//!   interpolation (`$$` is a literal `$`, compose-spec `12-interpolation.md`).
//! - shell: POSIX "Shell Command Language" §2.2.2 (single quotes).
//! - Markdown: CommonMark §2.4 (backslash escapes) and GFM tables (`\|` in cells).

use std::fmt;

/// A value the format cannot hold. `reason` says why, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unrepresentable {
    pub reason: String,
}

impl Unrepresentable {
    fn new(reason: impl Into<String>) -> Self {
        Unrepresentable {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Unrepresentable {}

pub type Escaped = Result<String, Unrepresentable>;

fn no_control(value: &str, what: &str) -> Result<(), Unrepresentable> {
    match value.chars().find(|c| c.is_control()) {
        Some('\n') => Err(Unrepresentable::new(format!(
            "{what} cannot contain a newline"
        ))),
        Some(c) => Err(Unrepresentable::new(format!(
            "{what} cannot contain the control character U+{:04X}",
            c as u32
        ))),
        None => Ok(()),
    }
}

/// A comment's text, for any format whose comments run to the end of the line.
pub fn comment(value: &str) -> Escaped {
    no_control(value, "a comment")?;
    Ok(value.to_string())
}

// ---------------------------------------------------------------------------------------
// nginx

/// One nginx argument. Bare when it is a plain word, otherwise double-quoted with `"` and
/// `\` escaped. Refuses control characters and `$`, which nginx would read as a variable.
pub fn nginx_str(value: &str) -> Escaped {
    no_control(value, "an nginx value")?;
    if value.contains('$') {
        return Err(Unrepresentable::new(
            "an nginx value cannot contain `$`: nginx reads it as a variable and has no escape for it",
        ));
    }
    let bare = !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'.' | b'_' | b'-' | b':' | b'/' | b'+' | b'=' | b',' | b'@'
                )
        });
    if bare {
        return Ok(value.to_string());
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// A host name in `server_name`, `proxy_pass`, `server` or a redirect URL: letters, digits,
/// hyphens and dots only, so it is one bare word in every one of those places.
pub fn nginx_name(value: &str) -> Escaped {
    host_name(value, "a server name")?;
    Ok(value.to_string())
}

/// An identifier nginx uses as a name (an upstream): letters, digits and `_`.
pub fn nginx_ident(value: &str) -> Escaped {
    if value.is_empty()
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(Unrepresentable::new(
            "an nginx identifier holds only letters, digits and `_`",
        ));
    }
    Ok(value.to_string())
}

/// One path component, such as a certbot lineage name in `/etc/letsencrypt/live/<name>/`.
pub fn path_segment(value: &str) -> Escaped {
    let ok = !value.is_empty()
        && !value.starts_with('.')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !ok {
        return Err(Unrepresentable::new(
            "a file name here holds only letters, digits, `.`, `_` and `-`, and does not start with `.`",
        ));
    }
    Ok(value.to_string())
}

fn host_name(value: &str, what: &str) -> Result<(), Unrepresentable> {
    let bad = |why: &str| Err(Unrepresentable::new(format!("{what} {why}")));
    let name = value.strip_suffix('.').unwrap_or(value);
    if name.is_empty() || name.len() > 253 {
        return bad("has 1 to 253 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return bad(&match c {
            ' ' => "cannot contain a space".to_string(),
            c => format!("cannot contain `{}`", c.escape_debug()),
        });
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 || label.starts_with('-') || label.ends_with('-') {
            return bad("is dot-separated labels of 1 to 63 letters, digits or inner hyphens");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// odoo.conf (INI, as RawConfigParser reads it)

/// A value after `key = `. RawConfigParser strips the surrounding whitespace, ends the value
/// at the line's end, and does no interpolation (`%` and `;` are literal in Odoo 16–18), so
/// only line breaks, control characters and surrounding whitespace cannot be represented.
pub fn ini_value(value: &str) -> Escaped {
    no_control(value, "an odoo.conf value")?;
    if value.trim() != value {
        return Err(Unrepresentable::new(
            "an odoo.conf value cannot start or end with whitespace: Odoo's reader strips it",
        ));
    }
    Ok(value.to_string())
}

// ---------------------------------------------------------------------------------------
// DNS zone files

/// A domain name as an absolute zone-file name with its trailing dot. Labels are letters,
/// digits, inner hyphens and `_` (for `_dmarc`, `_domainkey`), so no escaping is needed and
/// nothing can be read as `@`, a directive, a comment or a parenthesis.
pub fn zone_name(value: &str) -> Escaped {
    let bad = |why: &str| {
        Err(Unrepresentable::new(format!(
            "a domain name in the zone {why}"
        )))
    };
    let name = value.strip_suffix('.').unwrap_or(value);
    if name.is_empty() || name.len() > 253 {
        return bad("has 1 to 253 characters");
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return bad("is labels of 1 to 63 characters");
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return bad(&format!("cannot contain `{}`", c.escape_debug()));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad("has no label that starts or ends with `-`");
        }
    }
    Ok(format!("{name}."))
}

/// TXT data as quoted character-strings of at most 255 octets each (RFC 1035 §3.3), split on
/// octet boundaries before escaping. `"` and `\` are escaped, and every octet outside
/// printable ASCII becomes `\DDD`. Any byte string is representable.
pub fn zone_txt(value: &str) -> Escaped {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return Ok("\"\"".to_string());
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for (i, chunk) in bytes.chunks(255).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_character_string(&mut out, chunk);
    }
    Ok(out)
}

/// One character-string (a CAA value): at most 255 octets.
pub fn zone_string(value: &str) -> Escaped {
    if value.len() > 255 {
        return Err(Unrepresentable::new(format!(
            "a zone character-string has at most 255 octets; this one has {}",
            value.len()
        )));
    }
    let mut out = String::with_capacity(value.len() + 2);
    push_character_string(&mut out, value.as_bytes());
    Ok(out)
}

fn push_character_string(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------
// YAML and Compose

/// A YAML double-quoted scalar (YAML 1.2 §7.3.1). Every string is representable.
pub fn yaml_str(value: &str) -> Escaped {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// A Compose value: a YAML double-quoted scalar in which `$` is doubled, so Compose never
/// interpolates it (compose-spec `12-interpolation.md`: `$$` is a literal `$`).
pub fn compose_str(value: &str) -> Escaped {
    yaml_str(&value.replace('$', "$$"))
}

/// A Compose service, volume or network name used as a mapping key or a `depends_on` entry:
/// compose-spec `05-services.md` allows `[a-zA-Z0-9._-]`, starting with a letter or digit.
/// Bare unless a YAML 1.1 reader would take it for a number, a boolean or null (`1e3`,
/// `n`, `off`): then double-quoted, so every reader sees a string.
pub fn compose_name(value: &str) -> Escaped {
    let ok = value
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !ok {
        return Err(Unrepresentable::new(
            "a Compose name holds only letters, digits, `.`, `_` and `-`, and starts with a letter or digit",
        ));
    }
    const NOT_STRINGS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "~",
    ];
    let lower = value.to_ascii_lowercase();
    if value.starts_with(|c: char| c.is_ascii_digit()) || NOT_STRINGS.contains(&lower.as_str()) {
        return Ok(format!("\"{value}\""));
    }
    Ok(value.to_string())
}

/// An environment variable's name (`${NAME}`, `NAME=` in an env file, `"$NAME"` in a
/// script): POSIX "Environment Variables" portable names.
pub fn env_name(value: &str) -> Escaped {
    let ok = value
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !ok {
        return Err(Unrepresentable::new(
            "an environment variable name holds only letters, digits and `_`, and does not start with a digit",
        ));
    }
    Ok(value.to_string())
}

/// A required Compose variable as a whole YAML scalar: `"${NAME:?…}"`, so Compose stops
/// with a message when the variable is unset or empty (compose-spec `12-interpolation.md`).
pub fn compose_env(name: &str) -> Escaped {
    let name = env_name(name)?;
    Ok(format!(
        "\"${{{name}:?set {name} in the .env file next to this compose file}}\""
    ))
}

/// A dotted-quad IPv4 address, the only form an `A` record or an `ssh` target takes here.
pub fn ipv4(value: &str) -> Escaped {
    value
        .parse::<std::net::Ipv4Addr>()
        .map(|ip| ip.to_string())
        .map_err(|_| Unrepresentable::new("an IPv4 address is four numbers from 0 to 255"))
}

// ---------------------------------------------------------------------------------------
// POSIX shell

/// One shell word: bare when it has only safe characters, otherwise single-quoted with `'`
/// written as `'\''`. Control characters are refused so a command stays on its line.
pub fn sh_word(value: &str) -> Escaped {
    no_control(value, "a shell argument")?;
    let bare = !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'.' | b'_' | b'-' | b'/' | b':' | b'@' | b'+' | b'=' | b',' | b'%'
                )
        });
    if bare {
        return Ok(value.to_string());
    }
    Ok(format!("'{}'", value.replace('\'', "'\\''")))
}

// ---------------------------------------------------------------------------------------
// Markdown

/// Inline Markdown text placed after other text on its line or in a GFM table cell: the
/// punctuation that can open inline markup, HTML, an entity or a cell boundary is
/// backslash-escaped (CommonMark §2.4), and line breaks are refused.
pub fn md_text(value: &str) -> Escaped {
    no_control(value, "a Markdown table cell or line")?;
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(out)
}

/// An inline code span inside a GFM table cell: the fence is one backtick longer than the
/// longest run inside, and `|` is escaped, which GFM removes before it reads the span
/// (GFM spec, tables extension, example 200).
pub fn md_code(value: &str) -> Escaped {
    no_control(value, "a Markdown code span")?;
    // Escaping the pipe of a value's backslash-pipe would give two backslashes and a pipe,
    // which GFM reads as an escaped backslash and a cell boundary; a code span cannot escape
    // its own backslash, so such a value is shown as escaped text instead.
    if value.contains("\\|") {
        return md_text(value);
    }
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let body = value.replace('|', "\\|");
    let pad = if value.starts_with('`')
        || value.ends_with('`')
        || (value.starts_with(' ') && value.ends_with(' ') && !value.trim().is_empty())
    {
        " "
    } else {
        ""
    };
    Ok(format!("{fence}{pad}{body}{pad}{fence}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_quotes_what_is_not_a_plain_word_and_refuses_variables() {
        assert_eq!(nginx_str("erp.example.net").unwrap(), "erp.example.net");
        assert_eq!(
            nginx_str("erp.example.com; return 200 pwned").unwrap(),
            "\"erp.example.com; return 200 pwned\""
        );
        assert_eq!(nginx_str("a\"b\\c").unwrap(), "\"a\\\"b\\\\c\"");
        assert_eq!(nginx_str("").unwrap(), "\"\"");
        assert!(nginx_str("$host").is_err());
        assert!(nginx_str("a\nb").is_err());
    }

    #[test]
    fn server_names_refuse_spaces_semicolons_and_braces() {
        assert!(nginx_name("erp.insightpulseai.net").is_ok());
        for bad in ["erp .net", "erp;x", "erp{", "", "-a.net", "a..net"] {
            let err = nginx_name(bad).unwrap_err();
            assert!(err.reason.starts_with("a server name "), "{bad}: {err}");
        }
        assert_eq!(
            nginx_name("erp .net").unwrap_err().reason,
            "a server name cannot contain a space"
        );
        assert_eq!(
            nginx_name("erp;x").unwrap_err().reason,
            "a server name cannot contain `;`"
        );
        assert_eq!(
            nginx_name("erp{").unwrap_err().reason,
            "a server name cannot contain `{`"
        );
    }

    #[test]
    fn ini_values_refuse_newlines_and_keep_percent_and_semicolons() {
        assert_eq!(ini_value("^%d$").unwrap(), "^%d$");
        assert_eq!(ini_value("a ; b").unwrap(), "a ; b");
        assert!(ini_value("a\nb").unwrap_err().reason.contains("newline"));
        assert!(ini_value(" a").is_err());
    }

    #[test]
    fn zone_txt_splits_at_255_octets_and_escapes() {
        let long = "k".repeat(300);
        let txt = zone_txt(&long).unwrap();
        assert_eq!(
            txt,
            format!("\"{}\" \"{}\"", "k".repeat(255), "k".repeat(45))
        );
        assert_eq!(zone_txt("a\"b\\c;é").unwrap(), "\"a\\\"b\\\\c;\\195\\169\"");
        assert_eq!(zone_txt("").unwrap(), "\"\"");
    }

    #[test]
    fn zone_names_are_absolute() {
        assert_eq!(
            zone_name("_dmarc.mg.example.net").unwrap(),
            "_dmarc.mg.example.net."
        );
        assert_eq!(zone_name("example.net.").unwrap(), "example.net.");
        assert!(zone_name("a b.net").is_err());
        assert!(zone_name("a;b.net").is_err());
        assert!(zone_name("@").is_err());
    }

    #[test]
    fn yaml_and_compose() {
        assert_eq!(yaml_str("a: b # c").unwrap(), "\"a: b # c\"");
        assert_eq!(yaml_str("x\ny\u{2028}").unwrap(), "\"x\\ny\\u2028\"");
        assert_eq!(compose_str("p$ss${X}").unwrap(), "\"p$$ss$${X}\"");
        assert!(compose_name("odoo-prod").is_ok());
        assert!(compose_name("odoo prod").is_err());
        assert_eq!(compose_name("n").unwrap(), "\"n\"");
        assert_eq!(compose_name("Off").unwrap(), "\"Off\"");
        assert_eq!(compose_name("1e3").unwrap(), "\"1e3\"");
        assert!(env_name("POSTGRES_PASSWORD").is_ok());
        assert!(env_name("1X").is_err());
        assert_eq!(
            compose_env("POSTGRES_PASSWORD").unwrap(),
            "\"${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in the .env file next to this compose file}\""
        );
        assert_eq!(ipv4("178.128.112.214").unwrap(), "178.128.112.214");
        assert!(ipv4("1.2.3").is_err());
    }

    #[test]
    fn shell_words() {
        assert_eq!(sh_word("erp.example.net").unwrap(), "erp.example.net");
        assert_eq!(sh_word("it's").unwrap(), "'it'\\''s'");
        assert_eq!(sh_word("a b;c").unwrap(), "'a b;c'");
        assert!(sh_word("a\nb").is_err());
    }

    #[test]
    fn markdown() {
        assert_eq!(md_text("a|b*c").unwrap(), "a\\|b\\*c");
        assert_eq!(md_code("a|b").unwrap(), "`a\\|b`");
        assert_eq!(md_code("a`b").unwrap(), "``a`b``");
        assert_eq!(md_code("^a\\|b$").unwrap(), "^a\\\\\\|b$");
        assert!(md_text("a\nb").is_err());
    }
}
