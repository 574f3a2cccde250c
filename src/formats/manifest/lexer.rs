//! Python tokens, as far as a literal needs them: strings with their prefixes and escapes,
//! numbers, names, brackets and punctuation; comments, blank space and line continuations
//! skipped.

use crate::formats::SyntaxError;
use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A string literal's value, escapes applied.
    Str(String),
    Bytes,
    Number(String),
    /// `+` or `-`.
    Sign(char),
    Name(String),
    Open(char),
    Close(char),
    Comma,
    Colon,
    /// Any other character: an operator, `.`, `=`, `*`.
    Other(char),
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub struct Lexer<'t> {
    text: &'t str,
    pos: usize,
    /// Where `text` starts in the file (after a byte-order mark).
    offset: usize,
}

impl<'t> Lexer<'t> {
    pub fn new(text: &'t str, offset: usize) -> Self {
        Lexer {
            text,
            pos: 0,
            offset,
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.offset + start, self.offset + end)
    }

    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn skip_blank(&mut self) {
        loop {
            let rest = self.rest();
            let Some(c) = rest.chars().next() else { return };
            if c == '#' {
                self.pos += rest.find('\n').unwrap_or(rest.len());
            } else if c.is_whitespace() || c == '\u{c}' {
                self.pos += c.len_utf8();
            } else if rest.starts_with("\\\n") {
                self.pos += 2;
            } else if rest.starts_with("\\\r\n") {
                self.pos += 3;
            } else {
                return;
            }
        }
    }

    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        self.skip_blank();
        let start = self.pos;
        let rest = self.rest();
        let Some(c) = rest.chars().next() else {
            return Ok(Token {
                kind: TokenKind::End,
                span: self.span(start, start),
            });
        };
        let word_len = rest
            .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let kind = if (c.is_alphabetic() || c == '_')
            && rest[word_len..].starts_with(['\'', '"'])
            && word.len() <= 2
            && word.chars().all(|p| "rRbBuUfF".contains(p))
        {
            return self.string(start, word);
        } else if c == '\'' || c == '"' {
            return self.string(start, "");
        } else if c.is_alphabetic() || c == '_' {
            self.pos += word_len;
            TokenKind::Name(word.to_string())
        } else if c.is_ascii_digit()
            || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            self.pos += number_len(rest);
            TokenKind::Number(self.text[start..self.pos].to_string())
        } else {
            self.pos += c.len_utf8();
            match c {
                '{' | '[' | '(' => TokenKind::Open(c),
                '}' | ']' | ')' => TokenKind::Close(c),
                ',' => TokenKind::Comma,
                ':' => TokenKind::Colon,
                '+' | '-' => TokenKind::Sign(c),
                _ => TokenKind::Other(c),
            }
        };
        Ok(Token {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// A string literal starting at `start` with `prefix` (`r`, `b`, `u`, `rb`, `f`…).
    fn string(&mut self, start: usize, prefix: &str) -> Result<Token, SyntaxError> {
        let lower = prefix.to_ascii_lowercase();
        self.pos += prefix.len();
        let rest = self.rest();
        let quote = &rest[..1];
        let triple = rest.starts_with(&quote.repeat(3));
        let delimiter = if triple {
            quote.repeat(3)
        } else {
            quote.to_string()
        };
        self.pos += delimiter.len();
        let body_start = self.pos;
        let raw = lower.contains('r');
        let bytes = self.text.as_bytes();
        let mut i = body_start;
        let body_end = loop {
            if i >= bytes.len() || (!triple && bytes[i] == b'\n') {
                return Err(SyntaxError::new(
                    self.span(start, i),
                    "this string is never closed: Odoo cannot read the manifest",
                ));
            }
            if bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            if bytes[i..].starts_with(delimiter.as_bytes()) {
                break i;
            }
            i += 1;
        };
        let body_end = body_end.min(bytes.len());
        self.pos = body_end + delimiter.len();
        let span = self.span(start, self.pos);
        if lower.contains('f') {
            return Err(SyntaxError::new(
                span,
                "an f-string is an expression, not a literal: Odoo reads a manifest with `ast.literal_eval`, which refuses it, so the module does not load",
            )
            .with_help("write a plain string"));
        }
        if lower.contains('b') {
            return Ok(Token {
                kind: TokenKind::Bytes,
                span,
            });
        }
        let body = &self.text[body_start..body_end];
        let value = if raw {
            body.to_string()
        } else {
            unescape(body)
        };
        Ok(Token {
            kind: TokenKind::Str(value),
            span,
        })
    }
}

/// The length of a number literal at the start of `text`: digits, `_`, `.`, letters of a
/// base prefix, exponent or imaginary suffix, and an exponent's sign.
fn number_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let exponent_sign = (b == b'+' || b == b'-')
            && i > 0
            && matches!(bytes[i - 1], b'e' | b'E')
            && !text[..i].starts_with("0x")
            && !text[..i].starts_with("0X");
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// A string body with Python's escapes applied; an unknown escape keeps its backslash.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, n: usize| {
            let digits: String = (0..n).filter_map(|_| chars.next()).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
        };
        match e {
            '\n' => {}
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' | '\'' | '"' => out.push(e),
            'x' => out.extend(hex(&mut chars, 2)),
            'u' => out.extend(hex(&mut chars, 4)),
            'U' => out.extend(hex(&mut chars, 8)),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(value));
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    out
}
