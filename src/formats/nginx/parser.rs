//! Builds the directive tree from tokens, the way `ngx_conf_parse()` reads them, and keeps
//! going after a syntax error so that one mistake still yields a useful tree.
//!
//! nginx's own messages are used: `unexpected ";"`, `unexpected "{"`, `unexpected "}"`,
//! `unexpected end of file, expecting ";" or "}"`, `unexpected end of file, expecting "}"`.
//! Recovery: a `}` after unfinished arguments ends that directive and closes the block; a
//! `{` without a directive name opens a block whose contents are dropped; a stray `;` or `}`
//! is skipped.

use super::ast::{Block, Comment, Directive, FileId, ParsedFile, Quote, Word};
use super::lexer::{Lexer, Token};
use crate::formats::SyntaxError;
use crate::source::{Encoding, SourceFile, Span};

/// Blocks nested deeper than this are reported and their contents dropped.
pub const MAX_NESTING: usize = 256;

/// Parses one nginx file on its own: no include is followed (see [`Loader`](super::Loader)).
/// Never fails: syntax errors are in [`ParsedFile::errors`].
pub fn parse(source: SourceFile) -> ParsedFile {
    parse_as(source, FileId(0))
}

pub(crate) fn parse_as(source: SourceFile, id: FileId) -> ParsedFile {
    let (directives, comments, mut errors) = Parser::new(&source.text, id).run();
    if source.encoding == Encoding::Utf8WithBom {
        // nginx has no notion of a byte order mark: its three bytes become the start of the
        // first word, so the first directive is unknown (or the first comment is a word).
        errors.insert(
            0,
            SyntaxError::new(
                Span::at(0),
                "the file starts with a UTF-8 byte order mark, which nginx reads as part of \
                 the first directive",
            )
            .with_help("save the file as UTF-8 without a BOM"),
        );
    }
    ParsedFile {
        id,
        source,
        directives,
        comments,
        errors,
    }
}

/// The directive being read: its name and the position where it started.
struct Header {
    name: Word,
    args: Vec<Word>,
    comments: Vec<Comment>,
}

/// An open block (or the file itself, at the bottom of the stack).
struct Frame {
    header: Option<Header>,
    open: Span,
    /// Where this block's directives start in [`Parser::done`].
    first: usize,
    comments: Vec<Comment>,
    /// Where the last directive of this frame ended, for trailing comments.
    last_end: Option<usize>,
    /// Contents are not kept: a block without a name, or one nested too deeply.
    discard: bool,
}

impl Frame {
    fn new(header: Option<Header>, open: Span, first: usize, discard: bool) -> Self {
        Frame {
            header,
            open,
            first,
            comments: Vec::new(),
            last_end: None,
            discard,
        }
    }
}

struct Parser<'s> {
    lexer: Lexer<'s>,
    file: FileId,
    frames: Vec<Frame>,
    /// The finished directives of all open blocks, innermost last; a block takes its own
    /// (from its frame's `first`) when it closes, into a vector of the exact size.
    done: Vec<Directive>,
    /// The name of the directive being read, once its first word is seen.
    name: Option<Word>,
    args: Vec<Word>,
    comments: Vec<Comment>,
}

impl<'s> Parser<'s> {
    fn new(text: &'s str, file: FileId) -> Self {
        Parser {
            lexer: Lexer::new(text),
            file,
            frames: vec![Frame::new(None, Span::at(0), 0, false)],
            done: Vec::new(),
            name: None,
            args: Vec::new(),
            comments: Vec::new(),
        }
    }

    fn run(mut self) -> (Vec<Directive>, Vec<Comment>, Vec<SyntaxError>) {
        loop {
            match self.lexer.next_token() {
                Token::Word(word) => match self.name {
                    None => self.name = Some(word),
                    Some(_) => self.args.push(word),
                },
                Token::Comment(span) => self.comment(span),
                Token::Semicolon(span) => match self.take_header() {
                    Some(header) => {
                        let directive = self.finish(header, Some(span), None, span.end());
                        self.push(directive);
                    }
                    None => self.lexer.error(
                        SyntaxError::new(span, "unexpected \";\"")
                            .with_help("remove the extra `;`; a `;` must end a directive"),
                    ),
                },
                Token::OpenBrace(span) => self.open_block(span),
                Token::CloseBrace(span) => self.close_block(span),
                Token::Eof(at) => {
                    self.end_of_file(at);
                    break;
                }
            }
        }
        let comments = self
            .frames
            .pop()
            .map(|root| root.comments)
            .unwrap_or_default();
        (self.done, comments, self.lexer.into_errors())
    }

    fn top(&mut self) -> &mut Frame {
        // The root frame is only popped at the end of `run`.
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// Adds a finished directive to the innermost block, unless that block is discarded.
    fn push(&mut self, directive: Directive) {
        let frame = self.top();
        if !frame.discard {
            frame.last_end = Some(directive.span.end());
            self.done.push(directive);
        }
    }

    fn take_header(&mut self) -> Option<Header> {
        let name = self.name.take()?;
        Some(Header {
            name,
            args: self.args.drain(..).collect::<Vec<Word>>(),
            comments: std::mem::take(&mut self.comments),
        })
    }

    fn finish(
        &self,
        header: Header,
        semicolon: Option<Span>,
        block: Option<Box<Block>>,
        end: usize,
    ) -> Directive {
        let start = header.name.span.start();
        Directive::new(
            header.name,
            header.args.into_boxed_slice(),
            block,
            Span::new(start, end.max(start)),
            self.file,
            semicolon.is_some(),
            header.comments,
        )
    }

    fn comment(&mut self, span: Span) {
        let text = self.lexer.text();
        let comment = Comment {
            text: text[span.start()..span.end()].into(),
            span,
        };
        if self.name.is_some() {
            self.comments.push(comment);
            return;
        }
        let frame = self.top();
        let trailing = frame.last_end.is_some_and(|end| {
            text.as_bytes()
                .get(end..span.start())
                .is_some_and(|gap| !gap.contains(&b'\n'))
        });
        frame.last_end = None;
        if frame.discard {
            return;
        }
        // `last_end` is only set by a directive of this very frame, the last one in `done`.
        match self.done.last_mut() {
            Some(directive) if trailing => directive.push_comment(comment),
            _ => self.top().comments.push(comment),
        }
    }

    fn open_block(&mut self, open: Span) {
        let Some(mut header) = self.take_header() else {
            self.lexer.error(
                SyntaxError::new(open, "unexpected \"{\"")
                    .with_help("a block needs a directive name before its `{`"),
            );
            self.frames
                .push(Frame::new(None, open, self.done.len(), true));
            return;
        };
        if header.name.value.ends_with("_by_lua_block") {
            let body = self.lexer.lua_block(open.start());
            let end = body.close.map_or(body.code.end(), |close| close.end());
            let code = &self.lexer.text()[body.code.start()..body.code.end()];
            header.args.push(Word {
                value: code.into(),
                span: Span::new(open.start(), end),
                quote: Quote::LuaBlock,
                closed: body.close.is_some(),
            });
            let directive = self.finish(header, None, None, end);
            self.push(directive);
            return;
        }
        let parent_discards = self.top().discard;
        let too_deep = self.frames.len() > MAX_NESTING;
        if too_deep && !parent_discards {
            self.lexer.error(SyntaxError::new(
                open,
                format!("blocks nested more than {MAX_NESTING} levels deep"),
            ));
        }
        let first = self.done.len();
        self.frames.push(Frame::new(
            Some(header),
            open,
            first,
            parent_discards || too_deep,
        ));
    }

    fn close_block(&mut self, close: Span) {
        if let Some(header) = self.take_header() {
            self.lexer.error(
                SyntaxError::new(close, "unexpected \"}\"")
                    .with_help("the directive before this `}` is missing its `;`"),
            );
            self.push_unterminated(header);
            if self.frames.len() == 1 {
                return;
            }
        } else if self.frames.len() == 1 {
            self.lexer.error(
                SyntaxError::new(close, "unexpected \"}\"")
                    .with_help("this `}` closes no block; remove it or add the missing `{`"),
            );
            return;
        }
        self.pop_frame(Some(close), close.end());
    }

    /// Keeps a directive that lost its `;`: it ends with its last word.
    fn push_unterminated(&mut self, header: Header) {
        let end = header
            .args
            .last()
            .map_or(header.name.span.end(), |arg| arg.span.end());
        let directive = self.finish(header, None, None, end);
        self.push(directive);
    }

    /// Closes the innermost block and adds its directive to the enclosing one.
    fn pop_frame(&mut self, close: Option<Span>, end: usize) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        // A block without a name is dropped; a block nested too deeply keeps its directive
        // (with an empty block) when the enclosing block is kept.
        let directives: Vec<Directive> = self.done.drain(frame.first..).collect();
        let Some(header) = frame.header else { return };
        let block = Block {
            open: frame.open,
            close,
            directives,
            comments: frame.comments,
        };
        let directive = self.finish(header, None, Some(Box::new(block)), end);
        self.push(directive);
    }

    fn end_of_file(&mut self, at: usize) {
        if let Some(header) = self.take_header() {
            if !self.lexer.unterminated_at_eof {
                self.lexer.error(
                    SyntaxError::new(
                        Span::at(at),
                        "unexpected end of file, expecting \";\" or \"}\"",
                    )
                    .with_help(format!(
                        "the \"{}\" directive is missing its `;`",
                        header.name.value
                    )),
                );
            }
            self.push_unterminated(header);
        }
        if self.frames.len() > 1 && !self.lexer.unterminated_at_eof {
            let innermost = &self.frames[self.frames.len() - 1];
            let help = match &innermost.header {
                Some(header) => format!("the \"{}\" block opened", header.name.value),
                None => "the block opened".to_owned(),
            };
            let text = self.lexer.text();
            let line = text[..innermost.open.start()]
                .bytes()
                .filter(|&b| b == b'\n')
                .count()
                + 1;
            self.lexer.error(
                SyntaxError::new(Span::at(at), "unexpected end of file, expecting \"}\"")
                    .with_help(format!(
                        "{help} on line {line} is never closed; add the missing `}}`"
                    )),
            );
        }
        while self.frames.len() > 1 {
            self.pop_frame(None, at);
        }
    }
}
