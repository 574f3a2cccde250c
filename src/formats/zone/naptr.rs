//! NAPTR (RFC 3403 §4.1) data as BIND 9.18's `named-checkzone` reads it: order,
//! preference, flags, services, a substitution expression and a replacement name. The
//! substitution expression (RFC 3402 §3.2) is `delim regexp delim replacement delim
//! [i]`; BIND checks the regexp as a POSIX extended regular expression with its own
//! validator (`isc_regex_validate`) and that every `\N` of the replacement names a group of
//! it, and ipai does the same.

use super::builder::Builder;
use super::rdata::Input;
use crate::formats::SyntaxError;

impl Builder {
    /// NAPTR (RFC 3403 §4.1).
    pub(super) fn naptr(&mut self, input: &mut Input<'_>) -> Result<(), SyntaxError> {
        input.u16("the order")?;
        input.u16("the preference")?;
        for what in ["the flags", "the services"] {
            let token = input.next(what)?;
            self.unescaped(input, token, 255, "NAPTR")?;
        }
        let token = input.next("the substitution expression")?;
        let data = self.unescaped(input, token, 255, "NAPTR")?;
        let start = data.start as usize;
        let bytes = self.data.get(start..start + data.len()).unwrap_or(&[]);
        if let Err(why) = substitution(bytes) {
            return Err(input.error(
                token,
                format!(
                    "syntax error: bad NAPTR substitution expression {}: {why}",
                    input.str(token.span)
                ),
            ));
        }
        self.rdata_name(input, "the replacement")?;
        Ok(())
    }
}

/// A substitution expression: empty, or `delim regexp delim replacement delim flags`.
fn substitution(b: &[u8]) -> Result<(), String> {
    let Some((&delim, rest)) = b.split_first() else {
        return Ok(());
    };
    if delim.is_ascii_digit() || matches!(delim, b'\\' | b'i' | 0) {
        return Err(format!(
            "'{}' cannot delimit it (not a digit, a backslash or 'i')",
            char::from(delim)
        ));
    }
    let mut regexp = Vec::new();
    let mut groups = None;
    let mut flags = false;
    let mut i = 0;
    while let Some(&c) = rest.get(i) {
        i += 1;
        if c == 0 {
            return Err("it holds a NUL octet".into());
        }
        if c == delim {
            if groups.is_none() {
                groups = Some(
                    regex_groups(&regexp)
                        .ok_or("the regular expression is not a valid POSIX extended one")?,
                );
            } else if !flags {
                flags = true;
            } else {
                return Err("more than three delimiters".into());
            }
            continue;
        }
        if flags {
            if c == b'i' {
                continue;
            }
            return Err(format!("unknown flag '{}' (only 'i')", char::from(c)));
        }
        match groups {
            None => {
                regexp.push(c);
                if c == b'\\' {
                    match rest.get(i) {
                        None | Some(0) => return Err("it ends in a lone backslash".into()),
                        Some(&next) => regexp.push(next),
                    }
                    i += 1;
                }
            }
            Some(groups) if c == b'\\' => {
                match rest.get(i) {
                    None | Some(0) => return Err("it ends in a lone backslash".into()),
                    Some(b'0') => return Err("\\0 is not a back-reference".into()),
                    Some(&d @ b'1'..=b'9') if usize::from(d - b'0') > groups => {
                        return Err(format!(
                            "\\{} names a group the regular expression does not have",
                            char::from(d)
                        ))
                    }
                    Some(_) => {}
                }
                i += 1;
            }
            Some(_) => {}
        }
    }
    if flags {
        Ok(())
    } else {
        Err("it needs three delimiters".into())
    }
}

/// Where BIND's validator is inside a bracket expression.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Outside,
    Bracket,
    Bound,
    Collating,
    Equivalence,
    Class,
}

/// The character classes a bracket expression may name.
const CLASSES: [&[u8]; 12] = [
    b"alnum", b"digit", b"punct", b"alpha", b"graph", b"space", b"blank", b"lower", b"upper",
    b"cntrl", b"print", b"xdigit",
];

/// The number of groups of a POSIX extended regular expression, or `None` when BIND 9.18's
/// `isc_regex_validate` refuses it: an empty expression, a repetition with nothing to
/// repeat or after another, a back-reference to a later group, a bound over 255 or
/// reversed, an open group, an unfinished bracket, an unknown class, a reversed range.
fn regex_groups(re: &[u8]) -> Option<usize> {
    if re.is_empty() {
        return None;
    }
    let at = |i: usize| re.get(i).copied().unwrap_or(0);
    let mut state = State::Outside;
    let (mut have_atom, mut was_multiple, mut empty_ok) = (false, false, false);
    let (mut open, mut groups) = (0usize, 0usize);
    // Bounds.
    let (mut seen_comma, mut seen_high, mut low, mut high) = (false, false, 0u32, 0u32);
    // Brackets.
    let (mut negated, mut seen_char, mut range, mut range_start) = (false, false, 0u8, 0u32);
    let (mut seen_element, mut class_from) = (false, 0usize);
    let mut i = 0;
    while i < re.len() {
        let c = re[i];
        match state {
            State::Outside => match c {
                b'\\' => {
                    i += 1;
                    match at(i) {
                        0 => return None,
                        d @ b'1'..=b'9' if usize::from(d - b'0') > groups => return None,
                        _ => {}
                    }
                    have_atom = true;
                    was_multiple = false;
                    i += 1;
                }
                b'[' => {
                    i += 1;
                    negated = false;
                    was_multiple = false;
                    seen_char = false;
                    state = State::Bracket;
                }
                b'{' if at(i + 1).is_ascii_digit() => {
                    if !have_atom || was_multiple {
                        return None;
                    }
                    (seen_comma, seen_high, low, high) = (false, false, 0, 0);
                    state = State::Bound;
                    i += 1;
                    have_atom = true;
                    was_multiple = true;
                }
                b'(' => {
                    have_atom = false;
                    was_multiple = false;
                    empty_ok = true;
                    open += 1;
                    groups += 1;
                    i += 1;
                }
                b')' => {
                    if open > 0 && !have_atom && !empty_ok {
                        return None;
                    }
                    have_atom = true;
                    was_multiple = false;
                    open = open.saturating_sub(1);
                    i += 1;
                }
                b'|' => {
                    if !have_atom {
                        return None;
                    }
                    have_atom = false;
                    empty_ok = false;
                    was_multiple = false;
                    i += 1;
                }
                b'^' | b'$' => {
                    have_atom = true;
                    was_multiple = true;
                    i += 1;
                }
                b'+' | b'*' | b'?' => {
                    if was_multiple || !have_atom {
                        return None;
                    }
                    have_atom = true;
                    was_multiple = true;
                    i += 1;
                }
                _ => {
                    have_atom = true;
                    was_multiple = false;
                    i += 1;
                }
            },
            State::Bound => {
                match c {
                    b'0'..=b'9' => {
                        let slot = if seen_comma {
                            seen_high = true;
                            &mut high
                        } else {
                            &mut low
                        };
                        *slot = *slot * 10 + u32::from(c - b'0');
                        if *slot > 255 {
                            return None;
                        }
                    }
                    b',' if !seen_comma => seen_comma = true,
                    b'}' => {
                        if seen_high && low > high {
                            return None;
                        }
                        seen_comma = false;
                        state = State::Outside;
                    }
                    _ => return None,
                }
                i += 1;
            }
            State::Bracket => {
                let inside = match c {
                    b'^' if !seen_char && !negated => {
                        negated = true;
                        i += 1;
                        false
                    }
                    b'-' if range != 2 && seen_char => {
                        if range == 1 {
                            return None;
                        }
                        range = 2;
                        i += 1;
                        false
                    }
                    b'[' => {
                        i += 1;
                        match at(i) {
                            b'.' => {
                                range = range.saturating_sub(1);
                                i += 1;
                                state = State::Collating;
                                seen_element = false;
                            }
                            b'=' | b':' if range == 2 => return None,
                            b'=' => {
                                i += 1;
                                state = State::Equivalence;
                                seen_element = false;
                            }
                            b':' => {
                                class_from = i;
                                i += 1;
                                state = State::Class;
                            }
                            _ => {}
                        }
                        seen_char = true;
                        false
                    }
                    b']' if seen_char => {
                        i += 1;
                        range = 0;
                        have_atom = true;
                        state = State::Outside;
                        false
                    }
                    b']' if i + 1 == re.len() => return None,
                    _ => true,
                };
                if inside {
                    seen_char = true;
                    if range == 2 && u32::from(c) < range_start {
                        return None;
                    }
                    range = range.saturating_sub(1);
                    range_start = u32::from(c);
                    i += 1;
                }
            }
            State::Collating => {
                if c == b'.' {
                    i += 1;
                    if at(i) == b']' {
                        if !seen_element {
                            return None;
                        }
                        i += 1;
                        state = State::Bracket;
                    } else {
                        range_start = if seen_element { 256 } else { u32::from(b'.') };
                        seen_element = true;
                    }
                } else {
                    range_start = if seen_element { 256 } else { u32::from(c) };
                    seen_element = true;
                    i += 1;
                }
            }
            State::Equivalence => {
                if c == b'=' {
                    i += 1;
                    if at(i) == b']' {
                        if !seen_element {
                            return None;
                        }
                        i += 1;
                        state = State::Bracket;
                    } else {
                        seen_element = true;
                    }
                } else {
                    seen_element = true;
                    i += 1;
                }
            }
            State::Class => {
                i += 1;
                if c == b':' && at(i) == b']' {
                    // The name between the colons.
                    let name = re.get(class_from + 1..i - 1).unwrap_or(&[]);
                    if !CLASSES.contains(&name) {
                        return None;
                    }
                    i += 1;
                    state = State::Bracket;
                }
            }
        }
    }
    (open == 0 && state == State::Outside && have_atom).then_some(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_expressions_as_bind_validates_them() {
        assert_eq!(regex_groups(b"^(.*)$"), Some(1));
        assert_eq!(regex_groups(b"^([a-z]+)(x|y)\\2$"), Some(2));
        assert_eq!(regex_groups(b"[[:digit:]]{1,3}"), Some(0));
        assert_eq!(regex_groups(b"[]a]"), Some(0));
        for bad in [
            &b""[..],
            b"*a",
            b"a**",
            b"(a",
            b"[a-",
            b"a{2,1}",
            b"a{256}",
            b"[[:nope:]]",
            b"[z-a]",
            b"\\1(a)",
            b"a|",
        ] {
            assert_eq!(regex_groups(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn substitution_expressions() {
        assert!(substitution(b"").is_ok());
        assert!(substitution(b"!^(.*)$!sip:\\1@example.net!i").is_ok());
        assert!(substitution(b"!^.*$!sip:\\1!").is_err());
        assert!(substitution(b"!^.*$!x!g").is_err());
        assert!(substitution(b"!^.*$!x").is_err());
        assert!(substitution(b"1^.*$1x1").is_err());
        assert!(substitution(b"!^.*$!x!!").is_err());
    }
}
