//! What rules need to know about the PCRE patterns of `location ~`, `if (… ~ …)` and
//! `rewrite`: their capturing groups, and what one group can capture.
//!
//! nginx numbers captures as PCRE does: every `(` that is not `(?…` opens a group, and so
//! do the named `(?<name>…)`, `(?'name'…)` and `(?P<name>…)`, numbered in the order their
//! `(` appear.

/// One capturing group: where its `(` is in the pattern and the text between its
/// parentheses (after the name of a named group).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Group<'p> {
    pub open: usize,
    pub body: &'p str,
}

/// The capturing groups of a pattern, by number (index 0 is `$1`). A pattern whose
/// parentheses do not balance yields the groups that close.
pub(crate) fn capture_groups(pattern: &str) -> Vec<Group<'_>> {
    let bytes = pattern.as_bytes();
    let mut groups: Vec<Group<'_>> = Vec::new();
    // Open parentheses: (offset of `(`, offset where the body starts, capturing).
    let mut open: Vec<(usize, usize, bool)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => {
                // A class: `]` right after `[` or `[^` is a literal.
                let mut j = i + 1;
                if bytes.get(j) == Some(&b'^') {
                    j += 1;
                }
                if bytes.get(j) == Some(&b']') {
                    j += 1;
                }
                while j < bytes.len() && bytes[j] != b']' {
                    if bytes[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                i = j;
            }
            b'(' => {
                let rest = &pattern[i + 1..];
                let (capturing, body_start) = if rest.starts_with('*') {
                    // A verb or an option setting: `(*UTF)`, `(*COMMIT)`.
                    (false, Some(i + 1))
                } else if let Some(named) = rest.strip_prefix('?') {
                    let name_end = |close: char, skip: usize| {
                        named[skip..].find(close).map(|end| i + 2 + skip + end + 1)
                    };
                    if named.starts_with("P<") {
                        (true, name_end('>', 2))
                    } else if named.starts_with('<')
                        && !named.starts_with("<=")
                        && !named.starts_with("<!")
                    {
                        (true, name_end('>', 1))
                    } else if named.starts_with('\'') {
                        (true, name_end('\'', 1))
                    } else {
                        (false, Some(i + 1))
                    }
                } else {
                    (true, Some(i + 1))
                };
                open.push((i, body_start.unwrap_or(i + 1), capturing));
            }
            b')' => {
                if let Some((start, body, capturing)) = open.pop() {
                    if capturing {
                        groups.push(Group {
                            open: start,
                            body: pattern.get(body.min(i)..i).unwrap_or(""),
                        });
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    groups.sort_by_key(|g| g.open);
    groups
}

/// Whether a group's body can capture exactly `text`; `None` when the regex crate cannot
/// read it (a PCRE-only construct), so the caller decides nothing.
pub(crate) fn can_capture(body: &str, case_insensitive: bool, text: &str) -> Option<bool> {
    crate::workspace::nginx_view::compiled_regex(&format!("^(?:{body})$"), case_insensitive)
        .map(|re| re.is_match(text))
}

/// The `$N` references of a value (`$1`, `${2}`), with the offset where each starts. `$0` is
/// the whole match; it is reported as 0.
pub(crate) fn capture_refs(value: &str) -> Vec<(usize, usize)> {
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let braced = bytes.get(i + 1) == Some(&b'{');
            let start = if braced { i + 2 } else { i + 1 };
            let mut end = start;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
            let closed = !braced || bytes.get(end) == Some(&b'}');
            if end > start && closed {
                if let Ok(n) = value[start..end].parse() {
                    found.push((i, n));
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// Where a group's closing parenthesis is in `pattern`, the group taken from
/// [`capture_groups`] of that pattern.
pub(crate) fn group_end(pattern: &str, group: &Group<'_>) -> usize {
    (group.body.as_ptr() as usize).saturating_sub(pattern.as_ptr() as usize) + group.body.len()
}

/// Whether a `rewrite` answers with a redirect: a `redirect` or `permanent` flag, or a
/// replacement starting with `http://`, `https://` or `$scheme` (nginx then stops the
/// rewrite directives of the block when it matches).
pub(crate) fn rewrite_redirects(rewrite: &crate::formats::nginx::Directive) -> bool {
    let replacement = rewrite.arg(1).unwrap_or("");
    matches!(rewrite.arg(2), Some("redirect" | "permanent"))
        || ["http://", "https://", "$scheme"]
            .iter()
            .any(|p| replacement.starts_with(p))
}

/// The part of a `rewrite` replacement from its first `?` on (the arguments, whose
/// captures nginx escapes), if it has one; a sole trailing `?` only drops the request's
/// arguments and is removed by nginx first.
pub(crate) fn replacement_args(replacement: &str) -> Option<&str> {
    let at = replacement.find('?')?;
    (at + 1 < replacement.len()).then(|| &replacement[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_numbered_by_their_opening_parenthesis() {
        let groups = capture_groups(r"/site(2)(.*)");
        assert_eq!(
            groups.iter().map(|g| g.body).collect::<Vec<_>>(),
            ["2", ".*"]
        );
        let groups = capture_groups(r"^/(a(b)c)(?:d)(?<n>e)[(]\(f\)");
        assert_eq!(
            groups.iter().map(|g| g.body).collect::<Vec<_>>(),
            ["a(b)c", "b", "e"]
        );
        assert_eq!(capture_groups(r"(?P<x>y)(?'z'w)(?<=q)").len(), 2);
        assert_eq!(
            capture_groups(r"(*UTF)((.*))$")
                .iter()
                .map(|g| g.body)
                .collect::<Vec<_>>(),
            ["(.*)", ".*"]
        );
    }

    #[test]
    fn what_a_group_captures() {
        assert_eq!(can_capture(".*", false, "../x"), Some(true));
        assert_eq!(can_capture(r"[^\.]*", false, ".."), Some(false));
        assert_eq!(can_capture("/.*", false, "x"), Some(false));
    }

    #[test]
    fn references() {
        assert_eq!(capture_refs("/lol$1/${2}x$host$"), [(4, 1), (7, 2)]);
    }
}
