//! Parser for `.env` files as Docker Compose reads them.
//!
//! Sources: the Docker docs page "Set, use, and manage variables in a Compose file with
//! interpolation" (section ".env file syntax"), the Compose specification `05-services.md`
//! (`env_file`), and the reference implementation, compose-go `dotenv/parser.go` (v2), whose
//! behaviour this parser follows:
//!
//! - blank lines and lines starting with `#` are ignored (kept here as [`Comment`]s);
//! - a statement is `[export ]KEY=VALUE`; `:` works as well as `=` (`KEY: VALUE`); a key may
//!   hold letters, digits and `_ . - [ ]`; spaces around the key are ignored, inside it they are
//!   an error; `KEY` alone on a line takes its value from the environment (here: unset unless the
//!   lookup environment has it);
//! - an unquoted value runs to the end of the line, is cut at the first ` #` (an inline
//!   comment), right-trimmed, and interpolated with the variables defined earlier in the file
//!   and then the lookup environment;
//! - a single-quoted value is literal and may span lines;
//! - a double-quoted value may span lines, `\"` is a quote, `\n \r \t \a \b \f \v \\ \$` and
//!   `\0ooo` are escapes, and the result is interpolated;
//! - after a closing quote the rest of the line may hold a `#` comment.
//!
//! The parser never judges: it keeps every entry (duplicates included, in order), the spans of
//! keys and values, every comment (suppressions are written as comments), and collects syntax
//! errors while going on with the next line.

use crate::formats::compose::interpolation::{interpolate_layered, Environment, VarRef};
use crate::formats::compose::{excerpt, Comment};
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// A parsed `.env` file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DotEnv {
    /// Every statement, in file order; a key may appear more than once (the last one wins).
    pub entries: Vec<Entry>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

/// One `KEY=VALUE` (or bare `KEY`) statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    /// The whole statement, from `export` or the key to the end of the value.
    pub span: Span,
    pub exported: bool,
    /// `None` for a bare `KEY`, which Compose takes from the environment.
    pub value: Option<Value>,
}

/// How a value was quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
}

/// The value of an entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The value Compose uses: unquoted, unescaped and interpolated.
    pub text: String,
    /// The value as written, quotes included.
    pub span: Span,
    pub quote: Quote,
    /// Variable references in the value; their ranges are byte offsets in the file.
    pub refs: Vec<VarRef>,
}

impl DotEnv {
    /// The last entry for `key`, which is the one Compose keeps.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }

    /// The keys in file order, each once.
    pub fn keys(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .map(|e| e.key.as_str())
            .filter(|k| seen.insert(*k))
            .collect()
    }

    /// The variables this file defines, as interpolation sees them. Bare keys take their value
    /// from `lookup`; keys starting with a digit are ignored, as compose-go does.
    pub fn environment(&self, lookup: &Environment) -> Environment {
        let mut env = Environment::new();
        for entry in &self.entries {
            if entry.key.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            match &entry.value {
                Some(value) => env.set(entry.key.clone(), value.text.clone()),
                None => {
                    if let Some(v) = lookup.get(&entry.key) {
                        env.set(entry.key.clone(), v);
                    }
                }
            }
        }
        env
    }
}

/// Parses a `.env` file. `lookup` is the environment bare keys and `${VAR}` fall back to (the
/// shell, for `docker compose`; usually empty for a linter).
pub fn parse(file: &SourceFile, lookup: &Environment) -> DotEnv {
    let mut parser = Parser {
        text: &file.text,
        pos: 0,
        out: DotEnv::default(),
        defined: Environment::new(),
        lookup,
    };
    parser.run();
    parser.out
}

/// compose-go's `isSpace`: blanks that are not a line break.
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn is_key_char(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '[' | ']') || c.is_alphanumeric()
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    out: DotEnv,
    /// Variables defined so far, for interpolation of later values.
    defined: Environment,
    lookup: &'a Environment,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn line_end(&self, from: usize) -> usize {
        self.text
            .get(from..)
            .and_then(|t| t.find('\n'))
            .map_or(self.text.len(), |i| from + i)
    }

    fn skip_while(&mut self, f: impl Fn(char) -> bool) {
        let skipped: usize = self
            .rest()
            .chars()
            .take_while(|&c| f(c))
            .map(char::len_utf8)
            .sum();
        self.pos += skipped;
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.out.errors.push(SyntaxError::new(span, message));
    }

    /// Records `#...` at `self.pos` up to the end of the line.
    fn comment(&mut self) {
        let end = self.line_end(self.pos);
        let raw = self.text.get(self.pos..end).unwrap_or("");
        let raw = raw.trim_end_matches('\r');
        let span = Span::new(self.pos, self.pos + raw.len());
        self.out.comments.push(Comment {
            text: raw.get(1..).unwrap_or("").to_owned(),
            span,
        });
        self.pos = end;
    }

    fn run(&mut self) {
        loop {
            self.skip_while(char::is_whitespace);
            if self.pos >= self.text.len() {
                break;
            }
            if self.rest().starts_with('#') {
                self.comment();
                continue;
            }
            self.statement();
        }
    }

    fn statement(&mut self) {
        let start = self.pos;
        let mut exported = false;
        let rest = self.rest();
        if let Some(after) = rest.strip_prefix("export") {
            if after.starts_with([' ', '\t']) {
                exported = true;
                self.pos += "export".len();
                self.skip_while(is_space);
            }
        }
        let key_start = self.pos;
        let mut terminator = None;
        for (i, c) in self.rest().char_indices() {
            let at = key_start + i;
            match c {
                '=' | ':' | '\n' => {
                    terminator = Some((at, c));
                    break;
                }
                c if is_space(c) || is_key_char(c) => {}
                c => {
                    let span = Span::new(at, at + c.len_utf8());
                    // Quote only the name so far: the rest of the line may be a secret.
                    let name = excerpt(self.text.get(key_start..at).unwrap_or("").trim_end());
                    self.error(
                        span,
                        format!("unexpected character {c:?} in variable name after {name:?}"),
                    );
                    self.pos = self.line_end(key_start);
                    return;
                }
            }
        }
        let key_end = terminator.map_or(self.text.len(), |(at, _)| at);
        let raw_key = self.text.get(key_start..key_end).unwrap_or("");
        let key = raw_key.trim_end_matches(|c: char| c.is_whitespace());
        let key_span = Span::new(key_start, key_start + key.len());
        if key.contains(' ') {
            self.error(
                key_span,
                format!("variable name {:?} contains a space", excerpt(key)),
            );
            self.pos = self.line_end(key_start);
            return;
        }
        let key = key.to_owned();
        match terminator {
            None | Some((_, '\n')) => {
                // A bare `KEY`: Compose takes its value from the environment.
                self.pos = key_end;
                if key.is_empty() {
                    return;
                }
                self.push(Entry {
                    key,
                    key_span,
                    span: Span::new(start, key_span.end()),
                    exported,
                    value: None,
                });
            }
            Some((at, _)) => {
                if key.is_empty() {
                    self.error(
                        Span::new(at, at + 1),
                        "missing variable name before the separator",
                    );
                }
                self.pos = at + 1;
                self.skip_while(is_space);
                let Some(value) = self.value() else { return };
                let span = Span::new(start, value.span.end().max(key_span.end()));
                if key.is_empty() {
                    return;
                }
                self.push(Entry {
                    key,
                    key_span,
                    span,
                    exported,
                    value: Some(value),
                });
            }
        }
    }

    fn push(&mut self, entry: Entry) {
        match &entry.value {
            Some(v) => self.defined.set(entry.key.clone(), v.text.clone()),
            None => match self.lookup.get(&entry.key) {
                Some(v) => self.defined.set(entry.key.clone(), v),
                None => self.defined.remove(&entry.key),
            },
        }
        self.out.entries.push(entry);
    }

    fn value(&mut self) -> Option<Value> {
        let start = self.pos;
        match self.rest().chars().next() {
            Some(q @ ('"' | '\'')) => self.quoted(start, q),
            _ => Some(self.unquoted(start)),
        }
    }

    fn unquoted(&mut self, start: usize) -> Value {
        let end = self.line_end(start);
        let line = self.text.get(start..end).unwrap_or("");
        let (raw, comment_at) = match line.find(" #") {
            Some(i) => (&line[..i], Some(start + i + 1)),
            None => (line, None),
        };
        let raw = raw.trim_end_matches(|c: char| c.is_whitespace());
        let span = Span::new(start, start + raw.len());
        let value = self.interpolated(raw, Some(start), span, Quote::None);
        self.pos = end;
        if let Some(at) = comment_at {
            self.pos = at;
            self.comment();
        }
        value
    }

    fn quoted(&mut self, start: usize, quote: char) -> Option<Value> {
        let mut inner = String::new();
        let mut escaped = false;
        let mut close = None;
        for (i, c) in self.text.get(start + 1..).unwrap_or("").char_indices() {
            if escaped {
                escaped = false;
                if c != quote {
                    inner.push('\\');
                }
                inner.push(c);
                continue;
            }
            match c {
                '\\' => escaped = true,
                c if c == quote => {
                    close = Some(start + 1 + i);
                    break;
                }
                c => inner.push(c),
            }
        }
        let Some(close) = close else {
            let end = self.line_end(start);
            self.error(Span::new(start, end), "unterminated quoted value");
            self.pos = end;
            return None;
        };
        let span = Span::new(start, close + 1);
        let verbatim = self.text.get(start + 1..close) == Some(inner.as_str());
        let base = verbatim.then_some(start + 1);
        let value = if quote == '\'' {
            Value {
                text: inner,
                span,
                quote: Quote::Single,
                refs: Vec::new(),
            }
        } else {
            let expanded = expand_escapes(&inner);
            let base = if expanded == inner { base } else { None };
            self.interpolated(&expanded, base, span, Quote::Double)
        };
        self.pos = close + 1;
        self.skip_while(is_space);
        if self.rest().starts_with('#') {
            self.comment();
        }
        Some(value)
    }

    /// Interpolates `template`, which is the file text at `base` when `base` is known.
    fn interpolated(
        &mut self,
        template: &str,
        base: Option<usize>,
        span: Span,
        quote: Quote,
    ) -> Value {
        if !template.contains('$') {
            return Value {
                text: template.to_owned(),
                span,
                quote,
                refs: Vec::new(),
            };
        }
        let mut result = interpolate_layered(template, &self.defined, Some(self.lookup));
        result.relocate(base, span.start()..span.end());
        for e in &result.errors {
            self.out.errors.push(SyntaxError::new(
                Span::new(e.range.start, e.range.end),
                e.message.clone(),
            ));
        }
        let text = if result.errors.is_empty() {
            result.compose_value()
        } else {
            template.to_owned()
        };
        Value {
            text,
            span,
            quote,
            refs: result.refs,
        }
    }
}

/// The escapes compose-go expands in double-quoted values: `\a \b \f \n \r \t \v \\ \"`, `\$`
/// (kept for interpolation as `$$`), and `\0` followed by three octal digits. Any other
/// backslash is kept.
fn expand_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&(_, next)) = chars.peek() else {
            out.push('\\');
            break;
        };
        let simple = match next {
            'a' => Some("\u{7}"),
            'b' => Some("\u{8}"),
            'f' => Some("\u{c}"),
            'n' => Some("\n"),
            'r' => Some("\r"),
            't' => Some("\t"),
            'v' => Some("\u{b}"),
            '\\' => Some("\\"),
            '"' => Some("\""),
            '$' => Some("$$"),
            _ => None,
        };
        if let Some(rep) = simple {
            out.push_str(rep);
            chars.next();
            continue;
        }
        if next == '0' {
            let digits = s
                .get(i + 2..i + 5)
                .filter(|d| d.len() == 3 && d.bytes().all(|b| (b'0'..=b'7').contains(&b)));
            if let Some(ch) = digits.and_then(|d| u8::from_str_radix(d, 8).ok()) {
                out.push(char::from(ch));
                for _ in 0..4 {
                    chars.next();
                }
                continue;
            }
        }
        out.push('\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> DotEnv {
        parse(&SourceFile::from_text(".env", text), &Environment::new())
    }

    fn value_of<'a>(env: &'a DotEnv, key: &str) -> Option<&'a str> {
        env.get(key)
            .and_then(|e| e.value.as_ref())
            .map(|v| v.text.as_str())
    }

    #[test]
    fn escapes() {
        assert_eq!(expand_escapes(r"a\nb\tc\\d\$e\qf"), "a\nb\tc\\d$$e\\qf");
        assert_eq!(expand_escapes(r"\0123"), "S");
        assert_eq!(expand_escapes("x\\"), "x\\");
    }

    #[test]
    fn statements_values_and_comments() {
        let env = parse_str(
            "# stack\nexport A=1\nB = two words # note\nC='lit $A'\nD=\"x\\ny $A\"\nE: yaml\nF\nG=#nocomment\n",
        );
        assert!(env.errors.is_empty(), "{:?}", env.errors);
        assert_eq!(value_of(&env, "A"), Some("1"));
        assert!(env.get("A").is_some_and(|e| e.exported));
        assert_eq!(value_of(&env, "B"), Some("two words"));
        assert_eq!(value_of(&env, "C"), Some("lit $A"));
        assert_eq!(value_of(&env, "D"), Some("x\ny 1"));
        assert_eq!(value_of(&env, "E"), Some("yaml"));
        assert!(env.get("F").is_some_and(|e| e.value.is_none()));
        assert_eq!(value_of(&env, "G"), Some("#nocomment"));
        let texts: Vec<_> = env.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, [" stack", " note"]);
    }
}
