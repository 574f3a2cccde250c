//! Inline suppressions: `# ipai-lint: ignore[CODE, CODE] -- reason` in a comment on the
//! finding's line or the line above. `;` comments work too (zone files, odoo.conf).
//! The reason is required: a suppression nobody can explain is not kept.

use crate::source::{SourceFile, Span};

const MARKER: &str = "ipai-lint:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The whole `ipai-lint: …` text.
    pub span: Span,
    /// 1-based line of the comment.
    pub line: usize,
    pub codes: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// Whether the comment is alone on its line, so it covers the next line too.
    pub own_line: bool,
    /// Why the comment could not be read, if it could not.
    pub malformed: Option<String>,
}

impl Suppression {
    /// Whether this suppression covers a finding of `code` starting on `line`.
    pub fn covers(&self, code: &str, line: usize) -> bool {
        let placed = line == self.line || (self.own_line && line == self.line + 1);
        placed
            && self.reason.is_some()
            && self.malformed.is_none()
            && self.codes.iter().any(|(c, _)| c == code)
    }
}

/// Every suppression comment in a file. A marker counts only after a `#` or `;` that starts
/// a comment (at the start of the line or after white space).
pub fn scan(file: &SourceFile) -> Vec<Suppression> {
    let mut found = Vec::new();
    if !file.text.contains(MARKER) {
        return found;
    }
    for line_no in 1..=file.line_count() {
        let line = file.line_text(line_no);
        let Some(marker_at) = line.find(MARKER) else {
            continue;
        };
        let Some(comment_at) = comment_start(&line[..marker_at]) else {
            continue;
        };
        let line_start = file.line_start(line_no).unwrap_or(0);
        let own_line = line[..comment_at].trim().is_empty();
        found.push(parse_one(
            &line[marker_at..],
            line_start + marker_at,
            line_no,
            own_line,
        ));
    }
    found
}

/// The byte index of the comment character that opens the comment holding the marker.
fn comment_start(before_marker: &str) -> Option<usize> {
    let at = before_marker.rfind(['#', ';'])?;
    let starts_comment = at == 0 || before_marker[..at].ends_with(char::is_whitespace);
    let only_space_between = before_marker[at + 1..]
        .trim_start_matches(['#', ';'])
        .trim()
        .is_empty();
    (starts_comment && only_space_between).then_some(at)
}

fn parse_one(text: &str, offset: usize, line: usize, own_line: bool) -> Suppression {
    let span = Span::new(offset, offset + text.len());
    let mut suppression = Suppression {
        span,
        line,
        codes: Vec::new(),
        reason: None,
        own_line,
        malformed: None,
    };
    let after = &text[MARKER.len()..];
    let body = after.trim_start();
    let body_at = offset + MARKER.len() + (after.len() - body.len());
    let Some(list) = body.strip_prefix("ignore[") else {
        suppression.malformed = Some("expected `ignore[CODE] -- reason` after `ipai-lint:`".into());
        return suppression;
    };
    let Some(close) = list.find(']') else {
        suppression.malformed = Some("the code list has no closing `]`".into());
        return suppression;
    };
    let list_at = body_at + "ignore[".len();
    let mut cursor = 0;
    for part in list[..close].split(',') {
        let code = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !code.is_empty() {
            let start = list_at + cursor + lead;
            suppression
                .codes
                .push((code.to_string(), Span::new(start, start + code.len())));
        }
        cursor += part.len() + 1;
    }
    if suppression.codes.is_empty() {
        suppression.malformed = Some("no rule code between the brackets".into());
    }
    let rest = list[close + 1..].trim_start();
    suppression.reason = rest
        .strip_prefix("--")
        .map(str::trim)
        .filter(|reason| !reason.is_empty())
        .map(str::to_string);
    suppression
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_reason_and_placement() {
        let file = SourceFile::from_text(
            "a.conf",
            "# ipai-lint: ignore[NGX001, NGX002] -- staging has no HSTS\nlisten 80; # ipai-lint: ignore[NGX003]\n",
        );
        let found = scan(&file);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0]
                .codes
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            ["NGX001", "NGX002"]
        );
        assert_eq!(file.slice(found[0].codes[1].1), "NGX002");
        assert_eq!(found[0].reason.as_deref(), Some("staging has no HSTS"));
        assert!(found[0].covers("NGX002", 2));
        assert!(!found[0].covers("NGX002", 3));
        assert!(!found[1].own_line);
        assert_eq!(found[1].reason, None);
        assert!(
            !found[1].covers("NGX003", 2),
            "a suppression without a reason does not count"
        );
    }

    #[test]
    fn marker_outside_a_comment_is_not_a_suppression() {
        let file = SourceFile::from_text(
            "a.conf",
            "add_header X-Note \"ipai-lint: ignore[NGX001] -- x\";\n",
        );
        assert!(scan(&file).is_empty());
    }
}
