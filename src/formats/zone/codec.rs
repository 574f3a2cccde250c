//! Binary encodings of record data in the master file: base64 (RFC 4648 §4), base32hex
//! without padding (RFC 4648 §7, NSEC3) and hex (RFC 4648 §8).
//!
//! Each decoder takes characters one at a time, possibly across several tokens, and only
//! counts the octets it would produce: the data is checked, not kept. The rules are BIND
//! 9.18's (`lib/isc/base64.c`, `base32.c`, `hex.c`): base64 padding must be complete and
//! end the data, bits left over by padding must be zero, base32hex accepts either case and
//! no `=`, hex digits pair up across token boundaries.

/// A base64 decoder. Feed it with [`Base64::push`], then ask [`Base64::finish`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Base64 {
    values: [u8; 4],
    digits: u8,
    /// A padded quartet was read: the data has ended.
    pub ended: bool,
    /// Octets decoded so far.
    pub len: usize,
}

impl Base64 {
    /// Takes one character; `false` when it is not valid at this point.
    pub fn push(&mut self, c: u8) -> bool {
        if self.ended {
            return false;
        }
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => 64,
            _ => return false,
        };
        self.values[usize::from(self.digits)] = value;
        self.digits += 1;
        if self.digits < 4 {
            return true;
        }
        self.digits = 0;
        let [v0, v1, v2, v3] = self.values;
        if v0 == 64 || v1 == 64 || (v2 == 64 && v3 != 64) {
            return false;
        }
        // Bits that padding drops must be zero.
        if (v2 == 64 && v1 & 0x0f != 0) || (v3 == 64 && v2 != 64 && v2 & 0x03 != 0) {
            return false;
        }
        self.len += match (v2, v3) {
            (64, _) => 1,
            (_, 64) => 2,
            _ => 3,
        };
        self.ended = v3 == 64;
        true
    }

    /// Takes every character of a token, skipping blanks (which a quoted value may hold).
    pub fn push_all(&mut self, text: &[u8]) -> bool {
        text.iter()
            .all(|&c| matches!(c, b' ' | b'\t' | b'\r' | b'\n') || self.push(c))
    }

    /// No quartet is left incomplete.
    pub fn finish(&self) -> bool {
        self.digits == 0
    }
}

/// Hex digits, paired across tokens.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Hex {
    odd: bool,
    /// Octets decoded so far.
    pub len: usize,
}

impl Hex {
    /// Takes the characters of one token; `false` on a character that is not a hex digit.
    pub fn push_all(&mut self, text: &[u8]) -> bool {
        for &c in text {
            if !c.is_ascii_hexdigit() {
                return false;
            }
            if self.odd {
                self.len += 1;
            }
            self.odd = !self.odd;
        }
        true
    }

    /// An even number of digits was read.
    pub fn finish(&self) -> bool {
        !self.odd
    }
}

/// The number of octets a base32hex string without padding (NSEC3's next hashed owner name)
/// decodes to, or `None` when it is not one: a character outside `0-9 A-V` (either case),
/// a length that leaves a partial octet, or non-zero leftover bits.
pub(crate) fn base32hex_len(text: &[u8]) -> Option<usize> {
    let mut last = 0u8;
    for &c in text {
        last = match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'V' => c - b'A' + 10,
            b'a'..=b'v' => c - b'a' + 10,
            _ => return None,
        };
    }
    // Octets of a final group of 1..=7 characters, and the bits of its last character that
    // must be zero.
    let (octets, zero_bits) = match text.len() % 8 {
        0 => (0, 0),
        2 => (1, 0x03),
        4 => (2, 0x0f),
        5 => (3, 0x01),
        7 => (4, 0x07),
        _ => return None,
    };
    if last & zero_bits != 0 {
        return None;
    }
    Some(text.len() / 8 * 5 + octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> Option<usize> {
        let mut d = Base64::default();
        (d.push_all(text.as_bytes()) && d.finish()).then_some(d.len)
    }

    #[test]
    fn base64_is_strict_as_bind() {
        assert_eq!(b64("AA=="), Some(1));
        assert_eq!(b64("AAA="), Some(2));
        assert_eq!(b64("AAAA"), Some(3));
        assert_eq!(b64(""), Some(0));
        assert_eq!(b64("AAA"), None);
        assert_eq!(b64("AB=="), None);
        assert_eq!(b64("AAB="), None);
        assert_eq!(b64("AA==AA=="), None);
        assert_eq!(b64("A==="), None);
        assert_eq!(b64("AA AA"), Some(3));
        assert_eq!(b64("AAAA AAAA"), Some(6));
        assert_eq!(b64("AA-A"), None);
    }

    #[test]
    fn hex_and_base32hex() {
        let mut h = Hex::default();
        assert!(h.push_all(b"0a1") && !h.finish() && h.push_all(b"F") && h.finish());
        assert_eq!(h.len, 2);
        assert!(!Hex::default().push_all(b"0g"));
        assert_eq!(base32hex_len(b"0P3GVGQ1B7QSKQUA8L4T3VC0I39EVUSJ"), Some(20));
        assert_eq!(base32hex_len(b"0p3gvgq1"), Some(5));
        assert_eq!(base32hex_len(b"00"), Some(1));
        assert_eq!(base32hex_len(b"01"), None);
        assert_eq!(base32hex_len(b"000"), None);
        assert_eq!(base32hex_len(b"0W"), None);
        assert_eq!(base32hex_len(b"00=="), None);
    }
}
