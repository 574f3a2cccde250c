//! What Odoo 16–18 make of a value read from odoo.conf. This models Odoo; it does not judge.
//!
//! `configmanager.load()` turns exactly `True`/`true` and `False`/`false` into booleans and
//! keeps every other value as a string. `_parse_config()` then casts the strings of `int`,
//! `float` and `choice` options with optparse's `TYPE_CHECKER` (`Lib/optparse.py`:
//! `_parse_num`, `check_builtin`, `check_choice`). Flags (`store_true`/`store_false`) are not
//! cast, so `proxy_mode = 0` is the truthy string `"0"`. Path options go through
//! `os.path.expandvars` (`Lib/posixpath.py`) in `_normalize()`; nothing else is expanded.

use super::options::{OptionKind, OptionSpec};
use super::python;
use std::ops::Range;

/// A value after `configmanager.load()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded<'a> {
    Bool(bool),
    Str(&'a str),
}

/// `configmanager.load()`: only the exact strings `True`, `true`, `False` and `false` become
/// booleans, in `[options]` and in every other section.
pub fn load(value: &str) -> Loaded<'_> {
    match value {
        "True" | "true" => Loaded::Bool(true),
        "False" | "false" => Loaded::Bool(false),
        other => Loaded::Str(other),
    }
}

/// What an option's value is once Odoo has read and cast it.
#[derive(Clone, Debug, PartialEq)]
pub enum Interpreted<'a> {
    /// `True`/`true`/`False`/`false`, whatever the option's type.
    Bool(bool),
    /// An `int` option's value.
    Int(i128),
    /// An `int` option's value that Python accepts but that does not fit in 128 bits.
    HugeInt,
    Float(f64),
    /// A `choice` option's value, one of its choices.
    Choice(&'a str),
    /// Kept as a string: flags, text, paths, lists, and file-only options.
    Str(&'a str),
    /// optparse refuses the value: Odoo stops at start-up with this message
    /// (`optparse.OptionValueError`).
    Invalid {
        message: String,
    },
}

impl Interpreted<'_> {
    /// Python's truth value of the result; `None` when Odoo does not start.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Interpreted::Bool(b) => Some(*b),
            Interpreted::Int(n) => Some(*n != 0),
            Interpreted::HugeInt => Some(true),
            Interpreted::Float(f) => Some(*f != 0.0),
            Interpreted::Choice(s) | Interpreted::Str(s) => Some(!s.is_empty()),
            Interpreted::Invalid { .. } => None,
        }
    }
}

/// Interprets a value from `[options]` as the version of `spec` does.
pub fn interpret<'a>(spec: &OptionSpec, value: &'a str) -> Interpreted<'a> {
    if spec.typed_loader {
        return interpret_typed(spec, value);
    }
    let text = match load(value) {
        Loaded::Bool(b) => return Interpreted::Bool(b),
        Loaded::Str(text) => text,
    };
    if !spec.casts_file_value() {
        return Interpreted::Str(text);
    }
    match spec.kind {
        OptionKind::Int => match optparse_int(text) {
            Some(PyInt::Small(n)) => Interpreted::Int(n),
            Some(PyInt::Huge) => Interpreted::HugeInt,
            None => Interpreted::Invalid {
                message: format!(
                    "option {}: invalid integer value: {}",
                    spec.name,
                    python::repr(text)
                ),
            },
        },
        OptionKind::Float => match python_float(text) {
            Some(f) => Interpreted::Float(f),
            None => Interpreted::Invalid {
                message: format!(
                    "option {}: invalid floating-point value: {}",
                    spec.name,
                    python::repr(text)
                ),
            },
        },
        OptionKind::Choice(choices) => {
            if choices.contains(&text) {
                Interpreted::Choice(text)
            } else {
                let listed: Vec<String> = choices.iter().map(|c| python::repr(c)).collect();
                Interpreted::Invalid {
                    message: format!(
                        "option {}: invalid choice: {} (choose from {})",
                        spec.name,
                        python::repr(text),
                        listed.join(", ")
                    ),
                }
            }
        }
        _ => Interpreted::Str(text),
    }
}

/// A boolean as 19.0's `_check_bool` reads it: `1`, `yes`, `true`, `on` and their
/// opposites, in any case.
pub fn check_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Some(true),
        "0" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// 19.0's `_load_file_options()`: `'False'`/`'false'` on an option that is not a bool is
/// skipped with a warning (the default stays), `'None'` is None, and every other value goes
/// through `parse()`: `_check_bool` for bools (`1/yes/true/on`, `0/no/false/off`, any case),
/// `int()`, `float()` or `check_choice` by type. A refused value raises: Odoo does not start.
fn interpret_typed<'a>(spec: &OptionSpec, value: &'a str) -> Interpreted<'a> {
    let flag = spec.kind == OptionKind::Flag;
    if !flag && (value == "False" || value == "false") {
        return Interpreted::Bool(false);
    }
    if value == "None" {
        return Interpreted::Str("");
    }
    match spec.kind {
        OptionKind::Flag => match check_bool(value) {
            Some(b) => Interpreted::Bool(b),
            None => Interpreted::Invalid {
                message: format!(
                    "option {}: invalid boolean value: {}",
                    spec.name,
                    python::repr(value)
                ),
            },
        },
        OptionKind::Int => match python_int(value, 10) {
            Some(PyInt::Small(n)) => Interpreted::Int(n),
            Some(PyInt::Huge) => Interpreted::HugeInt,
            None => Interpreted::Invalid {
                message: format!(
                    "invalid literal for int() with base 10: {} (option {})",
                    python::repr(value),
                    spec.name
                ),
            },
        },
        OptionKind::Float => match python_float(value) {
            Some(f) => Interpreted::Float(f),
            None => Interpreted::Invalid {
                message: format!(
                    "could not convert string to float: {} (option {})",
                    python::repr(value),
                    spec.name
                ),
            },
        },
        OptionKind::Choice(choices) if !choices.contains(&value) => {
            let listed: Vec<String> = choices.iter().map(|c| python::repr(c)).collect();
            Interpreted::Invalid {
                message: format!(
                    "option {}: invalid choice: {} (choose from {})",
                    spec.name,
                    python::repr(value),
                    listed.join(", ")
                ),
            }
        }
        OptionKind::Choice(_) => Interpreted::Choice(value),
        _ => Interpreted::Str(value),
    }
}

/// A Python `int`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyInt {
    Small(i128),
    /// Valid, but beyond `i128`.
    Huge,
}

/// optparse's `_parse_int`: `0x…` is hexadecimal, `0b…` binary, any other leading `0`
/// **octal** (so `010` is 8, `08` is invalid and `0o17` is 15), else decimal; then Python's
/// `int(text, radix)`, which allows a sign, surrounding white space, `_` between digits and
/// any Unicode decimal digit. `None` where optparse raises.
pub fn optparse_int(text: &str) -> Option<PyInt> {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next().map(|c| c.to_ascii_lowercase());
    match (first, second) {
        (Some('0'), Some('x')) => python_int(text, 16),
        (Some('0'), Some('b')) => {
            let rest = text.get(2..).filter(|r| !r.is_empty()).unwrap_or("0");
            python_int(rest, 2)
        }
        (Some('0'), _) => python_int(text, 8),
        _ => python_int(text, 10),
    }
}

/// Python's `int(text, base)` for base 2, 8, 10 or 16.
pub fn python_int(text: &str, base: u32) -> Option<PyInt> {
    let ascii = python::ascii_number_text(text)?;
    let s = ascii.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let prefix = match base {
        16 => "0x",
        8 => "0o",
        2 => "0b",
        _ => "",
    };
    let (digits, after_prefix) = match s.get(..2) {
        Some(p) if !prefix.is_empty() && p.eq_ignore_ascii_case(prefix) => (s.get(2..)?, true),
        _ => (s, false),
    };
    // After a base prefix one `_` may come first ("0x_1f"); elsewhere `_` only separates
    // digits.
    let digits = match digits.strip_prefix('_') {
        Some(rest) if after_prefix => rest,
        _ => digits,
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let mut value: Option<i128> = Some(0);
    for c in digits.chars().filter(|&c| c != '_') {
        let digit = c.to_digit(base)?;
        value = value
            .and_then(|v| v.checked_mul(i128::from(base)))
            .and_then(|v| v.checked_add(i128::from(digit)));
    }
    Some(match value {
        Some(v) if negative => PyInt::Small(-v),
        Some(v) => PyInt::Small(v),
        None => PyInt::Huge,
    })
}

/// Python's `float(text)`. `None` where Python raises `ValueError`.
pub fn python_float(text: &str) -> Option<f64> {
    let ascii = python::ascii_number_text(text)?;
    let s = ascii.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let after = bytes.get(i + 1);
            if !before.is_some_and(u8::is_ascii_digit) || !after.is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    // Rust accepts the same decimal, `inf`, `infinity` and `nan` spellings as Python.
    plain.parse::<f64>().ok()
}

/// A `$NAME` or `${NAME}` reference, as `os.path.expandvars` finds them
/// (`\$(\w+|\{[^}]*\})`, ASCII `\w`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvReference<'a> {
    /// The variable name, without `$`, `{` or `}`.
    pub name: &'a str,
    /// Byte range of the whole reference in the value.
    pub range: Range<usize>,
    pub braced: bool,
}

/// Every `$NAME`/`${NAME}` in a value. Odoo 16–18 expand them only in path options
/// ([`OptionKind::expands_env`]), and only for variables that are set; elsewhere the text is
/// taken literally.
pub fn env_references(value: &str) -> Vec<EnvReference<'_>> {
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'$'))
    {
        let dollar = i + offset;
        let after = dollar + 1;
        let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
        if bytes.get(after) == Some(&b'{') {
            if let Some(close) = bytes
                .get(after..)
                .and_then(|r| r.iter().position(|&b| b == b'}'))
            {
                let end = after + close + 1;
                found.push(EnvReference {
                    name: value.get(after + 1..end - 1).unwrap_or(""),
                    range: dollar..end,
                    braced: true,
                });
                i = end;
                continue;
            }
        } else {
            let len = bytes
                .get(after..)
                .map_or(0, |r| r.iter().take_while(|b| is_word(b)).count());
            if len > 0 {
                let end = after + len;
                found.push(EnvReference {
                    name: value.get(after..end).unwrap_or(""),
                    range: dollar..end,
                    braced: false,
                });
                i = end;
                continue;
            }
        }
        i = after;
    }
    found
}

/// The items of a comma list as Odoo splits them (`value.split(',')`, each stripped), with
/// their byte ranges in the value. Empty items are kept, as Python keeps them.
pub fn comma_items(value: &str) -> Vec<(Range<usize>, &str)> {
    let mut items = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let (s, e) = python::strip_range(piece);
        items.push((start + s..start + e, piece.get(s..e).unwrap_or("")));
        start += piece.len() + 1;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optparse_reads_leading_zeros_as_octal() {
        assert_eq!(optparse_int("8069"), Some(PyInt::Small(8069)));
        assert_eq!(optparse_int("010"), Some(PyInt::Small(8)));
        assert_eq!(optparse_int("0"), Some(PyInt::Small(0)));
        assert_eq!(optparse_int("08"), None);
        assert_eq!(optparse_int("0o17"), Some(PyInt::Small(15)));
        assert_eq!(optparse_int("0x1F"), Some(PyInt::Small(31)));
        assert_eq!(optparse_int("0X_1f"), Some(PyInt::Small(31)));
        assert_eq!(optparse_int("0b101"), Some(PyInt::Small(5)));
        assert_eq!(optparse_int("0b"), Some(PyInt::Small(0)));
        assert_eq!(optparse_int("0x"), None);
        assert_eq!(optparse_int("-5"), Some(PyInt::Small(-5)));
        assert_eq!(optparse_int("-0x5"), None);
        assert_eq!(optparse_int("1_000"), Some(PyInt::Small(1000)));
        assert_eq!(optparse_int("1__000"), None);
        assert_eq!(optparse_int("_1"), None);
        assert_eq!(optparse_int("\u{664}"), Some(PyInt::Small(4)));
        assert_eq!(optparse_int("4 ; note"), None);
        assert_eq!(optparse_int(""), None);
        assert_eq!(
            optparse_int("99999999999999999999999999999999999999999"),
            Some(PyInt::Huge)
        );
    }

    #[test]
    fn floats_follow_python() {
        assert_eq!(python_float("1.5"), Some(1.5));
        assert_eq!(python_float(" .5 "), Some(0.5));
        assert_eq!(python_float("1_0.2_5"), Some(10.25));
        assert_eq!(python_float("1_.0"), None);
        assert_eq!(python_float("1e3"), Some(1000.0));
        assert!(python_float("-inf").is_some_and(|f| f.is_infinite()));
        assert!(python_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(python_float("one"), None);
        assert_eq!(python_float(""), None);
    }

    #[test]
    fn references_are_found_as_expandvars_finds_them() {
        let refs = env_references("${HOME}/x/$USER-$1 ${} $ ${UNCLOSED");
        let names: Vec<_> = refs.iter().map(|r| (r.name, r.braced)).collect();
        assert_eq!(
            names,
            [("HOME", true), ("USER", false), ("1", false), ("", true)]
        );
        assert_eq!(refs.first().map(|r| r.range.clone()), Some(0..7));
    }

    #[test]
    fn comma_items_keep_positions() {
        let items = comma_items(" a , b,,c ");
        let texts: Vec<_> = items.iter().map(|(_, t)| *t).collect();
        assert_eq!(texts, ["a", "b", "", "c"]);
        assert_eq!(items.first().map(|(r, _)| r.clone()), Some(1..2));
    }
}
