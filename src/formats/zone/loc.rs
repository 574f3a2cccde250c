//! LOC (RFC 1876 §3) data as BIND 9.18's `named-checkzone` reads it: latitude and
//! longitude as degrees with optional minutes and seconds (up to three decimals) and a
//! direction (`N`/`S`, `E`/`W`, upper case), an altitude in metres (`-100000.00` to
//! `42849672.95`, optional `m`, up to two decimals), then optional size, horizontal and
//! vertical precision (0 to 90000000 metres).

use super::fields::{self, NumberError};
use super::rdata::Input;
use crate::formats::SyntaxError;

/// Why BIND refuses a LOC field.
enum Bad {
    Syntax,
    Range,
}

/// LOC (RFC 1876 §3).
pub(super) fn loc(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    coordinate(input, "latitude", 90, ["N", "S"])?;
    coordinate(input, "longitude", 180, ["E", "W"])?;
    altitude(input)?;
    for what in ["size", "horizontal precision", "vertical precision"] {
        if input.peek().is_none() {
            break;
        }
        let token = input.plain(&format!("the {what}"))?;
        let text = input.str(token.span);
        if let Err(bad) = decimal(text, 90_000_000, 2, Some(b'm')) {
            return Err(input.error(token, message(bad, what, text, "0 to 90000000m")));
        }
    }
    Ok(())
}

/// `degrees [minutes [seconds]] direction`, degrees at most `max` and nothing past it.
fn coordinate(
    input: &mut Input<'_>,
    what: &str,
    max: u32,
    directions: [&str; 2],
) -> Result<(), SyntaxError> {
    let token = input.plain(&format!("the {what}'s degrees"))?;
    let text = input.str(token.span);
    let degrees = match fields::number(text, max) {
        Ok(v) => v,
        Err(NumberError::NotANumber) => {
            return Err(input.error(
                token,
                format!("'{text}' is not a valid number: expected the {what}'s degrees"),
            ))
        }
        Err(NumberError::OutOfRange) => {
            return Err(input.error(
                token,
                format!("out of range: the {what}'s degrees are at most {max}, not {text}"),
            ))
        }
    };
    let at_max = degrees == max;
    let is_direction = |text: &str| directions.contains(&text);
    // Minutes: a plain number, or the direction already.
    let token = input.plain(&format!("the {what}'s minutes or direction"))?;
    let text = input.str(token.span);
    if is_direction(text) {
        return Ok(());
    }
    match fields::number(text, 59) {
        Ok(0) => {}
        Ok(_) if at_max => {
            return Err(input.error(
                token,
                format!("out of range: a {what} of {max} degrees has no minutes, not {text}"),
            ))
        }
        Ok(_) => {}
        Err(NumberError::NotANumber) => {
            return Err(input.error(
                token,
                format!(
                    "'{text}' is not a valid number: expected the {what}'s minutes or {}",
                    directions.join(" or ")
                ),
            ))
        }
        Err(NumberError::OutOfRange) => {
            return Err(input.error(
                token,
                format!("out of range: the {what}'s minutes are at most 59, not {text}"),
            ))
        }
    }
    // Seconds, up to three decimals, or the direction.
    let token = input.plain(&format!("the {what}'s seconds or direction"))?;
    let text = input.str(token.span);
    if is_direction(text) {
        return Ok(());
    }
    match decimal(text, 59, 3, None) {
        Ok(0) => {}
        Ok(_) if at_max => {
            return Err(input.error(
                token,
                format!("out of range: a {what} of {max} degrees has no seconds, not {text}"),
            ))
        }
        Ok(_) => {}
        Err(bad) => {
            return Err(input.error(
                token,
                message(bad, &format!("{what}'s seconds"), text, "0 to 59.999"),
            ))
        }
    }
    let token = input.plain(&format!("the {what}'s direction"))?;
    let text = input.str(token.span);
    if is_direction(text) {
        Ok(())
    } else {
        Err(input.error(
            token,
            format!(
                "syntax error: the {what}'s direction is {}, not '{text}'",
                directions.join(" or ")
            ),
        ))
    }
}

/// The altitude: `[-]metres[.cm][m]`, from -100000.00 to 42849672.95 metres.
fn altitude(input: &mut Input<'_>) -> Result<(), SyntaxError> {
    let token = input.plain("the altitude")?;
    let text = input.str(token.span);
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let limit = if negative { 10_000_000 } else { 4_284_967_295 };
    match decimal(rest, 42_849_672, 2, Some(b'm')) {
        Ok(cm) if cm > limit => Err(Bad::Range),
        Ok(_) => Ok(()),
        Err(bad) => Err(bad),
    }
    .map_err(|bad| {
        input.error(
            token,
            message(bad, "altitude", text, "-100000.00m to 42849672.95m"),
        )
    })
}

fn message(bad: Bad, what: &str, text: &str, range: &str) -> String {
    match bad {
        Bad::Syntax => format!("syntax error: bad LOC {what} '{text}': expected {range}"),
        Bad::Range => format!("out of range: the LOC {what} is {range}, not {text}"),
    }
}

/// A decimal as BIND's LOC reader takes it: `strtoul`'s integer part (an optional sign,
/// digits; a minus makes any non-zero value huge) at most `max`, then `.` and up to
/// `precision` digits, then the optional `unit` letter. Returns the value in units of
/// 10^-precision.
fn decimal(text: &str, max: u64, precision: u32, unit: Option<u8>) -> Result<u64, Bad> {
    let b = text.as_bytes();
    let (negative, digits_from) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let digits = b[digits_from..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let (int, mut rest) = if digits == 0 {
        // No conversion: `strtoul` leaves the end at the start, sign included.
        (0u64, b)
    } else {
        let value = b[digits_from..digits_from + digits]
            .iter()
            .try_fold(0u64, |n, &d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .unwrap_or(u64::MAX);
        let value = if negative && value != 0 {
            u64::MAX
        } else {
            value
        };
        (value, &b[digits_from + digits..])
    };
    let is_unit = |c: Option<&u8>| c.is_some() && c.copied() == unit;
    if !(rest.is_empty() || rest[0] == b'.' || is_unit(rest.first())) {
        return Err(Bad::Syntax);
    }
    if int > max {
        return Err(Bad::Range);
    }
    let mut ok = digits > 0;
    let mut value = int;
    let mut taken = 0;
    if rest.first() == Some(&b'.') {
        rest = &rest[1..];
        while taken < precision {
            match rest.first() {
                None => break,
                Some(c) if is_unit(Some(c)) => break,
                Some(c) if c.is_ascii_digit() => {
                    value = value * 10 + u64::from(c - b'0');
                    rest = &rest[1..];
                    ok = true;
                    taken += 1;
                }
                Some(_) => return Err(Bad::Syntax),
            }
        }
    }
    value *= 10u64.pow(precision - taken);
    if is_unit(rest.first()) {
        rest = &rest[1..];
    }
    if !ok || !rest.is_empty() {
        return Err(Bad::Syntax);
    }
    Ok(value)
}
