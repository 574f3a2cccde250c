//! nginx's tokenizer, following `ngx_conf_read_token()` in `src/core/ngx_conf_file.c`
//! (nginx 1.22), not crossplane's approximation of it.
//!
//! The rules, as nginx applies them:
//! - Space, tab, CR and LF separate words. `;` `{` end a word; `}` is special only where a
//!   word would start (`ok}` is one word).
//! - `#` starts a comment only where a word would start; it runs to the end of the line.
//! - `"` and `'` open a string only where a word would start (`right-"quote"` is one bare
//!   word). After the closing quote nginx needs a space, `;`, `{` or `)`: `"left"-quote` is
//!   `unexpected "-"`.
//! - A backslash makes the next byte part of the word, whatever it is. In the value,
//!   `\"` `\'` `\\` become the character, `\t` `\r` `\n` the control character, and any other
//!   backslash stays.
//! - `$` directly followed by `{` keeps the `{` in the word (`${name}`).
//! - A token longer than nginx's 4096-byte read buffer is `too long parameter`; the exact
//!   boundary depends on what follows the token, and this lexer reproduces it.
//!
//! The body of a `*_by_lua_block` is read by [`Lexer::lua_block`], after the lua-nginx-module's
//! own lexer (`ngx_http_lua_conf_read_lua_token()`): braces are counted outside Lua strings,
//! long brackets and comments.

use super::ast::{Quote, Word};
use super::small_str::SmallStr;
use crate::formats::SyntaxError;
use crate::source::Span;

/// nginx's `NGX_CONF_BUFFER`: no token may fill the whole read buffer.
pub const NGX_CONF_BUFFER: usize = 4096;

/// At most this many syntax errors are kept for one file; the rest are counted.
pub(crate) const MAX_ERRORS: usize = 100;

#[derive(Debug)]
pub(crate) enum Token {
    Word(Word),
    Semicolon(Span),
    OpenBrace(Span),
    CloseBrace(Span),
    Comment(Span),
    Eof(usize),
}

/// The body of a Lua block: the code between the braces, and the closing brace if found.
pub(crate) struct LuaBody {
    pub code: Span,
    pub close: Option<Span>,
}

const WS: u8 = 1;
/// Bytes that end the fast scan of a bare word: separators, `;`, `{`, `\` and `$`.
const STOP: u8 = 2;

const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    class[b' ' as usize] = WS | STOP;
    class[b'\t' as usize] = WS | STOP;
    class[b'\r' as usize] = WS | STOP;
    class[b'\n' as usize] = WS | STOP;
    class[b';' as usize] = STOP;
    class[b'{' as usize] = STOP;
    class[b'\\' as usize] = STOP;
    class[b'$' as usize] = STOP;
    class
};

fn is_ws(byte: u8) -> bool {
    CLASS[byte as usize] & WS != 0
}

pub(crate) struct Lexer<'s> {
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
    errors: Vec<SyntaxError>,
    dropped_errors: usize,
    /// A quoted string or a Lua block ran to the end of the file; the error is already
    /// reported, and the parser does not add its own end-of-file errors.
    pub unterminated_at_eof: bool,
}

impl<'s> Lexer<'s> {
    pub fn new(text: &'s str) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            errors: Vec::new(),
            dropped_errors: 0,
            unterminated_at_eof: false,
        }
    }

    pub fn text(&self) -> &'s str {
        self.text
    }

    pub fn error(&mut self, error: SyntaxError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.dropped_errors += 1;
        }
    }

    /// The errors in source order, with a last one saying how many were dropped.
    pub fn into_errors(self) -> Vec<SyntaxError> {
        let mut errors = self.errors;
        errors.sort_by_key(|error| error.span.start());
        if self.dropped_errors > 0 {
            let at = errors.last().map_or(0, |error| error.span.end());
            errors.push(SyntaxError::new(
                Span::at(at),
                format!(
                    "too many syntax errors, {} more not shown",
                    self.dropped_errors
                ),
            ));
        }
        errors
    }

    pub fn next_token(&mut self) -> Token {
        let bytes = self.bytes;
        let mut i = self.pos;
        loop {
            // Indentation comes in runs of spaces: skip them four at a time.
            while let Some(&[b' ', b' ', b' ', b' ']) = bytes.get(i..i + 4) {
                i += 4;
            }
            match bytes.get(i) {
                Some(&byte) if is_ws(byte) => i += 1,
                _ => break,
            }
        }
        let Some(&byte) = bytes.get(i) else {
            self.pos = bytes.len();
            return Token::Eof(bytes.len());
        };
        let one = Span::new(i, i + 1);
        match byte {
            b';' => {
                self.pos = i + 1;
                Token::Semicolon(one)
            }
            b'{' => {
                self.pos = i + 1;
                Token::OpenBrace(one)
            }
            b'}' => {
                self.pos = i + 1;
                Token::CloseBrace(one)
            }
            b'#' => self.comment(i),
            b'"' | b'\'' => Token::Word(self.quoted(i, byte)),
            _ => Token::Word(self.bare(i)),
        }
    }

    fn comment(&mut self, start: usize) -> Token {
        let bytes = self.bytes;
        let line_end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| start + p);
        // nginx keeps the comment's start as its token start until the newline is read.
        self.check_too_long(start, line_end, None, Span::new(start, line_end));
        let mut end = line_end;
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        self.pos = line_end;
        Token::Comment(Span::new(start, end))
    }

    fn bare(&mut self, start: usize) -> Word {
        let bytes = self.bytes;
        let len = bytes.len();
        let mut i = start;
        let mut variable = false;
        let mut escaped = false;
        loop {
            let from = i;
            while let Some(&[a, b, c, d]) = bytes.get(i..i + 4) {
                let class =
                    CLASS[a as usize] | CLASS[b as usize] | CLASS[c as usize] | CLASS[d as usize];
                if class & STOP != 0 {
                    break;
                }
                i += 4;
            }
            while i < len && CLASS[bytes[i] as usize] & STOP == 0 {
                i += 1;
            }
            if i > from {
                variable = false;
            }
            let Some(&byte) = bytes.get(i) else { break };
            if byte == b'{' && variable {
                i += 1;
                continue;
            }
            variable = false;
            match byte {
                b'\\' => {
                    escaped = true;
                    i = (i + 2).min(len);
                }
                b'$' => {
                    variable = true;
                    i += 1;
                }
                // A separator, `;` or `{`; only the first byte of a word can be one of
                // those when it is escaped, and that case took the branch above.
                _ if i > start => break,
                _ => i += 1,
            }
        }
        let end = i;
        // nginx moves its token start on the byte after a separator, or returns at `;`/`{`.
        let reset = match bytes.get(end) {
            Some(&byte) if is_ws(byte) => end + 1,
            _ => end,
        };
        self.check_too_long(start, reset, None, Span::new(start, end));
        self.pos = end;
        let value = self.value(start, end, escaped);
        Word {
            value,
            span: Span::new(start, end),
            quote: Quote::None,
            closed: true,
        }
    }

    fn quoted(&mut self, start: usize, quote_byte: u8) -> Word {
        let bytes = self.bytes;
        let len = bytes.len();
        let quote = if quote_byte == b'"' {
            Quote::Double
        } else {
            Quote::Single
        };
        let mut i = start + 1;
        let mut escaped = false;
        let close = loop {
            while i < len && bytes[i] != quote_byte && bytes[i] != b'\\' {
                i += 1;
            }
            match bytes.get(i) {
                None => break None,
                Some(b'\\') => {
                    escaped = true;
                    i = (i + 2).min(len);
                }
                Some(_) => break Some(i),
            }
        };
        let content_start = start + 1;
        let Some(close) = close else {
            let span = Span::new(start, len);
            let too_long = self.check_too_long(content_start, len, Some((len, quote_byte)), span);
            if !too_long {
                self.error(
                    SyntaxError::new(
                        Span::new(start, start + 1),
                        "unexpected end of file, expecting \";\" or \"}\"",
                    )
                    .with_help(format!(
                        "this {} opens a string that is never closed; add the closing {}",
                        quote_byte as char, quote_byte as char
                    )),
                );
            }
            self.unterminated_at_eof = true;
            self.pos = len;
            return Word {
                value: self.value(content_start, len, escaped),
                span,
                quote,
                closed: false,
            };
        };
        let after = close + 1;
        let reset = match bytes.get(after) {
            None => len,
            Some(&byte) if is_ws(byte) => after + 1,
            Some(_) => after,
        };
        self.check_too_long(
            content_start,
            reset,
            Some((close, quote_byte)),
            Span::new(start, after),
        );
        if let Some(&byte) = bytes.get(after) {
            // `}` is reported by the parser, which sees it as a `}` after unfinished arguments.
            if !is_ws(byte) && !matches!(byte, b';' | b'{' | b')' | b'}') {
                let found = self.text[after..].chars().next().unwrap_or('?');
                self.error(
                    SyntaxError::new(
                        Span::new(after, after + found.len_utf8()),
                        format!("unexpected \"{found}\""),
                    )
                    .with_help(format!(
                        "nginx needs a space after the closing {}; put the whole word in quotes",
                        quote_byte as char
                    )),
                );
            }
        }
        self.pos = after;
        let value = self.value(content_start, close, escaped);
        Word {
            value,
            span: Span::new(start, after),
            quote,
            closed: true,
        }
    }

    /// A word's value from its text at `start..end`, unescaped when the lexer saw a
    /// backslash in it.
    fn value(&self, start: usize, end: usize, escaped: bool) -> SmallStr {
        if escaped {
            unescape(&self.text[start..end])
        } else {
            SmallStr::from_slice_of(self.text, start, end)
        }
    }

    /// Reports nginx's `too long parameter` when the token that nginx starts at `token_start`
    /// is still being read (its start not yet moved on, which happens at `reset`) when 4096
    /// bytes have been consumed and the file has more. `close` is the closing quote, if the
    /// token is a string. Returns whether it reported.
    #[inline]
    fn check_too_long(
        &mut self,
        token_start: usize,
        reset: usize,
        close: Option<(usize, u8)>,
        span: Span,
    ) -> bool {
        let next = token_start + NGX_CONF_BUFFER;
        if next >= self.bytes.len() || next > reset {
            return false;
        }
        self.report_too_long(token_start, next, close, span);
        true
    }

    #[cold]
    fn report_too_long(
        &mut self,
        token_start: usize,
        next: usize,
        close: Option<(usize, u8)>,
        span: Span,
    ) {
        let message = match close {
            Some((close, quote)) if next <= close => format!(
                "too long parameter, probably missing terminating \"{}\" character",
                quote as char
            ),
            _ => {
                let mut end = (token_start + 10).min(self.text.len());
                while !self.text.is_char_boundary(end) {
                    end -= 1;
                }
                format!(
                    "too long parameter \"{}...\" started",
                    &self.text[token_start..end]
                )
            }
        };
        self.error(SyntaxError::new(span, message).with_help(
            "nginx reads a configuration through a 4096-byte buffer and rejects a word, string \
             or comment that does not fit in it",
        ));
    }

    /// Reads a Lua block body after its `{` at `open`, counting braces outside Lua strings,
    /// comments and long brackets, and returns the code and the closing brace.
    pub fn lua_block(&mut self, open: usize) -> LuaBody {
        let bytes = self.bytes;
        let len = bytes.len();
        let mut i = open + 1;
        let mut level = 1usize;
        let mut last_open = open;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'{' => {
                    level += 1;
                    last_open = i;
                    i += 1;
                }
                b'}' => {
                    level -= 1;
                    if level == 0 {
                        self.pos = i + 1;
                        return LuaBody {
                            code: Span::new(open + 1, i),
                            close: Some(Span::new(i, i + 1)),
                        };
                    }
                    i += 1;
                }
                b'"' | b'\'' => i = lua_short_string_end(bytes, i).unwrap_or(i + 1),
                b'-' if bytes.get(i + 1) == Some(&b'-') => match long_bracket(bytes, i + 2) {
                    Some((equals, body)) => match long_bracket_close(bytes, body, equals) {
                        Some(end) => i = end,
                        None => return self.unclosed_long_bracket(open, i, equals),
                    },
                    None => {
                        i = bytes[i..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(len, |p| i + p);
                    }
                },
                b'[' => match long_bracket(bytes, i) {
                    Some((equals, body)) => match long_bracket_close(bytes, body, equals) {
                        Some(end) => i = end,
                        None => return self.unclosed_long_bracket(open, i, equals),
                    },
                    None => i += 1,
                },
                _ => i += 1,
            }
        }
        self.error(
            SyntaxError::new(
                Span::new(last_open, last_open + 1),
                "unexpected end of file, expecting terminating characters for lua code block",
            )
            .with_help("the Lua block has more `{` than `}`"),
        );
        self.unterminated_at_eof = true;
        self.pos = len;
        LuaBody {
            code: Span::new(open + 1, len),
            close: None,
        }
    }

    fn unclosed_long_bracket(&mut self, open: usize, at: usize, equals: usize) -> LuaBody {
        let closing = format!("]{}]", "=".repeat(equals));
        self.error(SyntaxError::new(
            Span::new(at, at + 2 + equals),
            format!("Lua code block missing the closing long bracket \"{closing}\""),
        ));
        self.unterminated_at_eof = true;
        self.pos = self.bytes.len();
        LuaBody {
            code: Span::new(open + 1, self.bytes.len()),
            close: None,
        }
    }
}

/// The end (after the closing quote) of a Lua short string starting at `start`, or `None` when
/// a raw newline or the end of the file comes first: then the quote is an ordinary byte.
fn lua_short_string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = bytes[start];
    let mut i = start + 1;
    loop {
        match *bytes.get(i)? {
            b'\\' => i += 2,
            b'\n' => return None,
            byte if byte == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// A Lua opening long bracket `[`, `=`*n, `[` at `at`: returns n and the index after it.
fn long_bracket(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let equals = bytes[at + 1..].iter().take_while(|&&b| b == b'=').count();
    (bytes.get(at + 1 + equals) == Some(&b'[')).then_some((equals, at + 2 + equals))
}

/// The index after the closing long bracket `]`, `=`*equals, `]` found from `from`.
fn long_bracket_close(bytes: &[u8], from: usize, equals: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b']' {
            let run = bytes[i + 1..].iter().take_while(|&&b| b == b'=').count();
            if run == equals && bytes.get(i + 1 + run) == Some(&b']') {
                return Some(i + 2 + run);
            }
            i += 1 + run;
        } else {
            i += 1;
        }
    }
    None
}

/// The value nginx builds from a word's bytes (the copy loop at the end of
/// `ngx_conf_read_token()`).
pub(crate) fn unescape(raw: &str) -> SmallStr {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'\\' {
            let replacement = match bytes.get(i + 1) {
                Some(&next @ (b'"' | b'\'' | b'\\')) => Some(next),
                Some(b't') => Some(b'\t'),
                Some(b'r') => Some(b'\r'),
                Some(b'n') => Some(b'\n'),
                _ => None,
            };
            if let Some(replacement) = replacement {
                out.push(replacement);
                i += 2;
                continue;
            }
        }
        out.push(byte);
        i += 1;
    }
    // Only ASCII bytes were removed or replaced, so the result is still UTF-8.
    match String::from_utf8(out) {
        Ok(value) => value.into(),
        Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            match lexer.next_token() {
                Token::Word(word) => out.push(format!("w:{}", word.value)),
                Token::Semicolon(_) => out.push(";".into()),
                Token::OpenBrace(_) => out.push("{".into()),
                Token::CloseBrace(_) => out.push("}".into()),
                Token::Comment(span) => out.push(format!("c:{}", &text[span.start()..span.end()])),
                Token::Eof(_) => return out,
            }
        }
    }

    #[test]
    fn words_end_at_separators_semicolon_and_open_brace_but_not_close_brace() {
        assert_eq!(
            tokens("return 200 ok};"),
            ["w:return", "w:200", "w:ok}", ";"]
        );
        assert_eq!(tokens("a{b"), ["w:a", "{", "w:b"]);
        assert_eq!(tokens("x#y # z\n;"), ["w:x#y", "c:# z", ";"]);
    }

    #[test]
    fn variable_brace_stays_in_the_word() {
        assert_eq!(
            tokens("set $a ${uri}x;"),
            ["w:set", "w:$a", "w:${uri}x", ";"]
        );
        assert_eq!(tokens("return $a{"), ["w:return", "w:$a", "{"]);
    }

    #[test]
    fn backslash_keeps_the_next_byte_in_the_word() {
        assert_eq!(tokens(r"a\ b\;c;"), [r"w:a\ b\;c", ";"]);
    }

    #[test]
    fn unescape_follows_nginx() {
        assert_eq!(
            &*unescape(r#"a\"b\'c\\d\te\rf\ng\x\$"#),
            "a\"b'c\\d\te\rf\ng\\x\\$"
        );
        assert_eq!(&*unescape(r"end\"), r"end\");
    }

    #[test]
    fn long_bracket_search_skips_shorter_runs() {
        let code = b"[==[ ]=] ]===] ]==] x";
        assert_eq!(long_bracket(code, 0), Some((2, 4)));
        assert_eq!(long_bracket_close(code, 4, 2), Some(19));
    }
}
