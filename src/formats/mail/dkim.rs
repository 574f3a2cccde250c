//! DKIM key records (RFC 6376 §3.6.1) at `<selector>._domainkey.<domain>`, and the size of
//! the RSA key in `p=`.

use super::tags::{parse_tags, Tag};

#[derive(Clone, Debug)]
pub struct DkimKey<'a> {
    pub tags: Vec<Tag<'a>>,
}

pub fn parse(text: &str) -> DkimKey<'_> {
    DkimKey {
        tags: parse_tags(text),
    }
}

impl<'a> DkimKey<'a> {
    pub fn tag(&self, name: &str) -> Option<&Tag<'a>> {
        self.tags.iter().find(|t| t.name == name)
    }
}

/// What `p=` holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// Empty `p=`: the key is revoked (RFC 6376 §3.6.1).
    Revoked,
    /// Not base64.
    NotBase64,
    /// Base64, but neither a SubjectPublicKeyInfo nor a PKCS#1 RSA public key.
    NotRsaKey,
    /// An RSA key with a modulus of this many bits.
    Rsa { bits: usize },
}

/// Reads an RSA key from `p=` the way verifiers do: base64 (white space ignored), then DER
/// SubjectPublicKeyInfo, or a bare PKCS#1 RSAPublicKey.
pub fn rsa_key(p: &str) -> PublicKey {
    let compact: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return PublicKey::Revoked;
    }
    let Some(der) = base64(&compact) else {
        return PublicKey::NotBase64;
    };
    match modulus_bits(&der) {
        Some(bits) => PublicKey::Rsa { bits },
        None => PublicKey::NotRsaKey,
    }
}

fn base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    // A single leftover base64 digit cannot encode a byte.
    (text.len() % 4 != 1).then_some(out)
}

/// One DER element: (tag, contents, rest).
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;

fn modulus_bits(der: &[u8]) -> Option<usize> {
    let (tag, body, _) = element(der)?;
    if tag != SEQUENCE {
        return None;
    }
    let (first_tag, first, rest) = element(body)?;
    match first_tag {
        // PKCS#1 RSAPublicKey: SEQUENCE { modulus INTEGER, exponent INTEGER }
        INTEGER => integer_bits(first),
        // SubjectPublicKeyInfo: SEQUENCE { algorithm SEQUENCE, subjectPublicKey BIT STRING }
        SEQUENCE => {
            let (bits_tag, bits, _) = element(rest)?;
            if bits_tag != BIT_STRING || bits.first() != Some(&0) {
                return None;
            }
            let (inner_tag, inner, _) = element(&bits[1..])?;
            if inner_tag != SEQUENCE {
                return None;
            }
            let (int_tag, modulus, _) = element(inner)?;
            (int_tag == INTEGER).then(|| integer_bits(modulus))?
        }
        _ => None,
    }
}

fn integer_bits(bytes: &[u8]) -> Option<usize> {
    let significant = bytes.iter().position(|&b| b != 0)?;
    let top = bytes[significant];
    Some((bytes.len() - significant - 1) * 8 + (8 - top.leading_zeros() as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_sizes() {
        // A PKCS#1 RSAPublicKey with a 1024-bit modulus (0x80 followed by 127 bytes) and exponent 65537.
        let mut modulus = vec![0x00, 0x80];
        modulus.extend(std::iter::repeat_n(0x11, 127));
        let mut body = vec![0x02, 0x81, modulus.len() as u8];
        body.extend(&modulus);
        body.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
        let mut der = vec![0x30, 0x81, body.len() as u8];
        der.extend(&body);
        let encoded = encode(&der);
        assert_eq!(rsa_key(&encoded), PublicKey::Rsa { bits: 1024 });
        assert_eq!(rsa_key(""), PublicKey::Revoked);
        assert_eq!(rsa_key("..."), PublicKey::NotBase64);
        assert_eq!(rsa_key("AAAA"), PublicKey::NotRsaKey);
    }

    fn encode(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }
}
