//! The string type of a word's value: short values (most nginx words) live inline, so a
//! parse does not pay one allocation per word.

use std::fmt;
use std::ops::Deref;

const INLINE: usize = 22;

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the text; the bytes after it are not part of it.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

/// An immutable string; derefs to `str`.
#[derive(Clone)]
pub struct SmallStr(Repr);

impl SmallStr {
    pub fn new(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                SmallStr(Repr::Inline { len, bytes })
            }
            _ => SmallStr(Repr::Heap(text.into())),
        }
    }

    /// `text[start..end]`, copied with one fixed-size move when the text has room after
    /// `start` (the word lexer's hot path). `start..end` must be a char-boundary range.
    pub(crate) fn from_slice_of(text: &str, start: usize, end: usize) -> Self {
        let len = end.saturating_sub(start);
        if let (Ok(short), Some(window)) = (
            u8::try_from(len),
            text.as_bytes().get(start..start + INLINE),
        ) {
            if len <= INLINE && text.is_char_boundary(end) {
                let mut bytes = [0; INLINE];
                bytes.copy_from_slice(window);
                return SmallStr(Repr::Inline { len: short, bytes });
            }
        }
        SmallStr::new(text.get(start..end).unwrap_or_default())
    }

    /// The text's bytes, without re-checking that they are UTF-8: what comparisons need.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(text) => text.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always valid: the bytes are a whole `&str` copied in `new`.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(text) => text,
        }
    }
}

impl Deref for SmallStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SmallStr {
    fn from(text: &str) -> Self {
        SmallStr::new(text)
    }
}

impl From<String> for SmallStr {
    fn from(text: String) -> Self {
        if text.len() <= INLINE {
            SmallStr::new(&text)
        } else {
            SmallStr(Repr::Heap(text.into_boxed_str()))
        }
    }
}

impl PartialEq for SmallStr {
    fn eq(&self, other: &SmallStr) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for SmallStr {}

impl std::hash::Hash for SmallStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for SmallStr {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for SmallStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl fmt::Debug for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::SmallStr;

    #[test]
    fn short_and_long_values_read_back() {
        for text in [
            "",
            "proxy_set_header",
            "é",
            "$proxy_add_x_forwarded_for",
            &"x".repeat(300),
        ] {
            assert_eq!(SmallStr::new(text).as_str(), text);
            assert_eq!(SmallStr::from(text.to_owned()).as_str(), text);
        }
        assert_eq!(std::mem::size_of::<SmallStr>(), 24);
    }

    #[test]
    fn slices_of_a_larger_text_compare_by_their_text_only() {
        let text = "proxy_pass http://odoo; and more text after it";
        let a = SmallStr::from_slice_of(text, 0, 10);
        assert_eq!(a.as_str(), "proxy_pass");
        assert_eq!(a, SmallStr::new("proxy_pass"));
        assert_eq!(
            SmallStr::from_slice_of(text, 30, 40).as_str(),
            &text[30..40]
        );
        // too close to the end for the fixed-size copy
        assert_eq!(SmallStr::from_slice_of(text, 38, 46).as_str(), "after it");
        assert_eq!(SmallStr::from_slice_of("é", 0, 2).as_str(), "é");
    }
}
