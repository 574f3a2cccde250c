//! Grammars of single fields, written with nom: numbers, TTLs with units, IPv4 addresses,
//! hex, CAA tags, and the `$GENERATE` range and `${offset,width,base}` modifier.
//!
//! Each parser reads one token's text and must consume all of it.

use std::net::Ipv4Addr;

use nom::bytes::complete::{take_while, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1, one_of};
use nom::combinator::{all_consuming, map_res, opt, recognize};
use nom::multi::fold_many1;
use nom::sequence::preceded;
use nom::{IResult, Parser};

type Res<'a, T> = IResult<&'a str, T, ()>;

/// Why a number could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not all decimal digits (BIND: "not a valid number").
    NotANumber,
    /// Digits, but above the field's maximum (BIND: "out of range").
    OutOfRange,
}

/// A decimal number no larger than `max` (BIND reads numbers as unsigned 32-bit decimals:
/// no sign, no hex, leading zeros allowed).
pub(crate) fn number(text: &str, max: u32) -> Result<u32, NumberError> {
    let digits: Res<&str> = all_consuming(digit1).parse(text);
    let (_, digits) = digits.map_err(|_| NumberError::NotANumber)?;
    let value = digits.bytes().try_fold(0u64, |n, b| {
        let n = n * 10 + u64::from(b - b'0');
        (n <= u64::from(u32::MAX)).then_some(n)
    });
    match value {
        Some(v) if v <= u64::from(max) => Ok(v as u32),
        _ => Err(NumberError::OutOfRange),
    }
}

/// A TTL: plain seconds, or number-unit pairs with units `w d h m s` in any case (`1h30m`,
/// `2W`), the BIND extension every major server accepts. As in BIND, a bare number may only
/// stand alone or follow a zero sum, the text is at most 63 characters, and the total must
/// fit 32 bits. Returns `None` when the text is not a TTL.
pub(crate) fn ttl(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 63 || !text.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return number(text, u32::MAX).ok();
    }
    let part = (
        map_res(digit1, str::parse::<u32>),
        opt(one_of("wWdDhHmMsS")),
    );
    let sum = fold_many1(
        part,
        || Some((0u64, false)),
        |acc, (n, unit)| {
            let (total, bare_seen) = acc?;
            if bare_seen {
                return None;
            }
            let n = u64::from(n);
            match unit.map(|u| u.to_ascii_lowercase()) {
                Some('w') => Some((total + n * 604_800, false)),
                Some('d') => Some((total + n * 86_400, false)),
                Some('h') => Some((total + n * 3_600, false)),
                Some('m') => Some((total + n * 60, false)),
                Some(_) => Some((total + n, false)),
                // A trailing bare number replaces a zero sum only ("0h2" reads as 2).
                None if total == 0 => Some((n, true)),
                None => None,
            }
        },
    );
    let parsed: Res<Option<(u64, bool)>> = all_consuming(sum).parse(text);
    let (total, _) = parsed.ok()?.1?;
    u32::try_from(total).ok()
}

/// A dotted-quad IPv4 address: exactly four decimal octets, no leading zeros (as
/// `inet_pton`, which BIND uses).
pub(crate) fn ipv4(text: &str) -> Option<Ipv4Addr> {
    fn octet(input: &str) -> Res<'_, u8> {
        map_res(
            recognize(preceded(
                take_while_m_n(1, 1, |c: char| c.is_ascii_digit()),
                take_while_m_n(0, 2, |c: char| c.is_ascii_digit()),
            )),
            |s: &str| {
                if s.len() > 1 && s.starts_with('0') {
                    Err(())
                } else {
                    s.parse::<u8>().map_err(|_| ())
                }
            },
        )
        .parse(input)
    }
    let parsed: Res<(u8, char, u8, char, u8, char, u8)> =
        all_consuming((octet, char('.'), octet, char('.'), octet, char('.'), octet)).parse(text);
    let (_, (a, _, b, _, c, _, d)) = parsed.ok()?;
    Some(Ipv4Addr::new(a, b, c, d))
}

/// Appends the octets of hex text to `out`. Digits may be split across tokens at any point,
/// so an odd digit left over is returned for the next token. `None` on a non-hex character.
pub(crate) fn hex_into(text: &str, pending: Option<u8>, out: &mut Vec<u8>) -> Option<Option<u8>> {
    let digits: Res<&str> = all_consuming(take_while(|c: char| c.is_ascii_hexdigit())).parse(text);
    let (_, digits) = digits.ok()?;
    let mut pending = pending;
    for b in digits.bytes() {
        let v = (b as char).to_digit(16)? as u8;
        match pending.take() {
            Some(high) => out.push(high << 4 | v),
            None => pending = Some(v),
        }
    }
    Some(pending)
}

/// A CAA property tag: one or more ASCII letters and digits (RFC 8659 §4.1.1).
pub(crate) fn caa_tag(text: &str) -> bool {
    let parsed: Res<&str> =
        all_consuming(take_while1(|c: char| c.is_ascii_alphanumeric())).parse(text);
    parsed.is_ok()
}

/// The `$GENERATE` range `start-stop[/step]`. Like BIND's `sscanf`, text after a complete
/// range is ignored, but a `/` must be followed by a step.
pub(crate) fn generate_range(text: &str) -> Option<(u32, u32, Option<u32>)> {
    fn num(input: &str) -> Res<'_, u32> {
        map_res(digit1, str::parse::<u32>).parse(input)
    }
    let parsed: Res<(u32, char, u32, Option<u32>)> =
        (num, char('-'), num, opt(preceded(char('/'), num))).parse(text);
    let (rest, (start, _, stop, step)) = parsed.ok()?;
    if rest.starts_with('/') {
        return None;
    }
    Some((start, stop, step))
}

/// A `$GENERATE` modifier after `${`: `offset[,width[,base]]}`. Returns the modifier and the
/// rest of the text after the closing brace.
pub(crate) fn generate_modifier(text: &str) -> Option<(Modifier, &str)> {
    fn signed(input: &str) -> Res<'_, i64> {
        map_res(recognize((opt(one_of("+-")), digit1)), str::parse::<i64>).parse(input)
    }
    fn unsigned(input: &str) -> Res<'_, u32> {
        map_res(digit1, str::parse::<u32>).parse(input)
    }
    type Parts = (i64, Option<(u32, Option<char>)>, char);
    let parsed: Res<Parts> = (
        signed,
        opt(preceded(
            char(','),
            (unsigned, opt(preceded(char(','), one_of("doxXnN")))),
        )),
        char('}'),
    )
        .parse(text);
    let (rest, (offset, tail, _)) = parsed.ok()?;
    let (width, base) = match tail {
        Some((width, base)) => (width, base.unwrap_or('d')),
        None => (0, 'd'),
    };
    Some((
        Modifier {
            offset,
            width,
            base,
        },
        rest,
    ))
}

/// A parsed `${offset,width,base}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Modifier {
    pub offset: i64,
    pub width: u32,
    /// `d` decimal, `o` octal, `x`/`X` hex, `n`/`N` reversed nibbles (for ip6.arpa names).
    pub base: char,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units_follow_bind() {
        assert_eq!(ttl("3600"), Some(3600));
        assert_eq!(ttl("1h30m"), Some(5400));
        assert_eq!(ttl("1W"), Some(604_800));
        assert_eq!(ttl("2d1s"), Some(172_801));
        assert_eq!(ttl("0h2"), Some(2));
        assert_eq!(ttl("1h2"), None);
        assert_eq!(ttl("h"), None);
        assert_eq!(ttl("1x"), None);
        assert_eq!(ttl("4294967295"), Some(u32::MAX));
        assert_eq!(ttl("4294967296"), None);
        assert_eq!(ttl("7101w"), Some(7101 * 604_800));
        assert_eq!(ttl("7102w"), None);
        assert_eq!(ttl(&"1w".repeat(40)), None);
    }

    #[test]
    fn numbers_and_addresses() {
        assert_eq!(number("010", 65535), Ok(10));
        assert_eq!(number("65536", 65535), Err(NumberError::OutOfRange));
        assert_eq!(number("0x10", 65535), Err(NumberError::NotANumber));
        assert_eq!(number("-1", 65535), Err(NumberError::NotANumber));
        assert_eq!(
            number("99999999999999999999", 65535),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(
            ipv4("178.128.112.214"),
            Some(Ipv4Addr::new(178, 128, 112, 214))
        );
        assert_eq!(ipv4("01.2.3.4"), None);
        assert_eq!(ipv4("1.2.3"), None);
        assert_eq!(ipv4("1.2.3.256"), None);
        assert_eq!(ipv4("1.2.3.4."), None);
    }

    #[test]
    fn hex_may_split_anywhere() {
        let mut out = Vec::new();
        let p = hex_into("0", None, &mut out).unwrap();
        let p = hex_into("a00", p, &mut out).unwrap();
        let p = hex_into("0001", p, &mut out).unwrap();
        assert_eq!((out, p), (vec![0x0a, 0x00, 0x00, 0x01], None));
        assert_eq!(hex_into("0g", None, &mut Vec::new()), None);
    }

    #[test]
    fn generate_grammar() {
        assert_eq!(generate_range("1-254"), Some((1, 254, None)));
        assert_eq!(generate_range("1-10/4"), Some((1, 10, Some(4))));
        assert_eq!(generate_range("1-"), None);
        assert_eq!(generate_range("1-3x"), Some((1, 3, None)));
        assert_eq!(generate_range("1-3/"), None);
        let (m, rest) = generate_modifier("-1,3,x}.rest").unwrap();
        assert_eq!(
            (m, rest),
            (
                Modifier {
                    offset: -1,
                    width: 3,
                    base: 'x'
                },
                ".rest"
            )
        );
        assert_eq!(
            generate_modifier("5}").unwrap().0,
            Modifier {
                offset: 5,
                width: 0,
                base: 'd'
            }
        );
        assert!(generate_modifier("1,2,d").is_none());
        assert!(caa_tag("issuewild") && !caa_tag("is-sue") && !caa_tag(""));
    }
}
