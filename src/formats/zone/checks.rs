//! Presentation-format checks of the known types whose data ipai keeps as raw tokens
//! ([`super::RData::Raw`]): each type's fields are read as BIND 9.18's `named-checkzone`
//! reads them, and the first field it would refuse is a syntax error at that token.
//!
//! A check never moves the input: the tokens are then stored as they are.

use super::builder::Builder;
use super::codec::{base32hex_len, Base64, Hex};
use super::fields;
use super::rdata::Input;
use super::types::RType;
use crate::formats::SyntaxError;

impl Builder {
    /// Checks the data of a type kept as raw tokens, if ipai knows its format.
    pub(super) fn check_presentation(
        &mut self,
        rtype: RType,
        input: &mut Input<'_>,
    ) -> Result<(), SyntaxError> {
        let start = input.pos;
        let result = match rtype.0 {
            64 | 65 => self.check_svcb(input),
            52 | 53 => tlsa(input),
            44 => sshfp(input),
            43 | 59 | 32768 | 32769 => ds(input),
            25 | 48 | 57 | 60 => key(rtype, input),
            46 => self.rrsig(input),
            47 => self.nsec(input),
            50 => nsec3(input),
            51 => nsec3_param(input),
            49 | 61 | 67 | 68 => input.base64_rest("the data", Len::AtLeastOne),
            63 => zonemd(input),
            37 => cert(input),
            62 => csync(input),
            104 | 106 => locator(input),
            105 => l32(input),
            107 => self.lp(input),
            108 => eui(input, 6),
            109 => eui(input, 8),
            256 => self.uri(input),
            29 => super::loc::loc(input),
            35 => self.naptr(input),
            42 => apl(input),
            22 => nsap(input),
            _ => return Ok(()),
        }
        .and_then(|()| input.finish());
        input.pos = start;
        result
    }
}

/// TLSA (RFC 6698 §2.2) and SMIMEA (RFC 8162): usage, selector, matching type, hex data.
fn tlsa(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.u8("the certificate usage")?;
    input.u8("the selector")?;
    input.u8("the matching type")?;
    input.hex_rest("the certificate association data", Len::AtLeastOne)
}

/// SSHFP (RFC 4255 §3.2): algorithm, fingerprint type, hex fingerprint, whose length BIND
/// checks for SHA-1 (1) and SHA-256 (2).
fn sshfp(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.u8("the SSHFP algorithm")?;
    let len = match input.u8("the fingerprint type")? {
        1 => Len::Exactly(20),
        2 => Len::Exactly(32),
        _ => Len::Any,
    };
    input.hex_rest("the fingerprint", len)
}

/// DS (RFC 4034 §5.3), CDS (RFC 7344), TA and DLV: key tag, algorithm, digest type, hex
/// digest, whose length BIND checks for SHA-1, SHA-256 and SHA-384.
fn ds(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.u16("the key tag")?;
    input.algorithm()?;
    let len = match input.mnemonic("the digest type", 255, DSDIGESTS)? {
        1 => Len::Exactly(20),
        2 => Len::Exactly(32),
        4 => Len::Exactly(48),
        _ => Len::AtLeastOne,
    };
    input.hex_rest("the digest", len)
}

/// DNSKEY (RFC 4034 §2.2), CDNSKEY, KEY (RFC 2535) and RKEY: flags, protocol, algorithm,
/// base64 key. A KEY whose flags say "no key" has none; RKEY flags must be 0.
fn key(rtype: RType, input: &mut Input<'_>) -> Result<(), SyntaxError> {
    let token = input.plain("the flags")?;
    let flags = key_flags(input.str(token.span)).map_err(|m| input.error(token, m))?;
    if rtype.0 == 57 && flags != 0 {
        return Err(input.error(token, "FORMERR: RKEY flags must be 0".into()));
    }
    input.mnemonic("the protocol", 255, SECPROTOS)?;
    input.algorithm()?;
    if rtype.0 == 25 && flags & 0xC000 == 0xC000 {
        return Ok(());
    }
    input.base64_rest("the public key", Len::AtLeastOne)
}

impl Builder {
    /// RRSIG (RFC 4034 §3.2): type covered, algorithm, labels, original TTL, expiration and
    /// inception (`YYYYMMDDHHmmSS` or seconds), key tag, signer, base64 signature.
    fn rrsig(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        let token = input.plain("the type covered")?;
        let text = input.str(token.span);
        if RType::from_text(text).is_none() && !text.eq_ignore_ascii_case("ANY") {
            // BIND falls back to strtol: an optional sign, then digits.
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            match fields::number(digits, 65535) {
                Ok(n) if n == 0 || !text.starts_with('-') => {}
                Err(fields::NumberError::NotANumber) => {
                    return Err(input.error(
                        token,
                        format!("unknown class/type '{text}': expected the type covered"),
                    ))
                }
                _ => {
                    return Err(input.error(
                        token,
                        format!("out of range: the type covered is at most 65535, not {text}"),
                    ))
                }
            }
        }
        input.algorithm()?;
        input.u8("the labels")?;
        input.number("the original TTL", u32::MAX)?;
        signature_time(input, "the signature expiration")?;
        signature_time(input, "the signature inception")?;
        input.u16("the key tag")?;
        self.rdata_name(input, "the signer's name")?;
        input.base64_rest("the signature", Len::AtLeastOne)
    }

    /// NSEC (RFC 4034 §4.2): the next owner name and a type bitmap of at least one type.
    fn nsec(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        self.rdata_name(input, "the next domain name")?;
        if input.peek().is_none() {
            return Err(SyntaxError::new(
                input.end_span(),
                "FORMERR: the NSEC type bitmap is empty; it lists at least NSEC",
            ));
        }
        type_bitmap(input)
    }
}

/// RRSIG times: up to 10 digits are seconds (at most 4294967295), 14 digits a date.
fn signature_time(input: &mut Input<'_>, what: &str) -> Result<(), SyntaxError> {
    let token = input.plain(what)?;
    let text = input.str(token.span);
    let ok = if text.len() <= 10 && !text.starts_with(['+', '-']) {
        match fields::number(text, u32::MAX) {
            Ok(_) => Ok(()),
            Err(fields::NumberError::NotANumber) => Err("syntax error"),
            Err(fields::NumberError::OutOfRange) => Err("out of range"),
        }
    } else {
        signature_date(text)
    };
    ok.map_err(|why| {
        input.error(
            token,
            format!("{why}: {what} '{text}' is neither YYYYMMDDHHmmSS nor seconds since 1970"),
        )
    })
}

/// `YYYYMMDDHHmmSS` as BIND's `dns_time64_fromtext` reads it (second 60 allowed).
fn signature_date(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return Err("syntax error");
    }
    let n = |from: usize, to: usize| {
        b[from..to]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (n(0, 4), n(4, 6), n(6, 8));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("out of range"),
    };
    if !(1..=days).contains(&day) || n(8, 10) > 23 || n(10, 12) > 59 || n(12, 14) > 60 {
        return Err("out of range");
    }
    Ok(())
}

/// A type bitmap (RFC 4034 §4.1.2): type mnemonics or `TYPEnnn` up to the end.
fn type_bitmap(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    while input.peek().is_some() {
        input.type_name("the type bitmap")?;
    }
    Ok(())
}

/// The NSEC3 and NSEC3PARAM fields before the next hashed owner: hash algorithm, flags,
/// iterations, salt (hex, or `-` for none).
fn nsec3_head(input: &mut Input<'_>) -> Result<u32, SyntaxError> {
    let algorithm = input.mnemonic("the hash algorithm", 255, HASHALGS)?;
    input.u8("the flags")?;
    input.u16("the iterations")?;
    let token = input.plain("the salt")?;
    let text = input.str(token.span);
    if text.len() > 510 {
        return Err(input.error(
            token,
            format!(
                "text too long: the salt is {} hex digits, at most 510",
                text.len()
            ),
        ));
    }
    let mut hex = Hex::default();
    if text != "-" && !(hex.push_all(text.as_bytes()) && hex.finish()) {
        return Err(input.error(
            token,
            format!("bad hex encoding: the salt '{text}' is hex digits in pairs, or '-' for none"),
        ));
    }
    Ok(algorithm)
}

/// NSEC3 (RFC 5155 §3.3): the NSEC3PARAM fields, the next hashed owner name in base32hex
/// (20 octets for SHA-1) and a type bitmap, possibly empty.
fn nsec3(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    let algorithm = nsec3_head(input)?;
    let token = input.plain("the next hashed owner name")?;
    let text = input.str(token.span);
    match base32hex_len(text.as_bytes()) {
        None => {
            return Err(input.error(
                token,
                format!("bad base32 encoding '{text}': expected the next hashed owner name in base32hex (0-9, A-V)"),
            ))
        }
        Some(len) if (algorithm == 1 && len != 20) || len > 39 => {
            return Err(input.error(
                token,
                format!("out of range: the next hashed owner name '{text}' is {len} octets, a SHA-1 hash is 20"),
            ))
        }
        Some(_) => {}
    }
    type_bitmap(input)
}

/// NSEC3PARAM (RFC 5155 §4.3).
fn nsec3_param(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    nsec3_head(input).map(|_| ())
}

/// ZONEMD (RFC 8976 §2.3): serial, scheme, hash algorithm, hex digest (48 octets for
/// SHA-384, 64 for SHA-512, at least 12 otherwise).
fn zonemd(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.number("the serial", u32::MAX)?;
    input.u8("the scheme")?;
    let len = match input.u8("the hash algorithm")? {
        1 => Len::Exactly(48),
        2 => Len::Exactly(64),
        _ => Len::AtLeast(12),
    };
    input.hex_rest("the digest", len)
}

/// CERT (RFC 4398 §2.2): type (a number or mnemonic), key tag, algorithm, base64 data.
fn cert(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.mnemonic("the certificate type", 65535, CERTS)?;
    input.u16("the key tag")?;
    input.algorithm()?;
    input.base64_rest("the certificate", Len::AtLeastOne)
}

/// CSYNC (RFC 7477 §2.1): SOA serial, flags, a type bitmap (possibly empty).
fn csync(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.number("the SOA serial", u32::MAX)?;
    input.u16("the flags")?;
    type_bitmap(input)
}

/// NID and L64 (RFC 6742 §2.1, §2.3): preference, then a 64-bit value as four groups of
/// one to four hex digits separated by colons.
fn locator(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.u16("the preference")?;
    let token = input.plain("the locator")?;
    let text = input.str(token.span);
    let ok = text.split(':').count() == 4
        && text
            .split(':')
            .all(|g| (1..=4).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(input.error(
            token,
            format!("syntax error: bad locator '{text}': expected four groups of hex digits like 2001:db8:1140:1000"),
        ))
    }
}

/// L32 (RFC 6742 §2.2): preference, then an IPv4 address.
fn l32(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    input.u16("the preference")?;
    let token = input.plain("the locator")?;
    let text = input.str(token.span);
    if fields::ipv4(text).is_some() {
        Ok(())
    } else {
        Err(input.error(
            token,
            format!("bad dotted quad '{text}': expected an IPv4 address like 192.0.2.1"),
        ))
    }
}

/// NSAP (RFC 1706 §5): `0x` and hex digits, dots allowed between them, at least one byte
/// and whole bytes, as BIND's `fromtext_in_nsap` reads it.
fn nsap(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    let token = input.plain("the NSAP address")?;
    let text = input.str(token.span);
    let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) else {
        return Err(input.error(
            token,
            format!("bad NSAP address '{text}': it starts with 0x"),
        ));
    };
    let mut digits = 0usize;
    for c in hex.bytes().filter(|&c| c != b'.') {
        if !c.is_ascii_hexdigit() {
            return Err(input.error(token, format!("bad NSAP address '{text}': not a hex digit")));
        }
        digits += 1;
    }
    if digits == 0 || !digits.is_multiple_of(2) {
        return Err(input.error(
            token,
            format!(
                "unexpected end of input: NSAP address '{text}' needs whole bytes of hex digits"
            ),
        ));
    }
    Ok(())
}

/// EUI48 and EUI64 (RFC 7043 §3.2, §4.2): `xx-xx-xx-xx-xx-xx` (eight groups for EUI64), read
/// as BIND's `sscanf("%2x-...")` does: a group is one or two hex digits, and text after the
/// last group is ignored.
fn eui(input: &mut Input<'_>, groups: usize) -> Result<(), SyntaxError> {
    let token = input.plain("the address")?;
    let text = input.str(token.span);
    let b = text.as_bytes();
    let mut i = 0;
    let mut ok = true;
    for group in 0..groups {
        if group > 0 {
            if b.get(i) != Some(&b'-') {
                ok = false;
                break;
            }
            i += 1;
        }
        let digits = b[i..]
            .iter()
            .take(2)
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if digits == 0 {
            ok = false;
            break;
        }
        i += digits;
    }
    if ok {
        Ok(())
    } else {
        Err(input.error(
            token,
            format!(
                "bad EUI '{text}': expected {groups} groups of two hex digits separated by '-'"
            ),
        ))
    }
}

impl Builder {
    /// LP (RFC 6742 §2.4): preference, then a name.
    fn lp(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        input.u16("the preference")?;
        self.rdata_name(input, "the FQDN")?;
        Ok(())
    }

    /// URI (RFC 7553 §4.5): priority, weight, and the target as a quoted string.
    fn uri(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        input.u16("the priority")?;
        input.u16("the weight")?;
        let token = input.next("the target")?;
        if !token.quoted {
            return Err(input.error(
                token,
                format!(
                    "syntax error: the URI target {} must be a quoted string",
                    input.str(token.span)
                ),
            ));
        }
        self.unescaped(input, token, usize::from(u16::MAX), "URI target")?;
        Ok(())
    }
}

/// APL (RFC 3123 §4): any number of items `[!]afi:address/prefix`, address family 1
/// (IPv4, prefix up to 32) or 2 (IPv6, up to 128); the list may be empty.
fn apl(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    while input.peek().is_some() {
        let token = input.plain("an APL item")?;
        let text = input.str(token.span);
        apl_item(text).map_err(|why| input.error(token, format!("{why}: APL item '{text}'")))?;
    }
    Ok(())
}

/// One APL item as BIND reads it: the family as `strtoul` reads it, the prefix as a
/// plain number up to 255, then the address for the family.
fn apl_item(text: &str) -> Result<(), String> {
    let item = text.strip_prefix('!').unwrap_or(text);
    let digits_from = usize::from(item.starts_with('+'));
    let digits = item[digits_from..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let Some(address) = item[digits_from + digits..].strip_prefix(':') else {
        return Err("syntax error: expected [!]family:address/prefix".into());
    };
    let family = fields::number(&item[digits_from..digits_from + digits], u32::MAX).unwrap_or(0);
    let Some((address, prefix)) = address.split_once('/').filter(|(a, _)| !a.is_empty()) else {
        return Err("syntax error: expected [!]family:address/prefix".into());
    };
    let prefix = match fields::number(prefix, 255) {
        Ok(p) => p,
        Err(fields::NumberError::NotANumber) => {
            return Err(format!(
                "'{prefix}' is not a valid number: expected the prefix length"
            ))
        }
        Err(fields::NumberError::OutOfRange) => {
            return Err(format!(
                "out of range: the prefix length is at most 255, not {prefix}"
            ))
        }
    };
    let (valid, max) = match family {
        1 => (fields::ipv4(address).is_some(), 32),
        2 => (address.parse::<std::net::Ipv6Addr>().is_ok(), 128),
        _ => {
            return Err(format!(
                "not implemented: address family {family} (1 is IPv4, 2 is IPv6)"
            ))
        }
    };
    if !valid {
        let kind = if family == 1 {
            "bad dotted quad"
        } else {
            "bad IPv6 address"
        };
        return Err(format!("{kind} '{address}'"));
    }
    if prefix > max {
        return Err(format!(
            "out of range: the prefix length is at most {max}, not {prefix}"
        ));
    }
    Ok(())
}

/// How many octets a hex or base64 field must decode to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Len {
    /// Exactly this many (a digest of a known algorithm).
    Exactly(usize),
    /// One or more.
    AtLeastOne,
    /// At least this many.
    AtLeast(usize),
    /// Any, none included.
    Any,
}

impl Len {
    fn check(self, len: usize) -> Result<(), String> {
        match self {
            Len::Exactly(n) if len != n => Err(format!("{len} octets, {n} expected")),
            Len::AtLeastOne if len == 0 => Err("no data".into()),
            Len::AtLeast(n) if len < n => Err(format!("{len} octets, at least {n} expected")),
            _ => Ok(()),
        }
    }
}

impl Input<'_> {
    /// A number field of at most 255.
    fn u8(&mut self, what: &str) -> Result<u8, SyntaxError> {
        self.number(what, 255).map(|n| n.value as u8)
    }

    /// A field read by BIND's `dns_mnemonic_fromtext`: a decimal number up to `max`, or one
    /// of the mnemonics (any case).
    fn mnemonic(
        &mut self,
        what: &str,
        max: u32,
        table: &[(&str, u32)],
    ) -> Result<u32, SyntaxError> {
        let token = self.plain(what)?;
        let text = self.str(token.span);
        match maybe_numeric(text, max, false) {
            Numeric::Value(v) => return Ok(v),
            Numeric::OutOfRange => {
                return Err(self.error(
                    token,
                    format!("out of range: {what} is at most {max}, not {text}"),
                ))
            }
            Numeric::NotANumber => {}
        }
        table
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
            .map(|&(_, v)| v)
            .ok_or_else(|| {
                let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
                self.error(
                    token,
                    format!(
                        "unknown {what} '{text}': expected a number up to {max} or one of {}",
                        names.join(", ")
                    ),
                )
            })
    }

    /// A DNSSEC algorithm (RFC 4034 Appendix A.1): a number or a mnemonic.
    fn algorithm(&mut self) -> Result<u32, SyntaxError> {
        self.mnemonic("the algorithm", 255, SECALGS)
    }

    /// Hex digits up to the end of the record, in one or more tokens.
    fn hex_rest(&mut self, what: &str, len: Len) -> Result<(), SyntaxError> {
        let mut hex = Hex::default();
        let mut last = None;
        while let Some(token) = self.peek() {
            self.pos += 1;
            let text = self.str(token.span);
            if token.quoted || !hex.push_all(text.as_bytes()) {
                return Err(self.error(token, format!("bad hex encoding '{text}' in {what}")));
            }
            last = Some(token);
        }
        let span = last.map_or(self.end_span(), |t| self.span(t.span));
        if !hex.finish() {
            return Err(SyntaxError::new(
                span,
                format!("bad hex encoding: {what} has an odd number of hex digits"),
            ));
        }
        len.check(hex.len).map_err(|why| match (len, last) {
            (Len::Exactly(n), _) if hex.len > n => {
                SyntaxError::new(span, format!("bad hex encoding: {what} is {why}"))
            }
            _ => SyntaxError::new(span, format!("unexpected end of input: {what} is {why}")),
        })
    }

    /// Base64 over one or more tokens, up to its padding or the end of the record.
    fn base64_rest(&mut self, what: &str, len: Len) -> Result<(), SyntaxError> {
        let mut b64 = Base64::default();
        let mut last = None;
        while let Some(token) = self.peek() {
            if b64.ended {
                break;
            }
            self.pos += 1;
            let text = self.str(token.span);
            if token.quoted || !text.bytes().all(|c| b64.push(c)) {
                return Err(self.error(token, format!("bad base64 encoding '{text}' in {what}")));
            }
            last = Some(token);
        }
        let span = last.map_or(self.end_span(), |t| self.span(t.span));
        if !b64.finish() {
            return Err(SyntaxError::new(
                span,
                format!(
                    "bad base64 encoding: {what} ends with an incomplete group of 4 characters"
                ),
            ));
        }
        len.check(b64.len).map_err(|why| {
            SyntaxError::new(span, format!("unexpected end of input: {what} has {why}"))
        })
    }

    /// A record type as a type bitmap or RRSIG names it: a mnemonic or `TYPEnnn`.
    fn type_name(&mut self, what: &str) -> Result<(), SyntaxError> {
        let token = self.plain(what)?;
        let text = self.str(token.span);
        if RType::from_text(text).is_some() || text.eq_ignore_ascii_case("ANY") {
            return Ok(());
        }
        Err(self.error(token, format!("unknown class/type '{text}' in {what}")))
    }
}

/// What BIND's `maybe_numeric` makes of a token.
enum Numeric {
    Value(u32),
    OutOfRange,
    /// Not a number: a mnemonic, maybe.
    NotANumber,
}

/// BIND's `maybe_numeric`: a token starting with a digit, at most 12 characters, read in
/// decimal (or hex when `hex` allows, `0x` prefix optional).
fn maybe_numeric(text: &str, max: u32, hex: bool) -> Numeric {
    if !text.starts_with(|c: char| c.is_ascii_digit()) || text.len() > 12 {
        return Numeric::NotANumber;
    }
    let value = match fields::number(text, u32::MAX) {
        Ok(v) => v,
        Err(fields::NumberError::OutOfRange) => return Numeric::OutOfRange,
        Err(fields::NumberError::NotANumber) if hex => {
            let digits = text
                .strip_prefix("0x")
                .or_else(|| text.strip_prefix("0X"))
                .unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Numeric::NotANumber;
            }
            match u32::from_str_radix(digits.trim_start_matches('0'), 16) {
                Ok(v) => v,
                Err(_) if digits.bytes().all(|b| b == b'0') => 0,
                Err(_) => return Numeric::OutOfRange,
            }
        }
        Err(fields::NumberError::NotANumber) => return Numeric::NotANumber,
    };
    if value > max {
        Numeric::OutOfRange
    } else {
        Numeric::Value(value)
    }
}

/// DNSSEC algorithm mnemonics (BIND's `SECALGNAMES`).
const SECALGS: &[(&str, u32)] = &[
    ("RSAMD5", 1),
    ("DH", 2),
    ("DSA", 3),
    ("RSASHA1", 5),
    ("NSEC3DSA", 6),
    ("NSEC3RSASHA1", 7),
    ("RSASHA256", 8),
    ("RSASHA512", 10),
    ("ECCGOST", 12),
    ("ECDSAP256SHA256", 13),
    ("ECDSA256", 13),
    ("ECDSAP384SHA384", 14),
    ("ECDSA384", 14),
    ("ED25519", 15),
    ("ED448", 16),
    ("INDIRECT", 252),
    ("PRIVATEDNS", 253),
    ("PRIVATEOID", 254),
];

/// DS digest types (BIND's `DSDIGESTNAMES`).
const DSDIGESTS: &[(&str, u32)] = &[
    ("SHA-1", 1),
    ("SHA1", 1),
    ("SHA-256", 2),
    ("SHA256", 2),
    ("GOST", 3),
    ("SHA-384", 4),
    ("SHA384", 4),
];

/// DNSKEY protocols (BIND's `SECPROTONAMES`).
const SECPROTOS: &[(&str, u32)] = &[
    ("NONE", 0),
    ("TLS", 1),
    ("EMAIL", 2),
    ("DNSSEC", 3),
    ("IPSEC", 4),
    ("ALL", 255),
];

/// CERT types (BIND's `CERTNAMES`).
const CERTS: &[(&str, u32)] = &[
    ("PKIX", 1),
    ("SPKI", 2),
    ("PGP", 3),
    ("IPKIX", 4),
    ("ISPKI", 5),
    ("IPGP", 6),
    ("ACPKIX", 7),
    ("IACPKIX", 8),
    ("URI", 253),
    ("OID", 254),
];

/// NSEC3 hash algorithms (BIND's `HASHALGNAMES`).
const HASHALGS: &[(&str, u32)] = &[("SHA-1", 1)];

/// KEY flag mnemonics (BIND's `keyflags`), joined with `|`.
const KEYFLAGS: &[(&str, u16)] = &[
    ("NOCONF", 0x4000),
    ("NOAUTH", 0x8000),
    ("NOKEY", 0xC000),
    ("FLAG2", 0x2000),
    ("EXTEND", 0x1000),
    ("FLAG4", 0x0800),
    ("FLAG5", 0x0400),
    ("USER", 0x0000),
    ("ZONE", 0x0100),
    ("HOST", 0x0200),
    ("NTYP3", 0x0300),
    ("FLAG8", 0x0080),
    ("FLAG9", 0x0040),
    ("FLAG10", 0x0020),
    ("FLAG11", 0x0010),
    ("SIG0", 0x0000),
    ("SIG1", 0x0001),
    ("SIG2", 0x0002),
    ("SIG3", 0x0003),
    ("SIG4", 0x0004),
    ("SIG5", 0x0005),
    ("SIG6", 0x0006),
    ("SIG7", 0x0007),
    ("SIG8", 0x0008),
    ("SIG9", 0x0009),
    ("SIG10", 0x000A),
    ("SIG11", 0x000B),
    ("SIG12", 0x000C),
    ("SIG13", 0x000D),
    ("SIG14", 0x000E),
    ("SIG15", 0x000F),
    ("KSK", 0x0001),
];

/// Key flags as BIND's `dns_keyflags_fromtext` reads them: a number (decimal, else hex) up
/// to 65535, or mnemonics joined with `|`, each matching the start of a flag's name.
fn key_flags(text: &str) -> Result<u16, String> {
    match maybe_numeric(text, 0xffff, true) {
        Numeric::Value(v) => return Ok(v as u16),
        Numeric::OutOfRange => {
            return Err(format!(
                "out of range: the flags are at most 65535, not {text}"
            ))
        }
        Numeric::NotANumber => {}
    }
    let mut flags = 0u16;
    for item in text.split('|') {
        let flag = KEYFLAGS
            .iter()
            .find(|(name, _)| {
                name.get(..item.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(item))
            })
            .ok_or_else(|| format!("unknown key flag '{item}' in '{text}'"))?;
        flags |= flag.1;
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_flags_read_as_bind() {
        assert!(matches!(
            maybe_numeric("257", 0xffff, true),
            Numeric::Value(257)
        ));
        assert!(matches!(
            maybe_numeric("0x101", 0xffff, true),
            Numeric::Value(257)
        ));
        assert!(matches!(
            maybe_numeric("10A", 0xffff, true),
            Numeric::Value(266)
        ));
        assert!(matches!(
            maybe_numeric("10A", 255, false),
            Numeric::NotANumber
        ));
        assert!(matches!(
            maybe_numeric("256", 255, false),
            Numeric::OutOfRange
        ));
        assert!(matches!(
            maybe_numeric("RSASHA256", 255, false),
            Numeric::NotANumber
        ));
        assert_eq!(key_flags("ZONE|KSK"), Ok(257));
        assert_eq!(key_flags("zo|k"), Ok(257));
        assert!(key_flags("ZONE|SEP").is_err());
        assert!(key_flags("65536").is_err());
    }

    #[test]
    fn signature_dates() {
        assert!(signature_date("20240229235960").is_ok());
        assert!(signature_date("20230229000000").is_err());
        assert!(signature_date("20250101240000").is_err());
        assert!(signature_date("2025010100000").is_err());
        assert!(signature_date("2025010100000x").is_err());
    }
}
