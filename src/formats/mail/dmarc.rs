//! DMARC policy records (RFC 9989 §4.7): `v=DMARC1; p=…; …` at `_dmarc.<domain>`.

use super::tags::{parse_tags, Tag};

/// A DMARC record's tags, in order.
#[derive(Clone, Debug)]
pub struct Dmarc<'a> {
    pub tags: Vec<Tag<'a>>,
}

/// Whether a TXT text is meant as a DMARC record (starts with `v=DMARC1`, RFC 9989 §4.7).
pub fn is_dmarc(text: &str) -> bool {
    text.trim_start()
        .get(..8)
        .is_some_and(|head| head.eq_ignore_ascii_case("v=DMARC1"))
}

pub fn parse(text: &str) -> Dmarc<'_> {
    Dmarc {
        tags: parse_tags(text),
    }
}

impl<'a> Dmarc<'a> {
    pub fn tag(&self, name: &str) -> Option<&Tag<'a>> {
        self.tags.iter().find(|t| t.name.eq_ignore_ascii_case(name))
    }
}

/// Tags RFC 9989 defines, and the values each accepts (`None`: free-form, checked elsewhere).
pub const KNOWN_TAGS: [(&str, Option<&[&str]>); 11] = [
    ("v", Some(&["DMARC1"])),
    ("p", Some(&["none", "quarantine", "reject"])),
    ("sp", Some(&["none", "quarantine", "reject"])),
    ("np", Some(&["none", "quarantine", "reject"])),
    ("adkim", Some(&["r", "s"])),
    ("aspf", Some(&["r", "s"])),
    ("fo", None),
    ("psd", Some(&["y", "n", "u"])),
    ("rua", None),
    ("ruf", None),
    ("t", Some(&["y", "n"])),
];

/// Tags RFC 7489 had and RFC 9989 removed.
pub const REMOVED_TAGS: [&str; 3] = ["pct", "rf", "ri"];
