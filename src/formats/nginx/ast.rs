//! The typed model of one nginx file: directives, their words, blocks and comments.
//!
//! Everything keeps the byte span it came from, so a rule can point at a directive's name,
//! at one argument, or at the brace that opens a block. Words keep both their value (as nginx
//! sees it, escapes resolved) and their raw span (quotes included).

use super::small_str::SmallStr;
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// Which file of a [`Config`](super::Config) a node came from; an index into its files.
/// A file parsed on its own is `FileId(0)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a word was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quote {
    /// A bare word: `proxy_pass`, `$host`, `~*`.
    None,
    /// `'...'`
    Single,
    /// `"..."`
    Double,
    /// The raw body of a `*_by_lua_block { ... }`; the span covers the braces, the value is
    /// the Lua code between them, verbatim.
    LuaBlock,
}

/// One token of a directive: its name or one of its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The value nginx uses: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` resolved, any other
    /// backslash kept. Variables such as `$host` or `${name}` stay as written.
    pub value: SmallStr,
    /// The raw text in the file, quotes (or Lua braces) included.
    pub span: Span,
    pub quote: Quote,
    /// False for a string or Lua block that runs to the end of the file without its
    /// closing quote or brace (a syntax error was reported); true otherwise.
    pub closed: bool,
}

impl Word {
    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn is_quoted(&self) -> bool {
        matches!(self.quote, Quote::Single | Quote::Double)
    }

    /// The span of the text between the quotes (or braces); the whole span for a bare word.
    pub fn content_span(&self) -> Span {
        match self.quote {
            Quote::None => self.span,
            Quote::Single | Quote::Double | Quote::LuaBlock => {
                let start = (self.span.start() + 1).min(self.span.end());
                let end = if self.closed {
                    self.span.end() - 1
                } else {
                    self.span.end()
                };
                Span::new(start, end.max(start))
            }
        }
    }

    /// The word exactly as written in `source`.
    pub fn raw<'s>(&self, source: &'s SourceFile) -> &'s str {
        source.slice(self.span)
    }
}

/// A `#` comment, which nginx ignores and ipai keeps (for inline suppressions such as
/// `# ipai-lint: ignore[NGX001] -- reason`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, `#` included, without the line ending.
    pub text: Box<str>,
    pub span: Span,
}

impl Comment {
    /// The text after the `#`.
    pub fn body(&self) -> &str {
        self.text.strip_prefix('#').unwrap_or(&self.text)
    }
}

/// `{ ... }` after a directive's arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The `{`.
    pub open: Span,
    /// The `}`; `None` when the file ended first (a syntax error was reported).
    pub close: Option<Span>,
    pub directives: Vec<Directive>,
    /// Comments directly inside this block that are not trailing a directive's line.
    pub comments: Vec<Comment>,
}

/// One directive: `name arg... ;` or `name arg... { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The first word. nginx lets it be quoted like any other word.
    pub name: Word,
    pub args: Box<[Word]>,
    pub block: Option<Box<Block>>,
    /// From the first character of the name to the `;` or `}` that ends the directive.
    pub span: Span,
    /// The file this directive was read from.
    pub file: FileId,
    ends_with_semicolon: bool,
    /// Comments and includes, which few directives have, kept out of line.
    extra: Option<Box<Extra>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Extra {
    comments: Vec<Comment>,
    includes: Vec<FileId>,
}

impl Directive {
    pub(crate) fn new(
        name: Word,
        args: Box<[Word]>,
        block: Option<Box<Block>>,
        span: Span,
        file: FileId,
        ends_with_semicolon: bool,
        comments: Vec<Comment>,
    ) -> Self {
        let extra = (!comments.is_empty()).then(|| {
            Box::new(Extra {
                comments,
                includes: Vec::new(),
            })
        });
        Directive {
            name,
            args,
            block,
            span,
            file,
            ends_with_semicolon,
            extra,
        }
    }

    /// The terminating `;`, when there is one.
    pub fn semicolon(&self) -> Option<Span> {
        self.ends_with_semicolon
            .then(|| Span::new(self.span.end() - 1, self.span.end()))
    }

    /// Comments between the name and the terminator, and a comment that follows the
    /// terminator on the same line (where an inline suppression goes).
    pub fn comments(&self) -> &[Comment] {
        self.extra.as_deref().map_or(&[], |extra| &extra.comments)
    }

    pub(crate) fn push_comment(&mut self, comment: Comment) {
        self.extra
            .get_or_insert_with(Box::default)
            .comments
            .push(comment);
    }

    /// For an `include` directive read by the [`Loader`](super::Loader): the files it pulled
    /// in, in nginx's order (sorted glob matches). Empty otherwise.
    pub fn includes(&self) -> &[FileId] {
        self.extra.as_deref().map_or(&[], |extra| &extra.includes)
    }

    pub(crate) fn set_includes(&mut self, includes: Vec<FileId>) {
        if !includes.is_empty() {
            self.extra.get_or_insert_with(Box::default).includes = includes;
        }
    }

    pub fn name(&self) -> &str {
        &self.name.value
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.value.as_bytes() == name.as_bytes()
    }

    /// The value of argument `index` (0 is the first argument after the name).
    pub fn arg(&self, index: usize) -> Option<&str> {
        self.args.get(index).map(Word::as_str)
    }

    /// The argument values in order.
    pub fn arg_values(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.args.iter().map(Word::as_str)
    }

    /// The span of all arguments, or an empty span after the name when there are none.
    pub fn args_span(&self) -> Span {
        match (self.args.first(), self.args.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => Span::at(self.name.span.end()),
        }
    }

    pub fn has_block(&self) -> bool {
        self.block.is_some()
    }

    /// The directives of this directive's block (empty when it has none). Includes are not
    /// expanded here; use [`Config::children`](super::Config::children) for that.
    pub fn children(&self) -> &[Directive] {
        self.block.as_deref().map_or(&[], |block| &block.directives)
    }

    /// The directives named `name` directly inside this block, in order.
    pub fn find<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.children().iter().filter(move |child| child.is(name))
    }

    pub fn find_first(&self, name: &str) -> Option<&Directive> {
        self.children().iter().find(|child| child.is(name))
    }

    /// For an `if` directive, the condition words without the surrounding parentheses, split
    /// the way nginx splits them (`if ($http_x = "a")` gives `$http_x`, `=`, `a`).
    pub fn if_condition(&self) -> Option<Vec<&str>> {
        if !self.is("if") {
            return None;
        }
        let mut words: Vec<&str> = self.arg_values().collect();
        if let Some(first) = words.first_mut() {
            *first = first.strip_prefix('(').unwrap_or(first);
        }
        if let Some(last) = words.last_mut() {
            *last = last.strip_suffix(')').unwrap_or(last);
        }
        words.retain(|word| !word.is_empty());
        Some(words)
    }

    /// The Lua code of a `*_by_lua_block { ... }` directive.
    pub fn lua_code(&self) -> Option<&str> {
        self.args
            .iter()
            .find(|arg| arg.quote == Quote::LuaBlock)
            .map(Word::as_str)
    }
}

/// One file after parsing: its source, its top-level directives and comments, and the
/// syntax errors found in it (including include errors at its `include` directives).
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub id: FileId,
    pub source: SourceFile,
    pub directives: Vec<Directive>,
    /// Top-level comments not trailing a directive's line.
    pub comments: Vec<Comment>,
    /// In source order.
    pub errors: Vec<SyntaxError>,
}

impl ParsedFile {
    /// The top-level directives named `name`, in order (includes not expanded).
    pub fn find<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.directives
            .iter()
            .filter(move |directive| directive.is(name))
    }

    /// Every comment of the file, wherever it sits, in source order.
    pub fn all_comments(&self) -> Vec<&Comment> {
        let mut comments: Vec<&Comment> = self.comments.iter().collect();
        let mut stack: Vec<&Directive> = self.directives.iter().collect();
        while let Some(directive) = stack.pop() {
            comments.extend(directive.comments());
            if let Some(block) = &directive.block {
                comments.extend(&block.comments);
                stack.extend(&block.directives);
            }
        }
        comments.sort_by_key(|comment| comment.span.start());
        comments
    }

    /// Every directive of this file in document order, blocks entered, includes not followed.
    pub fn all_directives(&self) -> impl Iterator<Item = &Directive> + '_ {
        let mut stack: Vec<std::slice::Iter<'_, Directive>> = vec![self.directives.iter()];
        std::iter::from_fn(move || loop {
            let top = stack.last_mut()?;
            match top.next() {
                Some(directive) => {
                    if let Some(block) = &directive.block {
                        stack.push(block.directives.iter());
                    }
                    return Some(directive);
                }
                None => {
                    stack.pop();
                }
            }
        })
    }

    /// The text a span of this file covers.
    pub fn slice(&self, span: Span) -> &str {
        self.source.slice(span)
    }
}
