//! SVCB and HTTPS record data (RFC 9460 §2.1, §7; RFC 9461 for `dohpath`): checked as BIND
//! 9.18 reads it, kept as raw tokens.
//!
//! `priority target [key[=value]]...`. The priority is a 16-bit number and the target a
//! name (quoted or not). Each SvcParam is one token, `key`, `key=` or `key=value`, where a
//! value may also be a quoted string right after the `=` (`alpn="h2,h3"`). What BIND checks,
//! and so ipai:
//! - keys `mandatory alpn no-default-alpn port ipv4hint ech ipv6hint dohpath` in lower case,
//!   or `keyNNNNN` (no leading zero, at most 65535); each key at most once;
//! - `mandatory`: a comma list of keys, none twice, not `mandatory` itself, each present
//!   in the record; `mandatory` alone is disallowed;
//! - `alpn`: comma-separated non-empty identifiers of at most 255 octets, `\,` for a comma
//!   inside one; `no-default-alpn`: no value, and `alpn` present (except, as in BIND, when
//!   it is the last key and the last one `mandatory` lists);
//! - `port`: a number up to 65535; `ipv4hint`, `ipv6hint`: comma lists of addresses;
//!   `ech`: base64, possibly empty; `dohpath`: an RFC 6570 URI template starting with `/`
//!   with a `dns` variable;
//! - any other spelling of a key (`ALPN`, `key1`) takes its value as wire octets, which must
//!   fit the key's wire format (`key3=ab` is a port).
//!
//! AliasMode (priority 0) records with SvcParams are accepted: BIND 9.18 loads them.

use super::builder::Builder;
use super::codec::Base64;
use super::fields;
use super::lexer::Token;
use super::names::unescape_at;
use super::rdata::Input;
use crate::formats::SyntaxError;

const MANDATORY: u16 = 0;
const ALPN: u16 = 1;
const NO_DEFAULT_ALPN: u16 = 2;
const PORT: u16 = 3;
const IPV4HINT: u16 = 4;
const ECH: u16 = 5;
const IPV6HINT: u16 = 6;
const DOHPATH: u16 = 7;

/// The registered keys BIND 9.18 knows, by number.
const KEYS: [&str; 8] = [
    "mandatory",
    "alpn",
    "no-default-alpn",
    "port",
    "ipv4hint",
    "ech",
    "ipv6hint",
    "dohpath",
];

/// A SvcParam read: its key and the token to blame for it.
#[derive(Clone, Copy)]
struct Param {
    key: u16,
    token: Token,
}

impl Builder {
    /// Checks the data of an SVCB or HTTPS record, reading all its tokens.
    pub(super) fn check_svcb(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        input.u16("the SvcPriority")?;
        let target = input.next("the TargetName")?;
        let text = input.str(target.content());
        self.name(text, input.span(target.span), input.origin)?;
        let mut params: Vec<Param> = Vec::new();
        let mut mandatory: Vec<u16> = Vec::new();
        let mut mandatory_token = None;
        while let Some(token) = input.peek() {
            input.pos += 1;
            if token.quoted {
                return Err(input.error(
                    token,
                    format!(
                        "unexpected quoted string {}: a SvcParam is key=value, quotes may only follow the '='",
                        input.str(token.span)
                    ),
                ));
            }
            let text = input.str(token.span);
            let (key_text, mut value) = match split_key(text) {
                Some((key, value)) => (key, Some(value)),
                None => (text, None),
            };
            // `key="value"`: the quoted string right after the '=' is the value.
            let mut blame = token;
            if value == Some("") {
                if let Some(next) = input.peek() {
                    if next.quoted && next.span.start() == token.span.end() {
                        input.pos += 1;
                        value = Some(input.str(next.content()));
                        blame = Token {
                            span: token.span.to(next.span),
                            ..next
                        };
                    }
                }
            }
            let value = value.unwrap_or("");
            let key = self
                .svc_param(key_text, value, &mut mandatory)
                .map_err(|message| input.error(blame, message))?;
            if key == MANDATORY {
                mandatory_token = Some(blame);
            }
            params.push(Param { key, token: blame });
        }
        // Sorted by key, in file order among equal keys: the second of two is to blame.
        params.sort_by_key(|p| p.key);
        if let Some(pair) = params.windows(2).find(|w| w[0].key == w[1].key) {
            return Err(input.error(
                pair[1].token,
                format!(
                    "duplicate SvcParam key {} in '{}': each key may appear once",
                    key_name(pair[1].key),
                    input.str(pair[1].token.span)
                ),
            ));
        }
        check_keys(input, &params, &mandatory, mandatory_token)
    }

    /// Reads one SvcParam; returns its key number, or BIND's reason to refuse it.
    fn svc_param(
        &mut self,
        key_text: &str,
        value: &str,
        mandatory: &mut Vec<u16>,
    ) -> Result<u16, String> {
        if let Some(key) = KEYS.iter().position(|&k| k == key_text) {
            let key = key as u16;
            check_value(key, value, mandatory)?;
            return Ok(key);
        }
        let key = key_number(key_text)?;
        let mut wire = std::mem::take(&mut self.scratch);
        wire.clear();
        let result = unescape_into(value, &mut wire)
            .ok_or_else(|| format!("bad escape in the value of {key_text}"))
            .and_then(|()| check_wire(key, &wire, mandatory));
        self.scratch = wire;
        result.map(|()| key)
    }
}

/// `key=value` → (key, value) at the first unescaped `=`.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' => return Some((&text[..i], &text[i + 1..])),
            _ => i += 1,
        }
    }
    None
}

fn key_name(key: u16) -> String {
    match KEYS.get(usize::from(key)) {
        Some(name) => (*name).to_owned(),
        None => format!("key{key}"),
    }
}

/// A key as BIND's `svc_keyfromregion` reads it: a registered name in any case, or
/// `keyNNNNN`.
fn key_number(text: &str) -> Result<u16, String> {
    if let Some(key) = KEYS.iter().position(|k| k.eq_ignore_ascii_case(text)) {
        return Ok(key as u16);
    }
    let bad = || {
        format!(
            "bad SvcParam key '{text}': expected mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint, dohpath or keyNNNNN"
        )
    };
    let digits = text.strip_prefix("key").ok_or_else(bad)?;
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return Err(bad());
    }
    match fields::number(digits, u32::from(u16::MAX)) {
        Ok(n) => Ok(n as u16),
        Err(fields::NumberError::NotANumber) => Err(bad()),
        Err(fields::NumberError::OutOfRange) => Err(format!(
            "out of range: SvcParam key '{text}' is above key65535"
        )),
    }
}

/// The value of a key written by its registered name.
fn check_value(key: u16, value: &str, mandatory: &mut Vec<u16>) -> Result<(), String> {
    let name = key_name(key);
    let bad = |what: &str| format!("bad {name} value '{value}': {what}");
    match key {
        MANDATORY => {
            if value.is_empty() {
                return Err("syntax error: mandatory needs a value, a comma list of keys".into());
            }
            mandatory.clear();
            for item in value.split(',') {
                if item.is_empty() {
                    return Err(bad("an empty key in the list"));
                }
                mandatory.push(key_number(item)?);
            }
            mandatory.sort_unstable();
            if mandatory.windows(2).any(|w| w[0] == w[1]) {
                return Err(bad("a key is listed twice"));
            }
            Ok(())
        }
        ALPN => {
            if value.is_empty() {
                return Err("syntax error: alpn needs a value, e.g. alpn=h2,h3".into());
            }
            alpn_ids(value.as_bytes()).ok_or_else(|| {
                bad("expected comma-separated protocol ids, none empty or over 255 octets (\\, for a comma inside one)")
            })
        }
        NO_DEFAULT_ALPN => {
            if value.is_empty() {
                Ok(())
            } else {
                Err(bad("no-default-alpn takes no value"))
            }
        }
        PORT => match fields::number(value, u32::from(u16::MAX)) {
            Ok(_) => Ok(()),
            Err(fields::NumberError::OutOfRange) => {
                Err(format!("out of range: port is at most 65535, not {value}"))
            }
            Err(fields::NumberError::NotANumber) => Err(bad("expected a port number")),
        },
        IPV4HINT => {
            if value.split(',').all(|a| fields::ipv4(a).is_some()) {
                Ok(())
            } else {
                Err(bad("expected comma-separated IPv4 addresses"))
            }
        }
        IPV6HINT => {
            if value
                .split(',')
                .all(|a| a.parse::<std::net::Ipv6Addr>().is_ok())
            {
                Ok(())
            } else {
                Err(bad("expected comma-separated IPv6 addresses"))
            }
        }
        ECH => {
            let mut decoder = Base64::default();
            if decoder.push_all(value.as_bytes()) && decoder.finish() {
                Ok(())
            } else {
                Err(format!("bad base64 encoding in ech value '{value}'"))
            }
        }
        _ => {
            // dohpath: text with escapes, then the URI template check.
            let mut octets = Vec::with_capacity(value.len());
            unescape_into(value, &mut octets).ok_or_else(|| bad("bad escape"))?;
            if dohpath(&octets) {
                Ok(())
            } else {
                Err(bad(
                    "expected a relative URI template starting with '/' that has a dns variable, e.g. /dns-query{?dns} (RFC 9461)",
                ))
            }
        }
    }
}

/// A value given as wire octets (`keyNNNNN=` or a key in another case): BIND checks it
/// against the key's wire format.
fn check_wire(key: u16, wire: &[u8], mandatory: &mut Vec<u16>) -> Result<(), String> {
    let ok = match key {
        MANDATORY => {
            let ok = !wire.is_empty()
                && wire.len().is_multiple_of(2)
                && wire
                    .chunks(2)
                    .zip(wire.chunks(2).skip(1))
                    .all(|(a, b)| a < b);
            if ok {
                mandatory.clear();
                mandatory.extend(wire.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])));
            }
            ok
        }
        ALPN => {
            let mut rest = wire;
            let mut ok = !rest.is_empty();
            while let Some((&len, tail)) = rest.split_first() {
                let len = usize::from(len);
                if len == 0 || len > tail.len() {
                    ok = false;
                    break;
                }
                rest = &tail[len..];
            }
            ok
        }
        NO_DEFAULT_ALPN => wire.is_empty(),
        PORT => wire.len() == 2,
        IPV4HINT => !wire.is_empty() && wire.len().is_multiple_of(4),
        IPV6HINT => !wire.is_empty() && wire.len().is_multiple_of(16),
        DOHPATH => dohpath(wire),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "FORMERR: {} octets are not a valid wire-format {} value (write it as {}=...)",
            wire.len(),
            key_name(key),
            key_name(key)
        ))
    }
}

/// After all SvcParams, sorted by key: what BIND's `svcsortkeys` refuses.
fn check_keys(
    input: &Input<'_>,
    params: &[Param],
    mandatory: &[u16],
    mandatory_token: Option<Token>,
) -> Result<(), SyntaxError> {
    // `params` is sorted by key.
    let has = |key: u16| params.binary_search_by_key(&key, |p| p.key).is_ok();
    let last = params.last().map(|p| p.key);
    if let Some(token) = mandatory_token {
        if params.len() == 1 {
            return Err(input.error(
                token,
                "disallowed: mandatory is the only SvcParam, the keys it lists are missing".into(),
            ));
        }
        if mandatory.first() == Some(&MANDATORY) {
            return Err(input.error(
                token,
                "disallowed: mandatory must not list mandatory itself (RFC 9460 §8)".into(),
            ));
        }
        if let Some(&missing) = mandatory.iter().find(|&&k| !has(k)) {
            return Err(input.error(
                token,
                format!(
                    "inconsistent resource record: mandatory lists {}, which the record does not have",
                    key_name(missing)
                ),
            ));
        }
    }
    if let Some(p) = params.iter().find(|p| p.key == NO_DEFAULT_ALPN) {
        // BIND skips the check when no-default-alpn is the last key and ends the mandatory
        // list.
        let exempt = last == Some(NO_DEFAULT_ALPN) && mandatory.last() == Some(&NO_DEFAULT_ALPN);
        if !has(ALPN) && !exempt {
            return Err(input.error(
                p.token,
                "disallowed: no-default-alpn without alpn (RFC 9460 §7.1.1)".into(),
            ));
        }
    }
    Ok(())
}

/// The ids of an `alpn` value: split at unescaped commas after `\` unescaping, where `\\,`
/// is a comma inside an id (two levels of escapes, as BIND reads them).
fn alpn_ids(value: &[u8]) -> Option<()> {
    let mut len = 0usize;
    let mut comma_escape = false;
    let mut i = 0;
    while i < value.len() {
        let c = if value[i] == b'\\' {
            let (octet, used) = unescape_at(value, i)?;
            i += used;
            octet
        } else {
            i += 1;
            value[i - 1]
        };
        if !comma_escape && c == b',' {
            if len == 0 || i == value.len() {
                return None;
            }
            len = 0;
            continue;
        }
        if !comma_escape && c == b'\\' {
            comma_escape = true;
            continue;
        }
        comma_escape = false;
        len += 1;
        if len > 255 {
            return None;
        }
    }
    (len > 0 && !comma_escape).then_some(())
}

/// Unescapes `\X` and `\DDD` into `out`; `None` on a bad escape.
fn unescape_into(value: &str, out: &mut Vec<u8>) -> Option<()> {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let (octet, used) = unescape_at(bytes, i)?;
            out.push(octet);
            i += used;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(())
}

/// A `dohpath` value (RFC 9461 §5): valid UTF-8 starting with `/`, an RFC 6570 URI
/// template whose expressions are well formed, with a variable named `dns`.
fn dohpath(path: &[u8]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Path,
        Variable,
        Percent(bool, u8),
        Prefix,
        Explode,
    }
    if path.first() != Some(&b'/') || !bind_utf8(path) {
        return false;
    }
    let mut state = State::Path;
    let mut dns = false;
    let mut had_operator = false;
    // Start of the current variable name, and of a prefix length.
    let mut name_start = 0;
    let mut prefix_start = 0;
    for (i, &c) in path.iter().enumerate() {
        let p = i + 1;
        state = match state {
            State::Path => match c {
                b'{' => {
                    had_operator = false;
                    name_start = p;
                    State::Variable
                }
                b'%' => State::Percent(false, 1),
                _ => State::Path,
            },
            State::Variable => match c {
                b'+' | b'#' | b'.' | b'/' | b';' | b'?' | b'&' => {
                    if p != name_start + 1 || had_operator {
                        return false;
                    }
                    had_operator = true;
                    name_start = p;
                    State::Variable
                }
                b'=' | b'!' | b'@' | b'|' => return false,
                b'*' | b':' | b'}' | b',' => {
                    if p == name_start + 1 {
                        return false;
                    }
                    if p - name_start == 4 && &path[name_start..name_start + 3] == b"dns" {
                        dns = true;
                    }
                    match c {
                        b':' => {
                            prefix_start = p;
                            State::Prefix
                        }
                        b'}' => State::Path,
                        b'*' => State::Explode,
                        _ => {
                            had_operator = false;
                            name_start = p;
                            State::Variable
                        }
                    }
                }
                b'%' => State::Percent(true, 1),
                _ if c == b'_' || c.is_ascii_alphanumeric() => State::Variable,
                _ => return false,
            },
            State::Explode => match c {
                b',' => {
                    had_operator = false;
                    name_start = p;
                    State::Variable
                }
                b'}' => State::Path,
                _ => return false,
            },
            State::Percent(in_variable, n) => {
                if !c.is_ascii_hexdigit() {
                    return false;
                }
                match (in_variable, n) {
                    (_, 1) => State::Percent(in_variable, 2),
                    (false, _) => State::Path,
                    (true, _) => State::Variable,
                }
            }
            State::Prefix => {
                if c.is_ascii_digit() {
                    State::Prefix
                } else {
                    // A length of 1 to 9999, no leading zero.
                    if p == prefix_start + 1 || p - prefix_start > 5 || path[prefix_start] == b'0' {
                        return false;
                    }
                    match c {
                        b',' => {
                            had_operator = false;
                            State::Variable
                        }
                        b'}' => State::Path,
                        _ => return false,
                    }
                }
            }
        };
    }
    state == State::Path && dns
}

/// UTF-8 as BIND's `isc_utf8_valid` checks it (overlong forms refused, surrogates not).
fn bind_utf8(bytes: &[u8]) -> bool {
    let cont = |b: Option<&u8>| b.is_some_and(|&b| b & 0xc0 == 0x80);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, min, bits) = match b {
            0..=0x7f => {
                i += 1;
                continue;
            }
            _ if b & 0xe0 == 0xc0 => (2, 0x80, u32::from(b & 0x1f)),
            _ if b & 0xf0 == 0xe0 => (3, 0x800, u32::from(b & 0x0f)),
            _ if b & 0xf8 == 0xf0 => (4, 0x10000, u32::from(b & 0x07)),
            _ => return false,
        };
        if !(1..len).all(|k| cont(bytes.get(i + k))) {
            return false;
        }
        let w = (1..len).fold(bits, |w, k| w << 6 | u32::from(bytes[i + k] & 0x3f));
        if w < min || w > 0x10_ffff {
            return false;
        }
        i += len;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpn_escapes_follow_bind() {
        assert!(alpn_ids(b"h2,h3").is_some());
        assert!(alpn_ids(b"h2\\,h3").is_some());
        assert!(alpn_ids(b"h2\\\\,h3").is_some());
        assert!(alpn_ids(b",h2").is_none());
        assert!(alpn_ids(b"h2,").is_none());
        assert!(alpn_ids(b"h2,,h3").is_none());
        assert!(alpn_ids(b"h\\2").is_none());
        assert!(alpn_ids(b"").is_none());
        assert!(alpn_ids("a".repeat(256).as_bytes()).is_none());
    }

    #[test]
    fn dohpath_templates() {
        assert!(dohpath(b"/dns-query{?dns}"));
        assert!(dohpath(b"/q{dns}"));
        assert!(dohpath(b"/q{?dns,x}"));
        assert!(dohpath(b"/q{?dns:5}"));
        assert!(!dohpath(b"/q{?dns:05}"));
        assert!(!dohpath(b"q{?dns}"));
        assert!(!dohpath(b"/q"));
        assert!(!dohpath(b"/q%4{?dns}"));
        assert!(!dohpath(b"/q{?dns"));
        assert!(!dohpath(b"/q{??dns}"));
    }

    #[test]
    fn keys() {
        assert_eq!(key_number("ALPN"), Ok(ALPN));
        assert_eq!(key_number("key0"), Ok(0));
        assert_eq!(key_number("key65535"), Ok(65535));
        assert!(key_number("key01").is_err());
        assert!(key_number("key65536").is_err());
        assert!(key_number("KEY3").is_err());
        assert!(key_number("key").is_err());
    }
}
