//! The master-file lexer (RFC 1035 §5.1): splits the text into entries (one logical line
//! each, parentheses joining physical lines) made of tokens with byte spans.
//!
//! It follows BIND 9's lexer where RFC 1035 is silent:
//! - space and tab separate tokens; a line ends at LF or CR (so CRLF files read like LF
//!   files, and a lone CR ends a line as in BIND), except inside quotes and comments;
//! - `;` starts a comment up to the end of the line, except inside quotes;
//! - `(` and `)` separate tokens; inside parentheses a newline is whitespace; parentheses
//!   may nest; a `)` without `(` and a `(` still open at the end of the file are errors;
//! - `"` separates tokens even in the middle of a word (`a"b"c` is three tokens) and starts
//!   a quoted string, which may hold spaces, `;` and parentheses but not a line break;
//! - `\` escapes the next character in quoted and unquoted tokens; a `\` at the end of a
//!   line or file is an error.
//!
//! Tokens and comments are spans; no text is copied.

use crate::formats::SyntaxError;
use crate::source::Span;

/// One token of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// The token as written; for a quoted string, quotes included.
    pub span: Span,
    pub quoted: bool,
    /// Holds a backslash escape.
    pub escaped: bool,
}

impl Token {
    /// The span of the content: without quotes for a quoted string.
    pub fn content(&self) -> Span {
        if self.quoted && self.span.len() >= 2 {
            Span::new(self.span.start() + 1, self.span.end() - 1)
        } else {
            self.span
        }
    }
}

/// One entry: a record or a directive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    /// From the start of the line (blank owner) or the first token to the last token or `)`.
    pub span: Span,
    /// The line started with a space or tab: the owner is the previous one.
    pub blank_owner: bool,
    /// A lexical error was reported for this entry.
    pub error: bool,
    /// The entry ends at the end of the text, which has no final newline.
    pub at_eof_without_newline: bool,
}

const WS: u8 = 1;
const NL: u8 = 2;
const SEMI: u8 = 3;
const OPEN: u8 = 4;
const CLOSE: u8 = 5;
const QUOTE: u8 = 6;
const BACKSLASH: u8 = 7;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = WS;
    t[b'\t' as usize] = WS;
    t[b'\r' as usize] = NL;
    t[b'\n' as usize] = NL;
    t[b';' as usize] = SEMI;
    t[b'(' as usize] = OPEN;
    t[b')' as usize] = CLOSE;
    t[b'"' as usize] = QUOTE;
    t[b'\\' as usize] = BACKSLASH;
    t
};

pub(crate) struct Lexer<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Lexer {
            text: text.as_bytes(),
            pos: 0,
        }
    }

    /// Reads the next entry's tokens into `tokens` (cleared first). Comments go to
    /// `comments`, lexical errors to `errors`. `None` at the end of the text.
    pub fn next_entry(
        &mut self,
        tokens: &mut Vec<Token>,
        comments: &mut Vec<Span>,
        errors: &mut Vec<SyntaxError>,
    ) -> Option<Entry> {
        tokens.clear();
        let text = self.text;
        loop {
            if self.pos >= text.len() {
                return None;
            }
            let line_start = self.pos;
            let blank_owner = matches!(text[self.pos], b' ' | b'\t');
            let mut depth = 0usize;
            let mut first_open = 0usize;
            let mut error = false;
            let mut end = line_start;
            while self.pos < text.len() {
                let b = text[self.pos];
                match CLASS[b as usize] {
                    WS => self.pos += 1,
                    NL => {
                        self.pos += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    SEMI => {
                        let start = self.pos;
                        let mut stop = start;
                        while stop < text.len() && text[stop] != b'\n' {
                            stop += 1;
                        }
                        self.pos = stop;
                        let trimmed = if stop > start && text[stop - 1] == b'\r' {
                            stop - 1
                        } else {
                            stop
                        };
                        comments.push(Span::new(start, trimmed));
                    }
                    OPEN => {
                        if depth == 0 {
                            first_open = self.pos;
                        }
                        depth += 1;
                        self.pos += 1;
                        end = self.pos;
                    }
                    CLOSE => {
                        if depth == 0 {
                            errors.push(SyntaxError::new(
                                Span::new(self.pos, self.pos + 1),
                                "unbalanced parentheses: ')' without a matching '('",
                            ));
                            error = true;
                        } else {
                            depth -= 1;
                        }
                        self.pos += 1;
                        end = self.pos;
                    }
                    QUOTE => {
                        let start = self.pos;
                        let (stop, closed, escaped) = scan_quoted(text, start + 1);
                        if closed {
                            self.pos = stop + 1;
                        } else {
                            self.pos = stop;
                            let stop = if stop > start && text[stop - 1] == b'\r' {
                                stop - 1
                            } else {
                                stop
                            };
                            errors.push(
                                SyntaxError::new(
                                    Span::new(start, stop),
                                    "unbalanced quotes: the quoted string is not closed on this line",
                                )
                                .with_help("close the string with '\"'; a quoted string cannot span lines"),
                            );
                            error = true;
                        }
                        tokens.push(Token {
                            span: Span::new(start, self.pos),
                            quoted: true,
                            escaped,
                        });
                        end = self.pos;
                    }
                    _ => {
                        let start = self.pos;
                        let mut escaped = false;
                        while self.pos < text.len() {
                            let c = text[self.pos];
                            match CLASS[c as usize] {
                                0 => self.pos += 1,
                                BACKSLASH => {
                                    escaped = true;
                                    match text.get(self.pos + 1) {
                                        None | Some(b'\n' | b'\r') => {
                                            errors.push(SyntaxError::new(
                                                Span::new(self.pos, self.pos + 1),
                                                "backslash at the end of a line escapes nothing",
                                            ));
                                            error = true;
                                            self.pos += 1;
                                        }
                                        Some(_) => self.pos += 2,
                                    }
                                }
                                _ => break,
                            }
                        }
                        tokens.push(Token {
                            span: Span::new(start, self.pos),
                            quoted: false,
                            escaped,
                        });
                        end = self.pos;
                    }
                }
            }
            if depth > 0 {
                errors.push(
                    SyntaxError::new(
                        Span::new(first_open, first_open + 1),
                        "unbalanced parentheses: '(' is never closed",
                    )
                    .with_help("add the missing ')' at the end of the record"),
                );
                error = true;
            }
            if tokens.is_empty() && !error {
                continue;
            }
            let start = if blank_owner {
                line_start
            } else {
                tokens.first().map_or(line_start, |t| t.span.start())
            };
            return Some(Entry {
                span: Span::new(start, end.max(start)),
                blank_owner,
                error,
                at_eof_without_newline: self.pos >= text.len()
                    && !matches!(text.last(), Some(b'\n' | b'\r')),
            });
        }
    }
}

/// Scans a quoted string whose content starts at `from`. Returns the index of the closing
/// quote (or of the line break / end of text when unclosed), whether it was closed, and
/// whether the content holds an escape.
fn scan_quoted(text: &[u8], from: usize) -> (usize, bool, bool) {
    let mut i = from;
    let mut escaped = false;
    while i < text.len() {
        match text[i] {
            b'"' => return (i, true, escaped),
            b'\n' => return (i, false, escaped),
            b'\\' => {
                escaped = true;
                // An escaped line break does not continue the string (BIND: "unbalanced quotes").
                if text.get(i + 1) == Some(&b'\n') {
                    return (i + 1, false, escaped);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    (text.len(), false, escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Lexed = (Vec<(Vec<String>, bool)>, Vec<String>, Vec<String>);

    fn lex(text: &str) -> Lexed {
        let mut lexer = Lexer::new(text);
        let mut tokens = Vec::new();
        let mut comments = Vec::new();
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        while let Some(entry) = lexer.next_entry(&mut tokens, &mut comments, &mut errors) {
            let words = tokens
                .iter()
                .map(|t| text[t.span.start()..t.span.end()].to_owned())
                .collect();
            entries.push((words, entry.blank_owner));
        }
        let comments = comments
            .iter()
            .map(|s| text[s.start()..s.end()].to_owned())
            .collect();
        let errors = errors.into_iter().map(|e| e.message).collect();
        (entries, comments, errors)
    }

    #[test]
    fn parentheses_join_lines_and_comments_are_kept() {
        let (entries, comments, errors) = lex(
            "@ IN SOA ns1 host ( ; serial follows\r\n  2024010101 ; serial\n 1h 15m 2w 5m )\n  \n\twww A 1.2.3.4\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].0,
            [
                "@",
                "IN",
                "SOA",
                "ns1",
                "host",
                "2024010101",
                "1h",
                "15m",
                "2w",
                "5m"
            ]
        );
        assert!(!entries[0].1);
        assert_eq!(
            entries[1],
            (vec!["www".to_owned(), "A".into(), "1.2.3.4".into()], true)
        );
        assert_eq!(comments, ["; serial follows", "; serial"]);
    }

    #[test]
    fn quotes_split_words_and_keep_semicolons() {
        let (entries, comments, errors) = lex("t TXT \"v=DMARC1; p=none\" a\"b\"c \\\"x\n");
        assert!(errors.is_empty());
        assert!(comments.is_empty());
        assert_eq!(
            entries[0].0,
            [
                "t",
                "TXT",
                "\"v=DMARC1; p=none\"",
                "a",
                "\"b\"",
                "c",
                "\\\"x"
            ]
        );
    }

    #[test]
    fn unbalanced_quotes_and_parentheses_are_errors() {
        let (_, _, errors) = lex("a TXT \"abc\nb A 1.2.3.4 )\nc A ( 1.2.3.4\n");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("unbalanced quotes"));
        assert!(errors[1].starts_with("unbalanced parentheses: ')'"));
        assert!(errors[2].starts_with("unbalanced parentheses: '('"));
        let (_, _, errors) = lex("a TXT ab\\\ncd\n");
        assert_eq!(errors, ["backslash at the end of a line escapes nothing"]);
    }
}
