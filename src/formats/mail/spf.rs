//! SPF records (RFC 7208 §4.6, §12): the version, then terms — mechanisms with an optional
//! qualifier, and `name=value` modifiers.

use std::ops::Range;

/// Whether a TXT text is an SPF record: `v=spf1` alone or followed by a space (§4.5).
pub fn is_spf(text: &str) -> bool {
    let version = text
        .get(..6)
        .is_some_and(|v| v.eq_ignore_ascii_case("v=spf1"));
    version && matches!(text.as_bytes().get(6), None | Some(b' '))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

impl Qualifier {
    pub fn symbol(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

/// One term of the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term<'a> {
    /// `all`, `include`, `a`, `mx`, `ptr`, `ip4`, `ip6`, `exists`, with the text after `:` or `/`.
    Mechanism {
        qualifier: Qualifier,
        explicit_qualifier: bool,
        name: &'a str,
        argument: Option<&'a str>,
        range: Range<usize>,
    },
    /// `redirect=…`, `exp=…`, or an unknown `name=value`.
    Modifier {
        name: &'a str,
        value: &'a str,
        range: Range<usize>,
    },
    /// Text that is neither.
    Invalid {
        text: &'a str,
        range: Range<usize>,
        why: &'static str,
    },
}

impl Term<'_> {
    pub fn range(&self) -> Range<usize> {
        match self {
            Term::Mechanism { range, .. }
            | Term::Modifier { range, .. }
            | Term::Invalid { range, .. } => range.clone(),
        }
    }

    /// Whether evaluating the term costs a DNS query (§4.6.4): include, a, mx, ptr,
    /// exists and redirect do; all, ip4, ip6 and exp do not.
    pub fn counts_lookup(&self) -> bool {
        match self {
            Term::Mechanism { name, .. } => {
                matches!(*name, "include" | "a" | "mx" | "ptr" | "exists")
            }
            Term::Modifier { name, .. } => name.eq_ignore_ascii_case("redirect"),
            Term::Invalid { .. } => false,
        }
    }
}

const MECHANISMS: [&str; 8] = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// The terms after `v=spf1`, with byte ranges into `text`.
pub fn parse(text: &str) -> Vec<Term<'_>> {
    let mut terms = Vec::new();
    let mut offset = 0;
    for word in text.split(' ') {
        let range = offset..offset + word.len();
        offset += word.len() + 1;
        if word.is_empty() || range.start == 0 {
            continue; // repeated spaces; the version term
        }
        terms.push(parse_term(word, range));
    }
    terms
}

fn parse_term(word: &str, range: Range<usize>) -> Term<'_> {
    let name_end = word.find([':', '/', '=']).unwrap_or(word.len());
    if word[name_end..].starts_with('=') {
        let name = &word[..name_end];
        let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !valid_name {
            return Term::Invalid {
                text: word,
                range,
                why: "a modifier name is letters, digits, `-`, `_` and `.`",
            };
        }
        return Term::Modifier {
            name,
            value: &word[name_end + 1..],
            range,
        };
    }
    let (qualifier, explicit, body) = match word.as_bytes().first() {
        Some(b'+') => (Qualifier::Pass, true, &word[1..]),
        Some(b'-') => (Qualifier::Fail, true, &word[1..]),
        Some(b'~') => (Qualifier::SoftFail, true, &word[1..]),
        Some(b'?') => (Qualifier::Neutral, true, &word[1..]),
        _ => (Qualifier::Pass, false, word),
    };
    let name_end = body.find([':', '/']).unwrap_or(body.len());
    let name = &body[..name_end];
    let Some(&known) = MECHANISMS.iter().find(|m| m.eq_ignore_ascii_case(name)) else {
        return Term::Invalid {
            text: word,
            range,
            why: "not an SPF mechanism or modifier",
        };
    };
    let rest = &body[name_end..];
    let argument = rest
        .strip_prefix(':')
        .or_else(|| (!rest.is_empty()).then_some(rest));
    let needs_argument = matches!(known, "include" | "exists" | "ip4" | "ip6");
    if needs_argument && argument.is_none_or(str::is_empty) {
        return Term::Invalid {
            text: word,
            range,
            why: "this mechanism needs a value after `:`",
        };
    }
    if known == "all" && argument.is_some() {
        return Term::Invalid {
            text: word,
            range,
            why: "`all` takes no value",
        };
    }
    if known == "ip4"
        && argument
            .and_then(|a| a.split('/').next())
            .is_some_and(|ip| ip.parse::<std::net::Ipv4Addr>().is_err())
    {
        return Term::Invalid {
            text: word,
            range,
            why: "`ip4:` needs an IPv4 address or network",
        };
    }
    if known == "ip6"
        && argument
            .and_then(|a| a.split('/').next())
            .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_err())
    {
        return Term::Invalid {
            text: word,
            range,
            why: "`ip6:` needs an IPv6 address or network",
        };
    }
    Term::Mechanism {
        qualifier,
        explicit_qualifier: explicit,
        name: known,
        argument,
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_stack_record() {
        let text = "v=spf1 include:mailgun.org ~all";
        assert!(is_spf(text) && !is_spf("v=spf10") && is_spf("V=SPF1"));
        let terms = parse(text);
        assert_eq!(terms.len(), 2);
        assert!(matches!(
            &terms[0],
            Term::Mechanism {
                name: "include",
                argument: Some("mailgun.org"),
                ..
            }
        ));
        assert!(matches!(
            &terms[1],
            Term::Mechanism {
                name: "all",
                qualifier: Qualifier::SoftFail,
                ..
            }
        ));
        assert_eq!(&text[terms[1].range()], "~all");
        assert_eq!(terms.iter().filter(|t| t.counts_lookup()).count(), 1);
    }

    #[test]
    fn rejects_malformed_terms() {
        for bad in [
            "include",
            "include:",
            "ip4:300.1.1.1",
            "all:x",
            "foo",
            "ip6:zz::1",
        ] {
            assert!(
                matches!(parse(&format!("v=spf1 {bad}"))[0], Term::Invalid { .. }),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("v=spf1 redirect=_spf.example.net")[0],
            Term::Modifier {
                name: "redirect",
                ..
            }
        ));
        assert!(matches!(
            parse("v=spf1 a/24")[0],
            Term::Mechanism { name: "a", .. }
        ));
    }
}
