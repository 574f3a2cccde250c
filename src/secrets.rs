//! Which values are credentials, so no output ever shows them.

/// Whether a setting's name says it holds a credential: it contains PASSWORD, PASSWD,
/// SECRET, TOKEN or KEY (case-insensitive), e.g. `db_password`, `admin_passwd`,
/// `SUPABASE_SERVICE_ROLE_KEY`, `MAILGUN_SIGNING_KEY`.
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY"]
        .iter()
        .any(|word| upper.contains(word))
}

/// `text` with every byte inside `spans` replaced by `*`. Byte offsets, lines and columns
/// of everything else stay as they were.
pub fn redact(text: &str, spans: &[crate::source::Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        let end = span.end().min(bytes.len());
        for byte in bytes.iter_mut().take(end).skip(span.start()) {
            *byte = b'*';
        }
    }
    // Whole UTF-8 sequences inside a span become `*`s; a span ending inside a sequence
    // leaves invalid bytes, which the lossy conversion turns into U+FFFD.
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// The values of `KEY=value` lines whose key names a credential, found line by line so
/// that lines a parser rejects are covered too.
pub fn assignment_values(file: &crate::source::SourceFile) -> Vec<crate::source::Span> {
    let mut spans = Vec::new();
    for line in 1..=file.line_count() {
        let text = file.line_text(line);
        let Some((key, _)) = text.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_start_matches("export ").trim();
        if is_secret_key(key) {
            let start = file.line_start(line).unwrap_or(0)
                + key.len()
                + (text.len() - text.trim_start().len());
            let value_start = file.text[start..]
                .find('=')
                .map_or(start, |i| start + i + 1);
            spans.push(crate::source::Span::new(
                value_start,
                file.line_start(line).unwrap_or(0) + text.len(),
            ));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn secret_names_and_redaction() {
        assert!(
            is_secret_key("db_password")
                && is_secret_key("admin_passwd")
                && is_secret_key("MAILGUN_SIGNING_KEY")
        );
        assert!(!is_secret_key("db_host") && !is_secret_key("workers"));
        assert_eq!(
            redact("a = hunter2\nb = 1\n", &[Span::new(4, 11)]),
            "a = *******\nb = 1\n"
        );
        assert_eq!(redact("p = é!", &[Span::new(4, 6)]), "p = **!");
    }
}
