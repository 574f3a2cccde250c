//! Record data: per-type field sequences, and the RFC 3597 generic form `\# length hex`.
//!
//! Field grammars are in [`super::fields`] (nom). Error messages follow BIND's wording
//! ("bad dotted quad", "not a valid number", "out of range", "extra input text",
//! "unexpected end of input") with the offending token in the message and its span.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::builder::Builder;
use super::fields::{self, NumberError};
use super::lexer::Token;
use super::model::{
    Bytes, Caa, CharString, Generic, Mx, Name, NameId, RData, RawToken, Soa, Spanned, Srv,
};
use super::names::unescape_at;
use super::types::RType;
use crate::formats::SyntaxError;
use crate::source::Span;

/// The rdata tokens of one record and how to report spans.
pub(crate) struct Input<'a> {
    /// The text the token spans index into.
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub pos: usize,
    /// Where "unexpected end of input" points: the end of the record.
    pub end: usize,
    /// For generated records: every span becomes this one (the template token).
    pub fixed_span: Option<Span>,
    pub origin: NameId,
}

impl<'a> Input<'a> {
    pub fn span(&self, span: Span) -> Span {
        self.fixed_span.unwrap_or(span)
    }

    pub fn str(&self, span: Span) -> &'a str {
        self.text.get(span.start()..span.end()).unwrap_or("")
    }

    pub(super) fn end_span(&self) -> Span {
        self.fixed_span.unwrap_or(Span::at(self.end))
    }

    pub(super) fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).copied()
    }

    pub(super) fn next(&mut self, what: &str) -> Result<Token, SyntaxError> {
        let token = self.peek().ok_or_else(|| {
            SyntaxError::new(
                self.end_span(),
                format!("unexpected end of input: expected {what}"),
            )
        })?;
        self.pos += 1;
        Ok(token)
    }

    /// The next token, which must not be quoted (BIND: "unexpected token").
    pub(super) fn plain(&mut self, what: &str) -> Result<Token, SyntaxError> {
        let token = self.next(what)?;
        if token.quoted {
            return Err(SyntaxError::new(
                self.span(token.span),
                format!("unexpected quoted string: expected {what}"),
            ));
        }
        Ok(token)
    }

    pub(super) fn error(&self, token: Token, message: String) -> SyntaxError {
        SyntaxError::new(self.span(token.span), message)
    }

    pub(super) fn number(&mut self, what: &str, max: u32) -> Result<Spanned<u32>, SyntaxError> {
        let token = self.next(what)?;
        let text = self.str(token.span);
        if token.quoted {
            return Err(self.error(
                token,
                format!("'{text}' is not a valid number: expected {what}"),
            ));
        }
        match fields::number(text, max) {
            Ok(v) => Ok(Spanned::new(v, self.span(token.span))),
            Err(NumberError::NotANumber) => Err(self.error(
                token,
                format!("'{text}' is not a valid number: expected {what}"),
            )),
            Err(NumberError::OutOfRange) => Err(self.error(
                token,
                format!("out of range: {what} is at most {max}, not {text}"),
            )),
        }
    }

    pub(super) fn u16(&mut self, what: &str) -> Result<Spanned<u16>, SyntaxError> {
        self.number(what, u32::from(u16::MAX))
            .map(|n| Spanned::new(n.value as u16, n.span))
    }

    /// A TTL-like duration field (SOA timers).
    fn duration(&mut self, what: &str) -> Result<Spanned<u32>, SyntaxError> {
        let token = self.plain(what)?;
        let text = self.str(token.span);
        match fields::ttl(text) {
            Some(v) => Ok(Spanned::new(v, self.span(token.span))),
            None => Err(self.error(
                token,
                format!(
                    "bad {what} '{text}': expected seconds or units like 1h30m (w, d, h, m, s)"
                ),
            )),
        }
    }

    pub(super) fn finish(&self) -> Result<(), SyntaxError> {
        match self.peek() {
            None => Ok(()),
            Some(token) => Err(self.error(
                token,
                format!(
                    "extra input text '{}' after the record data",
                    self.str(token.span)
                ),
            )),
        }
    }
}

impl Builder {
    /// Parses the rdata of one record.
    pub(crate) fn rdata(
        &mut self,
        rtype: RType,
        input: &mut Input<'_>,
    ) -> Result<RData, SyntaxError> {
        if let Some(first) = input.peek() {
            if !first.quoted && input.str(first.span) == "\\#" && self.is_generic(rtype, input) {
                input.pos += 1;
                let rdata = self.generic(rtype, input)?;
                input.finish()?;
                return Ok(rdata);
            }
        }
        let rdata = match rtype {
            RType::A => {
                let token = input.plain("an IPv4 address")?;
                let text = input.str(token.span);
                let addr = fields::ipv4(text).ok_or_else(|| {
                    input.error(
                        token,
                        format!(
                            "bad dotted quad '{text}': expected an IPv4 address like 192.0.2.1"
                        ),
                    )
                })?;
                RData::A(Spanned::new(addr, input.span(token.span)))
            }
            RType::AAAA => {
                let token = input.plain("an IPv6 address")?;
                let text = input.str(token.span);
                let addr = text
                    .parse::<Ipv6Addr>()
                    .map_err(|_| input.error(token, format!("bad IPv6 address '{text}'")))?;
                RData::Aaaa(Spanned::new(addr, input.span(token.span)))
            }
            RType::NS => RData::Ns(self.rdata_name(input, "a name server name")?),
            RType::CNAME => RData::Cname(self.rdata_name(input, "the canonical name")?),
            RType::PTR => RData::Ptr(self.rdata_name(input, "a name")?),
            RType::DNAME => RData::Dname(self.rdata_name(input, "the target name")?),
            RType::MX => {
                let preference = input.u16("the MX preference")?;
                let exchange = self.rdata_name(input, "the mail exchange name")?;
                RData::Mx(Mx {
                    preference,
                    exchange,
                })
            }
            RType::TXT => RData::Txt(self.char_strings(input, "TXT")?),
            RType::SPF => RData::Spf(self.char_strings(input, "SPF")?),
            RType::SOA => {
                let mname = self.rdata_name(input, "the primary name server (MNAME)")?;
                let rname = self.rdata_name(input, "the responsible mailbox (RNAME)")?;
                let serial = input.number("the serial", u32::MAX)?;
                let refresh = input.duration("refresh")?;
                let retry = input.duration("retry")?;
                let expire = input.duration("expire")?;
                let minimum = input.duration("minimum")?;
                RData::Soa(Box::new(Soa {
                    mname,
                    rname,
                    serial,
                    refresh,
                    retry,
                    expire,
                    minimum,
                }))
            }
            RType::SRV => {
                let priority = input.u16("the SRV priority")?;
                let weight = input.u16("the SRV weight")?;
                let port = input.u16("the SRV port")?;
                let target = self.rdata_name(input, "the SRV target")?;
                RData::Srv(Box::new(Srv {
                    priority,
                    weight,
                    port,
                    target,
                }))
            }
            RType::CAA => self.caa(input)?,
            RType::NULL => {
                let token = input.next("'\\#' generic data")?;
                return Err(input.error(
                    token,
                    "NULL records can only be written in the RFC 3597 generic form '\\# length hex'".into(),
                ));
            }
            _ if rtype.mnemonic().is_none() => {
                let token = input.next("'\\#' generic data")?;
                return Err(input.error(
                    token,
                    format!("type {rtype} has no text form: write its data as '\\# length hex' (RFC 3597)"),
                ));
            }
            _ => {
                if let Some(shape) = simple_shape(rtype) {
                    let start = input.pos;
                    self.check_shape(rtype, shape, input)?;
                    input.pos = start;
                } else {
                    self.check_presentation(rtype, input)?;
                }
                let mut raw = Vec::with_capacity(input.tokens.len() - input.pos);
                while let Some(token) = input.peek() {
                    input.pos += 1;
                    let text = self.push_data(input.str(token.content()).as_bytes());
                    raw.push(RawToken {
                        span: input.span(token.span),
                        text,
                        quoted: token.quoted,
                    });
                }
                // An APL list may be empty (RFC 3123 §4); other data may not.
                if raw.is_empty() && rtype.0 != 42 {
                    input.next("record data")?;
                }
                RData::Raw(raw.into_boxed_slice())
            }
        };
        input.finish()?;
        Ok(rdata)
    }

    /// `\#` starts generic data, except in TXT where it may be the text `#` unless a number
    /// follows (BIND behaviour).
    fn is_generic(&self, rtype: RType, input: &Input<'_>) -> bool {
        if rtype != RType::TXT {
            return true;
        }
        match input.tokens.get(input.pos + 1) {
            Some(t) => !t.quoted && input.str(t.span).bytes().all(|b| b.is_ascii_digit()),
            None => false,
        }
    }

    pub(super) fn rdata_name(
        &mut self,
        input: &mut Input<'_>,
        what: &str,
    ) -> Result<Name, SyntaxError> {
        let token = input.plain(what)?;
        self.name(input.str(token.span), input.span(token.span), input.origin)
    }

    fn char_strings(
        &mut self,
        input: &mut Input<'_>,
        kind: &str,
    ) -> Result<Box<[CharString]>, SyntaxError> {
        self.strings.clear();
        while let Some(token) = input.peek() {
            input.pos += 1;
            let data = self.unescaped(input, token, 255, kind)?;
            self.strings.push(CharString {
                span: input.span(token.span),
                data,
            });
        }
        if self.strings.is_empty() {
            input.next("at least one character-string")?;
        }
        Ok(Box::from(self.strings.as_slice()))
    }

    /// Unescapes a token's content into the data arena, checking its length.
    pub(super) fn unescaped(
        &mut self,
        input: &Input<'_>,
        token: Token,
        max: usize,
        kind: &str,
    ) -> Result<Bytes, SyntaxError> {
        let content = input.str(token.content()).as_bytes();
        if !token.escaped {
            if content.len() > max {
                return Err(too_long(input, token, content.len(), max, kind));
            }
            return Ok(self.push_data(content));
        }
        let mut out = std::mem::take(&mut self.scratch);
        out.clear();
        let mut i = 0;
        while i < content.len() {
            if content[i] == b'\\' {
                let Some((octet, used)) = unescape_at(content, i) else {
                    self.scratch = out;
                    return Err(input.error(
                        token,
                        format!(
                            "bad escape in '{}': use \\X for a character or \\DDD (three digits, at most 255) for an octet",
                            input.str(token.span)
                        ),
                    ));
                };
                out.push(octet);
                i += used;
            } else {
                out.push(content[i]);
                i += 1;
            }
        }
        let result = if out.len() > max {
            Err(too_long(input, token, out.len(), max, kind))
        } else {
            Ok(self.push_data(&out))
        };
        self.scratch = out;
        result
    }

    fn caa(&mut self, input: &mut Input<'_>) -> Result<RData, SyntaxError> {
        let flags = input.number("the CAA flags", 255)?;
        let flags = Spanned::new(flags.value as u8, flags.span);
        let tag_token = input.plain("the CAA tag")?;
        let tag_text = input.str(tag_token.span);
        if !fields::caa_tag(tag_text) {
            return Err(input.error(
                tag_token,
                format!("bad CAA tag '{tag_text}': a tag is letters and digits only (RFC 8659 §4.1.1), e.g. issue, issuewild, iodef"),
            ));
        }
        if tag_text.len() > 255 {
            return Err(input.error(
                tag_token,
                format!(
                    "CAA tag is {} octets long, the limit is 255",
                    tag_text.len()
                ),
            ));
        }
        let tag = Spanned::new(
            self.push_data(tag_text.as_bytes()),
            input.span(tag_token.span),
        );
        let value_token = input.next("the CAA value")?;
        let value = self.unescaped(input, value_token, usize::from(u16::MAX), "CAA value")?;
        Ok(RData::Caa(Box::new(Caa {
            flags,
            tag,
            value: Spanned::new(value, input.span(value_token.span)),
        })))
    }

    /// RFC 3597 §5: `\# length hex...`, decoded into the typed variant for modelled types.
    fn generic(&mut self, rtype: RType, input: &mut Input<'_>) -> Result<RData, SyntaxError> {
        // Meta types never get here: `RecordHead::read` rejects them.
        let length = input.u16("the generic data length")?;
        let want = usize::from(length.value);
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        let mut pending = None;
        let mut first: Option<Span> = None;
        let mut last = length.span;
        while bytes.len() < want || pending.is_some() {
            let Some(token) = input.peek() else {
                self.scratch = bytes;
                return Err(SyntaxError::new(
                    input.end_span(),
                    format!("unexpected end of input: the generic data is shorter than its length {want}"),
                ));
            };
            input.pos += 1;
            let text = input.str(token.span);
            let decoded = if token.quoted {
                None
            } else {
                fields::hex_into(text, pending, &mut bytes)
            };
            match decoded {
                Some(p) if bytes.len() <= want => pending = p,
                _ => {
                    self.scratch = bytes;
                    return Err(input.error(
                        token,
                        format!("bad hex encoding '{text}' in generic data of length {want}"),
                    ));
                }
            }
            first.get_or_insert(token.span);
            last = token.span;
        }
        let data_span = input.span(first.map_or(Span::at(last.end()), |f| f.to(last)));
        let result = self.decode_wire(rtype, &bytes, data_span, length);
        self.scratch = bytes;
        result.map_err(|message| SyntaxError::new(data_span, message))
    }

    /// Decodes uncompressed wire-format rdata of a modelled type (BIND validates generic data
    /// the same way).
    fn decode_wire(
        &mut self,
        rtype: RType,
        wire: &[u8],
        span: Span,
        length: Spanned<u16>,
    ) -> Result<RData, String> {
        let mut r = WireReader { data: wire, pos: 0 };
        let rdata = match rtype {
            RType::A => {
                let b = r.take(4)?;
                RData::A(Spanned::new(Ipv4Addr::new(b[0], b[1], b[2], b[3]), span))
            }
            RType::AAAA => {
                let mut octets = [0u8; 16];
                octets.copy_from_slice(r.take(16)?);
                RData::Aaaa(Spanned::new(Ipv6Addr::from(octets), span))
            }
            RType::NS => RData::Ns(self.wire_name(&mut r, span)?),
            RType::CNAME => RData::Cname(self.wire_name(&mut r, span)?),
            RType::PTR => RData::Ptr(self.wire_name(&mut r, span)?),
            RType::DNAME => RData::Dname(self.wire_name(&mut r, span)?),
            RType::MX => {
                let preference = Spanned::new(r.u16()?, span);
                RData::Mx(Mx {
                    preference,
                    exchange: self.wire_name(&mut r, span)?,
                })
            }
            RType::TXT | RType::SPF => {
                self.strings.clear();
                while r.pos < wire.len() {
                    let len = usize::from(r.take(1)?[0]);
                    let data = self.push_data(r.take(len)?);
                    self.strings.push(CharString { span, data });
                }
                if self.strings.is_empty() {
                    return Err(
                        "unexpected end of input: a TXT record needs at least one character-string"
                            .into(),
                    );
                }
                let strings = Box::from(self.strings.as_slice());
                if rtype == RType::TXT {
                    RData::Txt(strings)
                } else {
                    RData::Spf(strings)
                }
            }
            RType::SOA => {
                let mname = self.wire_name(&mut r, span)?;
                let rname = self.wire_name(&mut r, span)?;
                let mut n = [0u32; 5];
                for v in &mut n {
                    *v = r.u32()?;
                }
                let s = |v| Spanned::new(v, span);
                RData::Soa(Box::new(Soa {
                    mname,
                    rname,
                    serial: s(n[0]),
                    refresh: s(n[1]),
                    retry: s(n[2]),
                    expire: s(n[3]),
                    minimum: s(n[4]),
                }))
            }
            RType::SRV => {
                let s = |v| Spanned::new(v, span);
                let (priority, weight, port) = (s(r.u16()?), s(r.u16()?), s(r.u16()?));
                RData::Srv(Box::new(Srv {
                    priority,
                    weight,
                    port,
                    target: self.wire_name(&mut r, span)?,
                }))
            }
            RType::CAA => {
                let flags = Spanned::new(r.take(1)?[0], span);
                let tag_len = usize::from(r.take(1)?[0]);
                let tag = r.take(tag_len)?;
                if tag.is_empty() || !tag.iter().all(u8::is_ascii_alphanumeric) {
                    return Err(
                        "bad CAA tag in generic data: a tag is one or more letters and digits"
                            .into(),
                    );
                }
                let tag = Spanned::new(self.push_data(tag), span);
                let value = Spanned::new(self.push_data(r.rest()), span);
                RData::Caa(Box::new(Caa { flags, tag, value }))
            }
            _ => {
                if let Some(shape) = simple_shape(rtype) {
                    for &field in shape {
                        match field {
                            Field::Name => {
                                self.wire_name(&mut r, span)?;
                            }
                            Field::U16 => {
                                r.u16()?;
                            }
                            Field::CharString | Field::OptionalCharString | Field::Digits => {
                                if field == Field::OptionalCharString && r.pos == wire.len() {
                                    continue;
                                }
                                let len = usize::from(r.take(1)?[0]);
                                let text = r.take(len)?;
                                if field == Field::Digits
                                    && (len < 4 || !text.iter().all(u8::is_ascii_digit))
                                {
                                    return Err(format!("bad {rtype} address in generic data"));
                                }
                            }
                        }
                    }
                    if r.pos != wire.len() {
                        return Err(format!(
                            "extra input data: {} octets left after the {rtype} data",
                            wire.len() - r.pos
                        ));
                    }
                }
                let data = self.push_data(wire);
                return Ok(RData::Generic(Box::new(Generic {
                    length,
                    data: Spanned::new(data, span),
                })));
            }
        };
        if r.pos != wire.len() {
            return Err(format!(
                "extra input data: {} octets left after the {rtype} data",
                wire.len() - r.pos
            ));
        }
        Ok(rdata)
    }

    fn wire_name(&mut self, r: &mut WireReader<'_>, span: Span) -> Result<Name, String> {
        let mut text = Vec::new();
        loop {
            let len = usize::from(r.take(1)?[0]);
            if len == 0 {
                break;
            }
            if len > 63 {
                return Err(
                    "bad label length in generic name data (compression is not allowed)".into(),
                );
            }
            if !text.is_empty() {
                text.push(b'.');
            }
            for &octet in r.take(len)? {
                if octet.is_ascii_alphanumeric() || octet == b'-' || octet == b'_' || octet == b'*'
                {
                    text.push(octet);
                } else {
                    text.push(b'\\');
                    text.extend_from_slice(format!("{octet:03}").as_bytes());
                }
            }
        }
        text.push(b'.');
        let text = String::from_utf8(text).unwrap_or_default();
        self.name(&text, span, NameId(0)).map_err(|e| e.message)
    }
}

/// A field of the simple legacy types that are validated but kept as raw tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    U16,
    CharString,
    OptionalCharString,
    /// X25 PSDN address: four or more decimal digits (RFC 1183 §3.1).
    Digits,
}

/// Field sequences of known types whose data ipai does not model but checks, as BIND does
/// (RFC 1035 §3.3, RFC 1183, RFC 2163, RFC 2230).
fn simple_shape(rtype: RType) -> Option<&'static [Field]> {
    use Field::*;
    Some(match rtype.0 {
        7..=9 | 23 => &[Name],                   // MB, MG, MR, NSAP-PTR
        14 | 17 => &[Name, Name],                // MINFO, RP
        18 | 21 | 36 => &[U16, Name],            // AFSDB, RT, KX
        26 => &[U16, Name, Name],                // PX
        13 => &[CharString, CharString],         // HINFO
        19 => &[Digits],                         // X25
        20 => &[CharString, OptionalCharString], // ISDN
        _ => return None,
    })
}

impl Builder {
    fn check_shape(
        &mut self,
        rtype: RType,
        shape: &[Field],
        input: &mut Input<'_>,
    ) -> Result<(), SyntaxError> {
        for &field in shape {
            match field {
                Field::Name => {
                    self.rdata_name(input, "a domain name")?;
                }
                Field::U16 => {
                    input.u16("a number")?;
                }
                Field::CharString | Field::OptionalCharString | Field::Digits => {
                    if field == Field::OptionalCharString && input.peek().is_none() {
                        continue;
                    }
                    let token = input.next("a character-string")?;
                    let data = self.unescaped(input, token, 255, &rtype.to_string())?;
                    let bytes = self.data.get(data.start as usize..).unwrap_or(&[]);
                    if field == Field::Digits
                        && (bytes.len() < 4 || !bytes.iter().all(u8::is_ascii_digit))
                    {
                        return Err(input.error(
                            token,
                            format!("bad {rtype} address: four or more digits expected"),
                        ));
                    }
                }
            }
        }
        input.finish()
    }
}

fn too_long(input: &Input<'_>, token: Token, len: usize, max: usize, kind: &str) -> SyntaxError {
    let error = SyntaxError::new(
        input.span(token.span),
        format!("{kind} character-string is {len} octets long, the limit is {max}"),
    );
    if max == 255 {
        error.with_help("split the text into several quoted strings of at most 255 octets each; they are joined when read")
    } else {
        error
    }
}

struct WireReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> WireReader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let slice = self.data.get(self.pos..self.pos + n).ok_or_else(|| {
            "unexpected end of input: the generic data is too short for its type".to_string()
        })?;
        self.pos += n;
        Ok(slice)
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn rest(&mut self) -> &'a [u8] {
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        self.pos = self.data.len();
        rest
    }
}
