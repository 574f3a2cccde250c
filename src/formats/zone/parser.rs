//! The entry driver: owner, TTL, class and type of each record, the `$` directives, and
//! `$INCLUDE` recursion with its bounds.
//!
//! Semantics follow RFC 1035 §5.1 (owner inheritance, `$ORIGIN`, `$INCLUDE` scoping),
//! RFC 2308 §4 (`$TTL`) and BIND 9.18 where the RFCs leave room (TTL and class in either
//! order, "no TTL specified", the class must match the zone's, `$GENERATE`).

use std::path::{Component, Path, PathBuf};

use super::builder::Builder;
use super::fields;
use super::lexer::{Entry, Lexer, Token};
use super::model::{
    Comment, Directive, DirectiveKind, FileId, IncludedFile, Name, NameForm, NameId, NotFollowed,
    RData, Record, Spanned, Ttl, TtlSource, Zone, ZoneError,
};
use super::names::NameTable;
use super::rdata::Input;
use super::types::{Class, RType};
use super::{IncludeReader, ParseOptions};
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// State that `$INCLUDE` saves and restores (RFC 1035 §5.1: the origin and the current
/// owner return to their values before the include).
#[derive(Clone, Copy)]
pub(crate) struct Scope {
    pub origin: NameId,
    pub owner: Option<NameId>,
}

/// State shared by all files of a zone, like BIND's load context.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ttls {
    /// `$TTL` (RFC 2308).
    pub default: Option<u32>,
    /// The last TTL written in a record (RFC 1035).
    pub last: Option<u32>,
}

pub(crate) struct Parser<'o, 'r> {
    pub b: Builder,
    pub opts: &'o ParseOptions,
    pub reader: Option<&'r mut dyn IncludeReader>,
    pub class: Class,
    pub records: Vec<Record>,
    pub directives: Vec<Directive>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ZoneError>,
    pub includes: Vec<IncludedFile>,
    pub not_followed: Vec<NotFollowed>,
    pub ttls: Ttls,
    /// Resolved paths and names of the files being read, outermost first, for cycle
    /// detection.
    pub stack: Vec<(PathBuf, String)>,
    /// Records and bytes of text made by `$GENERATE` so far.
    pub generated: usize,
    pub generated_bytes: usize,
    /// Whether an `$INCLUDE` past the depth or count bound was reported.
    include_bound_hit: bool,
    comment_spans: Vec<Span>,
    lex_errors: Vec<SyntaxError>,
}

impl<'o, 'r> Parser<'o, 'r> {
    pub fn new(opts: &'o ParseOptions, reader: Option<&'r mut dyn IncludeReader>) -> Self {
        Parser {
            b: Builder::new(0),
            opts,
            reader,
            class: opts.class,
            records: Vec::new(),
            directives: Vec::new(),
            comments: Vec::new(),
            errors: Vec::new(),
            includes: Vec::new(),
            not_followed: Vec::new(),
            ttls: Ttls::default(),
            stack: Vec::new(),
            generated: 0,
            generated_bytes: 0,
            include_bound_hit: false,
            comment_spans: Vec::new(),
            lex_errors: Vec::new(),
        }
    }

    /// Parses the root file and returns the zone.
    pub fn run(mut self, source: &SourceFile, origin: &str) -> Zone {
        self.b = Builder::new(source.line_count());
        let origin_id =
            match self
                .b
                .names
                .parse(origin.as_bytes(), NameTable::ROOT, &mut self.b.name_buf)
            {
                Ok((id, _)) => id,
                Err(e) => {
                    self.error(
                        FileId::ROOT,
                        SyntaxError::new(
                            Span::at(0),
                            format!("bad zone origin: {}", e.message(origin)),
                        ),
                    );
                    NameTable::ROOT
                }
            };
        // Most lines hold one record and one new name; memory reserved beyond what is used
        // is never touched.
        self.records.reserve(source.line_count().min(1 << 24));
        self.stack
            .push((normalize(&source.path), source.name.clone()));
        self.file(
            &source.text,
            FileId::ROOT,
            Scope {
                origin: origin_id,
                owner: None,
            },
        );
        if self.b.data_full {
            self.error(
                FileId::ROOT,
                SyntaxError::new(
                    Span::at(0),
                    "zone data exceeds 4 GiB; some record data was dropped",
                ),
            );
        }
        self.records.shrink_to_fit();
        Zone {
            origin: origin_id,
            class: self.class,
            records: self.records,
            directives: self.directives,
            comments: self.comments,
            errors: self.errors,
            includes: self.includes,
            not_followed: self.not_followed,
            names: self.b.names,
            data: self.b.data,
        }
    }

    fn error(&mut self, file: FileId, error: SyntaxError) {
        self.errors.push(ZoneError { file, error });
    }

    /// Parses one file's text.
    fn file(&mut self, text: &str, file: FileId, mut scope: Scope) {
        let mut lexer = Lexer::new(text);
        let mut tokens: Vec<Token> = Vec::with_capacity(16);
        let mut comment_spans = std::mem::take(&mut self.comment_spans);
        let mut lex_errors = std::mem::take(&mut self.lex_errors);
        while let Some(entry) = lexer.next_entry(&mut tokens, &mut comment_spans, &mut lex_errors) {
            self.comments
                .extend(comment_spans.drain(..).map(|span| Comment { file, span }));
            for error in lex_errors.drain(..) {
                self.error(file, error);
            }
            if entry.error {
                // The entry is dropped, but a later blank owner still refers to its owner,
                // as in BIND, so one mistake does not cascade.
                self.owner_of_broken_entry(text, entry, &tokens, &mut scope);
                continue;
            }
            if let Err(error) = self.entry(text, file, entry, &tokens, &mut scope) {
                self.error(file, error);
            }
        }
        self.comments
            .extend(comment_spans.drain(..).map(|span| Comment { file, span }));
        for error in lex_errors.drain(..) {
            self.error(file, error);
        }
        self.comment_spans = comment_spans;
        self.lex_errors = lex_errors;
    }

    fn owner_of_broken_entry(
        &mut self,
        text: &str,
        entry: Entry,
        tokens: &[Token],
        scope: &mut Scope,
    ) {
        let Some(first) = tokens.first() else { return };
        let word = text
            .get(first.content().start()..first.content().end())
            .unwrap_or("");
        if entry.blank_owner || (!first.quoted && word.starts_with('$')) {
            return;
        }
        if let Ok(owner) = self.b.name(word, first.span, scope.origin) {
            scope.owner = Some(owner.id);
        }
    }

    fn entry(
        &mut self,
        text: &str,
        file: FileId,
        entry: Entry,
        tokens: &[Token],
        scope: &mut Scope,
    ) -> Result<(), SyntaxError> {
        let Some(&first) = tokens.first() else {
            return Ok(());
        };
        let word = |t: &Token| text.get(t.span.start()..t.span.end()).unwrap_or("");
        if !entry.blank_owner && !first.quoted && word(&first).starts_with('$') {
            return self.directive(text, file, entry, tokens, scope);
        }
        // The owner is read first and interned after the record data (see
        // `NameTable::prepare`); as in BIND it becomes the current owner even when the data
        // is wrong.
        let (prepared, rest) = if entry.blank_owner {
            let Some(id) = scope.owner else {
                return Err(SyntaxError::new(
                    Span::at(entry.span.start()),
                    "no current owner name: a record with a blank owner field needs an earlier record to inherit from",
                ));
            };
            (Err(id), tokens)
        } else {
            let name_text = text
                .get(first.content().start()..first.content().end())
                .unwrap_or("");
            (
                Ok(self.b.prepare_owner(name_text, first.span, scope.origin)?),
                &tokens[1..],
            )
        };
        let body = self.record_body(text, rest, entry, scope.origin);
        let owner = match prepared {
            Ok(prepared) => self.b.owner(prepared, first.span),
            Err(id) => Name {
                id,
                span: Span::at(entry.span.start()),
                form: NameForm::Inherited,
            },
        };
        scope.owner = Some(owner.id);
        let (head, rdata) = body?;
        let ttl = self.resolve_ttl_for(head.ttl, head.rtype, &rdata)?;
        self.records.push(Record {
            span: entry.span,
            owner,
            ttl,
            rtype_span: head.rtype.span,
            rdata,
            origin: scope.origin,
            file,
            class: head.class.map_or(self.class, |c| c.value),
            rtype: head.rtype.value,
            generated: false,
        });
        Ok(())
    }

    /// TTL, class, type and data of a record.
    fn record_body(
        &mut self,
        text: &str,
        rest: &[Token],
        entry: Entry,
        origin: NameId,
    ) -> Result<(RecordHead, RData), SyntaxError> {
        let head = RecordHead::read(text, rest, entry.span.end())?;
        self.check_class(head.class)?;
        let mut input = Input {
            text,
            tokens: rest.get(head.rdata_from..).unwrap_or(&[]),
            pos: 0,
            end: entry.span.end(),
            fixed_span: None,
            origin,
        };
        let rdata = self.b.rdata(head.rtype.value, &mut input)?;
        Ok((head, rdata))
    }

    fn check_class(&self, class: Option<Spanned<Class>>) -> Result<(), SyntaxError> {
        match class {
            Some(c) if c.value != self.class => Err(SyntaxError::new(
                c.span,
                format!(
                    "class '{}' does not match the zone class '{}'",
                    c.value, self.class
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The TTL of a record (RFC 2308 §4, RFC 1035 §5.1, BIND's SOA MINIMUM fallback).
    pub(crate) fn resolve_ttl_for(
        &mut self,
        explicit: Option<Spanned<u32>>,
        rtype: Spanned<RType>,
        rdata: &RData,
    ) -> Result<Ttl, SyntaxError> {
        let missing = Span::at(rtype.span.start());
        if let Some(t) = explicit {
            self.ttls.last = Some(t.value);
            return Ok(Ttl {
                value: t.value,
                span: t.span,
                source: TtlSource::Explicit,
            });
        }
        if let Some(value) = self.ttls.default {
            return Ok(Ttl {
                value,
                span: missing,
                source: TtlSource::Default,
            });
        }
        if let Some(value) = self.ttls.last {
            return Ok(Ttl {
                value,
                span: missing,
                source: TtlSource::Previous,
            });
        }
        if let RData::Soa(soa) = rdata {
            self.ttls.last = Some(soa.minimum.value);
            return Ok(Ttl {
                value: soa.minimum.value,
                span: missing,
                source: TtlSource::SoaMinimum,
            });
        }
        Err(SyntaxError::new(
            missing,
            "no TTL specified: the record has no TTL and no $TTL or earlier TTL applies",
        )
        .with_help("add '$TTL 3600' (or the TTL you want) at the top of the zone file"))
    }

    fn directive(
        &mut self,
        text: &str,
        file: FileId,
        entry: Entry,
        tokens: &[Token],
        scope: &mut Scope,
    ) -> Result<(), SyntaxError> {
        let Some(&keyword) = tokens.first() else {
            return Ok(());
        };
        let name = text
            .get(keyword.span.start()..keyword.span.end())
            .unwrap_or("");
        let args = &tokens[1..];
        let word = |t: &Token| text.get(t.span.start()..t.span.end()).unwrap_or("");
        let arg = |i: usize, what: &str| -> Result<Token, SyntaxError> {
            args.get(i).copied().ok_or_else(|| {
                SyntaxError::new(
                    Span::at(entry.span.end()),
                    format!("unexpected end of line: {name} needs {what}"),
                )
            })
        };
        let no_more = |n: usize| -> Result<(), SyntaxError> {
            match args.get(n) {
                Some(t) => Err(SyntaxError::new(
                    t.span,
                    format!("extra input text '{}' after {name}", word(t)),
                )),
                None => Ok(()),
            }
        };
        let plain = |t: Token, what: &str| -> Result<Token, SyntaxError> {
            if t.quoted {
                Err(SyntaxError::new(
                    t.span,
                    format!("unexpected quoted string: {name} needs {what}"),
                ))
            } else {
                Ok(t)
            }
        };
        let is = |d: &str| name.eq_ignore_ascii_case(d);
        if entry.at_eof_without_newline && (is("$ORIGIN") || is("$TTL") || is("$GENERATE")) {
            // BIND 9.18 fails such a file with "extra input text".
            return Err(SyntaxError::new(
                keyword.span,
                format!("{name} on the last line needs a line break after it: BIND rejects the file otherwise"),
            )
            .with_help("end the file with a newline"));
        }
        let kind = if name.eq_ignore_ascii_case("$ORIGIN") {
            let t = plain(arg(0, "a domain name")?, "a domain name")?;
            no_more(1)?;
            let origin = self.b.name(word(&t), t.span, scope.origin)?;
            scope.origin = origin.id;
            DirectiveKind::Origin(origin)
        } else if name.eq_ignore_ascii_case("$TTL") {
            let t = plain(arg(0, "a TTL")?, "a TTL")?;
            no_more(1)?;
            let value = fields::ttl(word(&t)).ok_or_else(|| {
                SyntaxError::new(
                    t.span,
                    format!(
                        "bad ttl '{}': expected seconds or units like 1h30m, at most 4294967295",
                        word(&t)
                    ),
                )
            })?;
            self.ttls.default = Some(value);
            DirectiveKind::Ttl(Spanned::new(value, t.span))
        } else if name.eq_ignore_ascii_case("$INCLUDE") {
            let t = arg(0, "a file name")?;
            let path = text
                .get(t.content().start()..t.content().end())
                .unwrap_or("")
                .to_owned();
            let origin = match args.get(1) {
                Some(&o) => {
                    let o = plain(o, "an origin name")?;
                    Some(self.b.name(word(&o), o.span, scope.origin)?)
                }
                None => None,
            };
            no_more(2)?;
            let index = self.directives.len();
            self.directives.push(Directive {
                file,
                span: entry.span,
                keyword: keyword.span,
                kind: DirectiveKind::Include {
                    path: Spanned::new(path.clone(), t.span),
                    origin,
                    file: None,
                },
            });
            let inner = Scope {
                origin: origin.map_or(scope.origin, |o| o.id),
                owner: None,
            };
            return self.include(file, index, &path, t.span, inner);
        } else if name.eq_ignore_ascii_case("$GENERATE") {
            let generate = super::generate::run(self, text, file, entry, args, scope)?;
            DirectiveKind::Generate(Box::new(generate))
        } else {
            return Err(
                SyntaxError::new(keyword.span, format!("unknown $ directive '{name}'"))
                    .with_help("the directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE"),
            );
        };
        self.directives.push(Directive {
            file,
            span: entry.span,
            keyword: keyword.span,
            kind,
        });
        Ok(())
    }

    /// Reads an `$INCLUDE`d file through the reader, bounded in depth, count and cycles.
    ///
    /// A relative path is looked for under `include_dir` (or the including file's
    /// directory), then, when no file is there, under `include_fallback_dir`. A path the
    /// reader refuses is kept in `not_followed` and not read.
    fn include(
        &mut self,
        from: FileId,
        directive: usize,
        path: &str,
        span: Span,
        scope: Scope,
    ) -> Result<(), SyntaxError> {
        let Some(reader) = self.reader.as_deref_mut() else {
            // `parse` does not follow includes; `load` does.
            return Ok(());
        };
        let base = match &self.opts.include_dir {
            Some(dir) => dir.clone(),
            None => self
                .stack
                .last()
                .and_then(|(p, _)| p.parent())
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        };
        let resolved = normalize(&base.join(path));
        if let Some(reason) = reader.refuses(&resolved) {
            self.not_followed.push(NotFollowed {
                file: from,
                path: Spanned::new(path.to_owned(), span),
                reason,
            });
            return Ok(());
        }
        check_cycle(&self.stack, &resolved, span)?;
        // The fallback place, for a relative path, when it differs and the reader may
        // show it.
        let fallback = self
            .opts
            .include_fallback_dir
            .as_ref()
            .filter(|_| Path::new(path).is_relative())
            .map(|dir| normalize(&dir.join(path)))
            .filter(|p| *p != resolved && reader.refuses(p).is_none());
        // Past a bound, the first include is reported and the others are not followed.
        let bound = if self.stack.len() > self.opts.max_include_depth {
            Some(format!(
                "$INCLUDE nested deeper than {} files",
                self.opts.max_include_depth
            ))
        } else if self.includes.len() >= self.opts.max_includes {
            Some(format!(
                "more than {} $INCLUDE files",
                self.opts.max_includes
            ))
        } else {
            None
        };
        if let Some(message) = bound {
            if std::mem::replace(&mut self.include_bound_hit, true) {
                return Ok(());
            }
            return Err(SyntaxError::new(
                span,
                format!("{message}; this and later $INCLUDEs past the bound are not followed"),
            ));
        }
        let (source, resolved) = match reader.read(&resolved) {
            Ok(source) => (source, resolved),
            Err(e) => match fallback {
                Some(other) if e.kind() == std::io::ErrorKind::NotFound => {
                    check_cycle(&self.stack, &other, span)?;
                    match reader.read(&other) {
                        Ok(source) => (source, other),
                        Err(e2) => {
                            return Err(SyntaxError::new(
                                span,
                                format!("cannot read $INCLUDE file '{path}': {e}; {e2}"),
                            ))
                        }
                    }
                }
                _ => {
                    return Err(SyntaxError::new(
                        span,
                        format!("cannot read $INCLUDE file '{path}': {e}"),
                    ))
                }
            },
        };
        let id = FileId(self.includes.len() as u32 + 1);
        let name = source.name.clone();
        if let Some(Directive {
            kind: DirectiveKind::Include { file, .. },
            ..
        }) = self.directives.get_mut(directive)
        {
            *file = Some(id);
        }
        // The text is parsed from the stored copy so spans and `Zone::source` agree.
        self.includes.push(IncludedFile {
            source,
            from,
            directive,
        });
        let text = std::mem::take(&mut self.includes[id.0 as usize - 1].source.text);
        self.stack.push((resolved, name));
        self.file(&text, id, scope);
        self.stack.pop();
        self.includes[id.0 as usize - 1].source.text = text;
        Ok(())
    }
}

/// Owner-less head of a record: `[ttl] [class] type` in either order.
pub(crate) struct RecordHead {
    pub ttl: Option<Spanned<u32>>,
    pub class: Option<Spanned<Class>>,
    pub rtype: Spanned<RType>,
    /// Index of the first rdata token in the slice given to `read`.
    pub rdata_from: usize,
}

impl RecordHead {
    pub fn read(text: &str, tokens: &[Token], end: usize) -> Result<RecordHead, SyntaxError> {
        let word = |t: &Token| text.get(t.span.start()..t.span.end()).unwrap_or("");
        let mut ttl = None;
        let mut class = None;
        let mut i = 0;
        while i < tokens.len() && i < 2 {
            let t = tokens[i];
            if t.quoted {
                break;
            }
            let w = word(&t);
            if ttl.is_none() {
                if let Some(v) = fields::ttl(w) {
                    ttl = Some(Spanned::new(v, t.span));
                    i += 1;
                    continue;
                }
            }
            if class.is_none() {
                if let Some(c) = Class::from_text(w) {
                    class = Some(Spanned::new(c, t.span));
                    i += 1;
                    continue;
                }
            }
            break;
        }
        let Some(&t) = tokens.get(i) else {
            return Err(SyntaxError::new(
                Span::at(end),
                "unexpected end of line: expected a record type (A, AAAA, CNAME, MX, TXT, ...)",
            ));
        };
        let w = word(&t);
        if t.quoted {
            return Err(SyntaxError::new(
                t.span,
                format!("unexpected quoted string {w} where the record type should be"),
            ));
        }
        let Some(rtype) = RType::from_text(w) else {
            let hint = if w.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                " (a TTL is a number of seconds below 2^32, optionally with units like 1h30m)"
            } else {
                ""
            };
            return Err(SyntaxError::new(
                t.span,
                format!("unknown RR type '{w}'{hint}"),
            ));
        };
        if rtype.is_meta() {
            return Err(SyntaxError::new(
                t.span,
                format!("invalid use of a meta type: {rtype} cannot appear in a zone"),
            ));
        }
        if rtype.is_obsolete() {
            return Err(SyntaxError::new(
                t.span,
                format!("type '{rtype}' is obsolete (RFC 973): use MX"),
            ));
        }
        Ok(RecordHead {
            ttl,
            class,
            rtype: Spanned::new(rtype, t.span),
            rdata_from: i + 1,
        })
    }
}

/// An error when `resolved` is one of the files being read (`stack`): an `$INCLUDE` cycle,
/// shown by the files' names.
fn check_cycle(
    stack: &[(PathBuf, String)],
    resolved: &Path,
    span: Span,
) -> Result<(), SyntaxError> {
    let Some(pos) = stack.iter().position(|(p, _)| p == resolved) else {
        return Ok(());
    };
    let chain: Vec<&str> = stack[pos..]
        .iter()
        .chain(&stack[pos..=pos])
        .map(|(_, name)| name.as_str())
        .collect();
    Err(SyntaxError::new(
        span,
        format!("$INCLUDE cycle: {}", chain.join(" includes ")),
    ))
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) for cycle detection.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
