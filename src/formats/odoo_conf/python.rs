//! The few Python `str` semantics that `configparser` and `optparse` rely on, reproduced so
//! the parser agrees with CPython character for character.
//!
//! Sources: CPython `Objects/unicodectype.c` (`_PyUnicode_IsWhitespace`, used by
//! `str.strip()`, `str.isspace()` and the `\s` class of `re` for `str` patterns) and
//! `Objects/unicodeobject.c` (`_PyUnicode_TransformDecimalAndSpaceToASCII`, used by `int()`
//! and `float()`), as of Python 3.11 (Unicode 14.0).

/// Whether Python's `str.isspace()` is true for `c`.
///
/// Wider than Rust's `char::is_whitespace`: it includes the information separators
/// U+001C..U+001F, which Python counts as white space.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{20}'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// The byte range `start..end` of `s.strip()` inside `s`.
pub fn strip_range(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start_matches(is_space).len();
    let end = s.trim_end_matches(is_space).len();
    if end < start {
        (start, start)
    } else {
        (start, end)
    }
}

/// `s.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `s.lower()`: full Unicode lower-casing, as `configparser`'s `optionxform` applies to keys.
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// A close rendering of Python's `repr()` of a `str`, for error messages that quote
/// CPython's.
pub fn repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_unprintable(c) => {
                let n = u32::from(c);
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// [`repr`], cut to about 60 characters so a message never grows with hostile input.
pub fn repr_short(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", repr(s.get(..cut).unwrap_or(""))),
        None => repr(s),
    }
}

/// Characters `repr()` escapes: controls, white space other than the space, and the
/// invisible format characters people meet in config files.
fn is_unprintable(c: char) -> bool {
    c != ' ' && (c.is_control() || is_space(c))
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// The first code point of every run of ten Unicode decimal digits (general category Nd)
/// in Unicode 14.0, the version of Python 3.11. `int()` and `float()` accept any of them.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a Unicode decimal digit, as Python's `int()` reads it.
pub fn decimal_value(c: char) -> Option<u32> {
    let n = u32::from(c);
    let at = DECIMAL_ZEROS.partition_point(|&zero| zero <= n);
    let zero = *DECIMAL_ZEROS.get(at.checked_sub(1)?)?;
    (n - zero < 10).then_some(n - zero)
}

/// What `int()` and `float()` see before parsing: every Unicode decimal digit becomes its
/// ASCII digit and every white space character a space; other non-ASCII characters make the
/// number invalid (`None`).
pub fn ascii_number_text(s: &str) -> Option<String> {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                Some(c)
            } else if is_space(c) {
                Some(' ')
            } else {
                decimal_value(c).and_then(|d| char::from_digit(d, 10))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_pythons() {
        assert!(is_space('\u{1c}'));
        assert!(is_space('\u{a0}'));
        assert!(!is_space('\u{feff}'));
        assert!(!is_space('\u{200b}'));
        assert_eq!(strip("\u{3000} a b \t\r\n"), "a b");
        assert_eq!(strip_range("  "), (2, 2));
    }

    #[test]
    fn decimal_digits_of_any_script() {
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{664}'), Some(4));
        assert_eq!(decimal_value('\u{1D7D9}'), Some(1));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('\u{2155}'), None);
        assert_eq!(
            ascii_number_text("\u{664}\u{662}\u{a0}").as_deref(),
            Some("42 ")
        );
        assert_eq!(ascii_number_text("4é"), None);
    }

    #[test]
    fn repr_quotes_like_python() {
        assert_eq!(repr("four"), "'four'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(repr("\u{feff}[x]\t"), "'\\ufeff[x]\\t'");
    }
}
