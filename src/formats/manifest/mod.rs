//! An Odoo module's `__manifest__.py` (or the legacy `__openerp__.py`): one Python literal,
//! a dict, read as Odoo reads it (`ast.literal_eval` in `odoo/modules/module.py`), with the
//! span of every value. Nothing is executed: what `literal_eval` refuses (a call, a name, an
//! f-string, an operator other than a number's sign) is a syntax error here too, and Odoo
//! does not load the module.

mod lexer;

use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};
use lexer::{Lexer, Token, TokenKind};

/// Containers nested deeper than this are refused rather than followed (a hostile file).
const MAX_DEPTH: usize = 100;

/// A Python literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Bytes,
    /// A number as written (`1`, `0x10`, `1.5e3`, `2j`), with its sign.
    Number(String),
    Bool(bool),
    None,
    List(Vec<Node>),
    Tuple(Vec<Node>),
    Set(Vec<Node>),
    Dict(Vec<(Node, Node)>),
}

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    /// The string, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list, tuple or set.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) | Value::Tuple(items) | Value::Set(items) => Some(items),
            _ => None,
        }
    }

    /// Python's truth value of the literal.
    pub fn truthy(&self) -> bool {
        match &self.value {
            Value::Str(s) => !s.is_empty(),
            Value::Bytes => true,
            Value::Number(n) => n
                .trim_start_matches(['-', '+'])
                .chars()
                .any(|c| c.is_ascii_digit() && c != '0'),
            Value::Bool(b) => *b,
            Value::None => false,
            Value::List(items) | Value::Tuple(items) | Value::Set(items) => !items.is_empty(),
            Value::Dict(pairs) => !pairs.is_empty(),
        }
    }
}

/// A parsed manifest: the dict, or the reason Odoo cannot read it.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    /// The top-level dict's entries, in file order; a repeated key's last entry wins, as in
    /// Python.
    pub entries: Vec<(Node, Node)>,
    pub errors: Vec<SyntaxError>,
}

impl Manifest {
    /// The value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// A top-level string value and its span.
    pub fn string(&self, key: &str) -> Option<(&str, Span)> {
        let node = self.get(key)?;
        Some((node.as_str()?, node.span))
    }

    /// The modules of `depends`, each with its span.
    pub fn depends(&self) -> Vec<(&str, Span)> {
        self.get("depends")
            .and_then(Node::items)
            .into_iter()
            .flatten()
            .filter_map(|n| Some((n.as_str()?, n.span)))
            .collect()
    }

    /// Whether Odoo may install the module (`installable`, True when absent), and where it
    /// says so.
    pub fn installable(&self) -> (bool, Option<Span>) {
        match self.get("installable") {
            Some(node) => (node.truthy(), Some(node.span)),
            None => (true, None),
        }
    }

    /// Whether the file parsed to a dict.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Parses a manifest file.
pub fn parse(source: &SourceFile) -> Manifest {
    // Odoo opens the manifest as UTF-8 (`file_open`, `encoding="utf-8"`), which keeps a
    // byte-order mark as U+FEFF, and `literal_eval` refuses that character.
    if source.encoding == crate::source::Encoding::Utf8WithBom {
        return Manifest {
            entries: Vec::new(),
            errors: vec![SyntaxError::new(
                Span::at(0),
                "the manifest starts with a byte-order mark: Odoo reads it as UTF-8 text and `ast.literal_eval` refuses U+FEFF, so the module does not load",
            )
            .with_help("save the file as UTF-8 without a byte-order mark")],
        };
    }
    let mut parser = Parser {
        lexer: Lexer::new(&source.text, 0),
        peeked: None,
        depth: 0,
    };
    match parser.manifest() {
        Ok(entries) => Manifest {
            entries,
            errors: Vec::new(),
        },
        Err(error) => Manifest {
            entries: Vec::new(),
            errors: vec![error],
        },
    }
}

struct Parser<'t> {
    lexer: Lexer<'t>,
    peeked: Option<Token>,
    depth: usize,
}

type Parsed<T> = Result<T, SyntaxError>;

impl Parser<'_> {
    fn next(&mut self) -> Parsed<Token> {
        match self.peeked.take() {
            Some(token) => Ok(token),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Parsed<&Token> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        Ok(self.peeked.as_ref().expect("just filled"))
    }

    fn manifest(&mut self) -> Parsed<Vec<(Node, Node)>> {
        let value = self.value()?;
        let end = self.next()?;
        if end.kind != TokenKind::End {
            return Err(SyntaxError::new(
                end.span,
                "a manifest is a single dict literal: Odoo's `ast.literal_eval` refuses anything after it",
            )
            .with_help("remove the text after the closing `}`, or make it a `#` comment"));
        }
        match value.value {
            Value::Dict(entries) => Ok(entries),
            _ => Err(SyntaxError::new(
                value.span,
                "a manifest is a dict literal (`{\"name\": …, \"depends\": […]}`); Odoo cannot read this one",
            )),
        }
    }

    fn value(&mut self) -> Parsed<Node> {
        let token = self.next()?;
        let span = token.span;
        let value = match token.kind {
            TokenKind::Str(first) => {
                // Adjacent literals concatenate, as in Python (`"a" "b"`).
                let mut text = first;
                let mut end = span;
                while let TokenKind::Str(_) = self.peek()?.kind {
                    let more = self.next()?;
                    if let TokenKind::Str(s) = more.kind {
                        text.push_str(&s);
                    }
                    end = more.span;
                }
                return self.after_value(Node {
                    value: Value::Str(text),
                    span: span.to(end),
                });
            }
            TokenKind::Bytes => Value::Bytes,
            TokenKind::Number(n) => Value::Number(n),
            TokenKind::Sign(sign) => {
                let number = self.next()?;
                match number.kind {
                    TokenKind::Number(n) => {
                        return self.after_value(Node {
                            value: Value::Number(format!("{sign}{n}")),
                            span: span.to(number.span),
                        })
                    }
                    _ => return Err(refused(number.span, "a sign applies to numbers only")),
                }
            }
            TokenKind::Name(name) => match name.as_str() {
                "True" => Value::Bool(true),
                "False" => Value::Bool(false),
                "None" => Value::None,
                _ => return Err(refused(span, &format!("`{name}` is a name, not a literal"))),
            },
            TokenKind::Open(open) => {
                let node = self.container(open, span)?;
                return self.after_value(node);
            }
            TokenKind::End => {
                return Err(SyntaxError::new(span, "the manifest ends before its value"))
            }
            TokenKind::Close(_) | TokenKind::Comma | TokenKind::Colon | TokenKind::Other(_) => {
                return Err(refused(span, "this is not part of a literal"))
            }
        };
        self.after_value(Node { value, span })
    }

    /// A call (`dict(...)`), subscript or operator after a value makes it an expression,
    /// not a literal.
    fn after_value(&mut self, node: Node) -> Parsed<Node> {
        if let TokenKind::Open('(' | '[') | TokenKind::Other(_) | TokenKind::Sign(_) =
            self.peek()?.kind
        {
            let at = self.peek()?.span;
            return Err(refused(at, "an expression, not a literal"));
        }
        Ok(node)
    }

    fn container(&mut self, open: char, start: Span) -> Parsed<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                start,
                format!("literals nested more than {MAX_DEPTH} deep are not read"),
            ));
        }
        let close = match open {
            '{' => '}',
            '[' => ']',
            _ => ')',
        };
        let mut items = Vec::new();
        let mut pairs = Vec::new();
        let mut is_dict = None;
        let mut trailing_comma = false;
        let end = loop {
            if let TokenKind::Close(c) = self.peek()?.kind {
                let token = self.next()?;
                if c != close {
                    return Err(SyntaxError::new(
                        token.span,
                        format!("`{c}` closes a `{open}`: expected `{close}`"),
                    ));
                }
                break token.span;
            }
            let key = self.value()?;
            if open == '{' && is_dict != Some(false) && self.peek()?.kind == TokenKind::Colon {
                self.next()?;
                is_dict = Some(true);
                pairs.push((key, self.value()?));
            } else if is_dict == Some(true) {
                let at = self.peek()?.span;
                return Err(SyntaxError::new(at, "expected `:` after a dict key"));
            } else {
                is_dict = Some(false);
                items.push(key);
            }
            let token = self.next()?;
            match token.kind {
                TokenKind::Comma => trailing_comma = true,
                TokenKind::Close(c) if c == close => break token.span,
                TokenKind::End => {
                    return Err(SyntaxError::new(start, format!("`{open}` is never closed")))
                }
                _ => {
                    return Err(SyntaxError::new(
                        token.span,
                        format!("expected `,` or `{close}`"),
                    ))
                }
            }
        };
        self.depth -= 1;
        let value = match open {
            '{' if is_dict != Some(false) => Value::Dict(pairs),
            '{' => Value::Set(items),
            '[' => Value::List(items),
            // `(x)` is x itself; `(x,)` and `()` are tuples.
            _ if items.len() == 1 && !trailing_comma => {
                let mut only = items.pop().expect("one item");
                only.span = start.to(end);
                return Ok(only);
            }
            _ => Value::Tuple(items),
        };
        Ok(Node {
            value,
            span: start.to(end),
        })
    }
}

fn refused(span: Span, what: &str) -> SyntaxError {
    SyntaxError::new(
        span,
        format!("{what}: Odoo reads a manifest with `ast.literal_eval`, which refuses it, so the module does not load"),
    )
    .with_help("write plain literals only: strings, numbers, True/False/None, lists, tuples and dicts")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(text: &str) -> Manifest {
        parse(&SourceFile::from_text("m/__manifest__.py", text))
    }

    #[test]
    fn reads_the_fields_odoo_uses_with_their_spans() {
        let text = "# -*- coding: utf-8 -*-\n{\n    'name': \"Bridge\",\n    'version': '18.0.1.0.0',\n    'depends': ['mail', \"web\",],\n    'installable': False,\n    'summary': 'a' 'b',\n}\n";
        let m = manifest(text);
        assert!(m.is_valid(), "{:?}", m.errors);
        let (version, span) = m.string("version").unwrap();
        assert_eq!(version, "18.0.1.0.0");
        assert_eq!(&text[span.start()..span.end()], "'18.0.1.0.0'");
        let depends: Vec<_> = m.depends().into_iter().map(|(d, _)| d).collect();
        assert_eq!(depends, ["mail", "web"]);
        assert!(!m.installable().0);
        assert_eq!(m.string("summary").unwrap().0, "ab");
    }

    #[test]
    fn reads_every_literal_literal_eval_accepts() {
        let m = manifest("{'a': (1,), 'b': (1), 'c': {1, 2}, 'd': -1.5e3, 'e': None, 'f': b'x', 'g': r'\\d', 'h': u'\\u00e9\\n', 'i': {},}");
        assert!(m.is_valid(), "{:?}", m.errors);
        assert!(matches!(m.get("a").unwrap().value, Value::Tuple(_)));
        assert!(matches!(m.get("b").unwrap().value, Value::Number(_)));
        assert!(matches!(m.get("c").unwrap().value, Value::Set(_)));
        assert_eq!(m.get("d").unwrap().value, Value::Number("-1.5e3".into()));
        assert_eq!(m.string("g").unwrap().0, "\\d");
        assert_eq!(m.string("h").unwrap().0, "é\n");
        assert_eq!(m.get("i").unwrap().value, Value::Dict(Vec::new()));
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_as_python_does() {
        let m = manifest("{'installable': True, 'installable': False}");
        assert!(!m.installable().0);
    }

    #[test]
    fn refuses_what_literal_eval_refuses_at_its_place() {
        for (text, at) in [
            ("{'depends': deps}", "deps"),
            ("{'a': dict(x=1)}", "dict"),
            ("{'a': 'x'[0]}", "["),
            ("{'a': 1 + 2}", "+"),
            ("{'a': f'x'}", "f'x'"),
            ("{'a': 1}\nprint(1)", "print"),
            ("['not', 'a', 'dict']", "["),
            ("{'a': [1, 2}", "}"),
            ("{'a': 'open", "'open"),
            ("{'a': 1", "{"),
        ] {
            let m = manifest(text);
            let error = m
                .errors
                .first()
                .unwrap_or_else(|| panic!("{text} accepted"));
            assert!(
                text[error.span.start()..].starts_with(at),
                "{text}: error at {:?}, not at {at}",
                &text[error.span.start()..]
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_refused_as_odoo_refuses_it() {
        let m = manifest("\u{feff}{'name': 'x'}");
        assert_eq!(m.errors[0].span, Span::at(0));
        assert!(manifest("{'name': 'x'}\r\n").is_valid());
    }

    #[test]
    fn hostile_nesting_is_refused_not_followed() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let m = manifest(&text);
        assert!(!m.is_valid());
    }
}
