//! CAA property values (RFC 8659 §4.2–§4.4): `issue`/`issuewild` values are an issuer
//! domain and optional `; name=value` parameters; `iodef` is a URL.

use std::ops::Range;

/// An `issue`/`issuewild` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueValue<'a> {
    /// The issuer domain; empty means "no CA may issue".
    pub issuer: &'a str,
    pub parameters: Vec<(&'a str, &'a str)>,
}

/// Why a value does not parse, with the byte range that is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    pub range: Range<usize>,
    pub message: String,
}

/// Parses an `issue`/`issuewild` value (RFC 8659 §4.2).
pub fn parse_issue(value: &str) -> Result<IssueValue<'_>, ValueError> {
    let (issuer_part, params_part) = match value.find(';') {
        Some(at) => (&value[..at], Some((at + 1, &value[at + 1..]))),
        None => (value, None),
    };
    let issuer = issuer_part.trim();
    let issuer_at = issuer_part.len() - issuer_part.trim_start().len();
    if !issuer.is_empty() && !is_domain(issuer) {
        return Err(ValueError {
            range: issuer_at..issuer_at + issuer.len(),
            message: format!("`{issuer}` is not an issuer domain name"),
        });
    }
    let mut parameters = Vec::new();
    if let Some((mut offset, text)) = params_part {
        for piece in text.split(';') {
            let trimmed = piece.trim();
            let at = offset + (piece.len() - piece.trim_start().len());
            offset += piece.len() + 1;
            if trimmed.is_empty() {
                continue;
            }
            let bad = |message: String| ValueError {
                range: at..at + trimmed.len(),
                message,
            };
            let Some((tag, val)) = trimmed.split_once('=') else {
                return Err(bad(format!("parameter `{trimmed}` is not `tag=value`")));
            };
            let (tag, val) = (tag.trim(), val.trim());
            let tag_ok = !tag.is_empty()
                && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !tag.starts_with('-')
                && !tag.ends_with('-');
            if !tag_ok {
                return Err(bad(format!(
                    "parameter tag `{tag}` is not letters, digits and inner hyphens"
                )));
            }
            if !val.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b';') {
                return Err(bad(format!(
                    "parameter `{tag}` has a value with spaces or control characters"
                )));
            }
            parameters.push((tag, val));
        }
    }
    Ok(IssueValue { issuer, parameters })
}

/// Whether an `iodef` value is a URL CAA allows (RFC 8659 §4.4: mailto:, http:, https:).
pub fn is_iodef_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    ["mailto:", "http://", "https://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

fn is_domain(text: &str) -> bool {
    text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_values() {
        assert_eq!(
            parse_issue("letsencrypt.org").unwrap().issuer,
            "letsencrypt.org"
        );
        assert_eq!(parse_issue(";").unwrap().issuer, "");
        let v = parse_issue("letsencrypt.org; validationmethods=dns-01").unwrap();
        assert_eq!(v.parameters, vec![("validationmethods", "dns-01")]);
        assert!(parse_issue("lets encrypt").is_err());
        assert!(parse_issue("letsencrypt.org; accounturi").is_err());
        assert!(
            is_iodef_url("mailto:security@example.net") && !is_iodef_url("security@example.net")
        );
    }
}
