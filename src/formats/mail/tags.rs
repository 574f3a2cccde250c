//! `tag=value; tag=value` lists, the syntax DMARC (RFC 9989 §4.7) and DKIM (RFC 6376
//! §3.2) share.

use std::ops::Range;

/// One `tag=value` pair: trimmed texts and their byte ranges in the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag<'a> {
    pub name: &'a str,
    pub value: &'a str,
    pub name_range: Range<usize>,
    pub value_range: Range<usize>,
    /// The whole `tag=value` text.
    pub range: Range<usize>,
    /// False when the pair has no `=`.
    pub well_formed: bool,
}

/// Splits a tag list at `;`, skipping empty entries (a trailing `;` is allowed).
pub fn parse_tags(text: &str) -> Vec<Tag<'_>> {
    let mut tags = Vec::new();
    let mut start = 0;
    for piece in text.split(';') {
        let end = start + piece.len();
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let at = start + lead;
            let range = at..at + trimmed.len();
            match trimmed.split_once('=') {
                Some((name, value)) => {
                    let name_t = name.trim();
                    let value_lead = value.len() - value.trim_start().len();
                    let value_t = value.trim();
                    let value_at = at + name.len() + 1 + value_lead;
                    tags.push(Tag {
                        name: name_t,
                        value: value_t,
                        name_range: at..at + name_t.len(),
                        value_range: value_at..value_at + value_t.len(),
                        range,
                        well_formed: true,
                    });
                }
                None => tags.push(Tag {
                    name: trimmed,
                    value: "",
                    name_range: range.clone(),
                    value_range: range.end..range.end,
                    range,
                    well_formed: false,
                }),
            }
        }
        start = end + 1;
    }
    tags
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_and_keeps_ranges() {
        let text = "v=DMARC1; p=none ;rua=mailto:a@b.c;";
        let tags = super::parse_tags(text);
        assert_eq!(tags.len(), 3);
        assert_eq!((tags[1].name, tags[1].value), ("p", "none"));
        assert_eq!(&text[tags[2].value_range.clone()], "mailto:a@b.c");
        assert!(super::parse_tags("v=DKIM1; junk")
            .iter()
            .any(|t| !t.well_formed));
    }
}
