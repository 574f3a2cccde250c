//! The line machine of CPython's `RawConfigParser._read` (Lib/configparser.py), with the
//! defaults Odoo uses: delimiters `=` and `:`, whole-line comments `#` and `;`, no inline
//! comments, `strict=True`, `empty_lines_in_values=True`, `allow_no_value=False`, default
//! section `DEFAULT`, no interpolation.
//!
//! Python stops at the first `MissingSectionHeaderError`, `DuplicateSectionError` or
//! `DuplicateOptionError` and collects `ParsingError`s until the end of the file. This parser
//! reads on past all of them, reports each, and records in [`OdooConf::python_error`] which
//! exception Python would raise.

use super::model::{
    Comment, Entry, OdooConf, PythonError, PythonErrorKind, Section, Separator, DEFAULT_SECTION,
};
use super::python;
use crate::formats::SyntaxError;
use crate::source::{Encoding, SourceFile, Span};
use std::collections::HashMap;

/// Python's `TextIOWrapper` decodes files in chunks of this many bytes; a decoding error
/// surfaces when the chunk holding the bad byte is read.
const PYTHON_READ_CHUNK: usize = 8192;

/// Parses an odoo.conf the way Odoo 16–18 read it.
pub fn parse(file: &SourceFile) -> OdooConf {
    let mut parser = Parser::new(&file.text);
    parser.run();
    let Parser {
        mut conf,
        fatal,
        parse_error_lines,
        ..
    } = parser;

    let mut fatal = fatal;
    if file.encoding == Encoding::Utf8WithBom {
        conf.errors.insert(
            0,
            SyntaxError::new(
                Span::at(0),
                "the file starts with a UTF-8 byte order mark: Python reads it as part of line \
                 1, finds no section header there and refuses the file \
                 (MissingSectionHeaderError), so Odoo does not start",
            )
            .with_help("save the file as UTF-8 without a byte order mark"),
        );
        fatal = Some(Fatal {
            kind: PythonErrorKind::MissingSectionHeader,
            line: 1,
            end: 0,
        });
    }

    conf.python_error = match (file.encoding, fatal) {
        (Encoding::Lossy { first_invalid_byte }, fatal) => {
            // Lines of the chunks before the bad one are read (and may raise) first. Offsets
            // in the text are byte offsets up to the first invalid byte (ignoring a byte
            // order mark, which `SourceFile` does not report for such files).
            let bad_chunk_start = first_invalid_byte / PYTHON_READ_CHUNK * PYTHON_READ_CHUNK;
            match fatal {
                Some(f) if f.end <= bad_chunk_start => Some(f.into_error()),
                _ => Some(PythonError {
                    kind: PythonErrorKind::UnicodeDecode,
                    lines: Vec::new(),
                }),
            }
        }
        (_, Some(f)) => Some(f.into_error()),
        (_, None) if !parse_error_lines.is_empty() => Some(PythonError {
            kind: PythonErrorKind::Parsing,
            lines: parse_error_lines,
        }),
        (_, None) => None,
    };
    conf
}

/// Parses text already in memory (no encoding to check).
pub fn parse_str(text: &str) -> OdooConf {
    parse(&SourceFile::from_text("odoo.conf", text))
}

/// The first exception Python raises immediately.
#[derive(Clone, Copy)]
struct Fatal {
    kind: PythonErrorKind,
    line: usize,
    /// Byte offset where the line (with its line end) ends.
    end: usize,
}

impl Fatal {
    fn into_error(self) -> PythonError {
        PythonError {
            kind: self.kind,
            lines: vec![self.line],
        }
    }
}

/// Where continuation lines go: Python's `cursect[optname]`.
#[derive(Clone, Copy)]
enum Slot {
    Orphan(usize),
    Entry(usize, usize),
}

struct Parser<'t> {
    text: &'t str,
    conf: OdooConf,
    /// Python's `cursect`: the block new entries go to.
    cursect: Option<usize>,
    /// Python's `optname`, when truthy: the entry a continuation line extends.
    current: Option<Slot>,
    indent_level: usize,
    /// First block of each non-default section name.
    seen_sections: HashMap<String, usize>,
    /// First entry of each (section name, key).
    seen_keys: HashMap<(usize, String), (usize, usize)>,
    /// Identifies the current section's name in `seen_keys` without copying it: the index of
    /// the name's first block, or `usize::MAX` for `DEFAULT`.
    cursect_id: usize,
    fatal: Option<Fatal>,
    parse_error_lines: Vec<usize>,
}

struct Line<'t> {
    number: usize,
    /// Offset of the line's first byte.
    start: usize,
    /// Offset just past the line end.
    next: usize,
    raw: &'t str,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser {
            text,
            conf: OdooConf::default(),
            cursect: None,
            current: None,
            indent_level: 0,
            seen_sections: HashMap::new(),
            seen_keys: HashMap::new(),
            cursect_id: usize::MAX,
            fatal: None,
            parse_error_lines: Vec::new(),
        }
    }

    fn run(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut number = 0;
        while start < bytes.len() {
            number += 1;
            let end = bytes
                .get(start..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
                .map_or(bytes.len(), |at| start + at);
            let next = match bytes.get(end) {
                Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
                Some(_) => end + 1,
                None => end,
            };
            // Line ends are ASCII, so both offsets are character boundaries.
            let raw = text.get(start..end).unwrap_or("");
            self.line(Line {
                number,
                start,
                next,
                raw,
            });
            start = next;
        }
        self.finish();
    }

    fn line(&mut self, line: Line<'t>) {
        let (s, e) = python::strip_range(line.raw);
        let content_span = Span::new(line.start + s, line.start + e);
        let content = line.raw.get(s..e).unwrap_or("");

        if content.starts_with('#') || content.starts_with(';') {
            let prefix = if content.starts_with('#') { '#' } else { ';' };
            self.conf.comments.push(Comment {
                span: content_span,
                prefix,
                line: line.number,
            });
            return;
        }
        if content.is_empty() {
            // An empty line belongs to the value being read (joined as "\n", trailing ones
            // dropped at the end); it does not end it.
            if let Some(slot) = self.current {
                self.push_value_line(slot, Span::at(line.start));
            }
            return;
        }

        let indent = line.raw.get(..s).unwrap_or("").chars().count();
        if let Some(slot) = self.current {
            if indent > self.indent_level {
                self.push_value_line(slot, content_span);
                return;
            }
        }
        self.indent_level = indent;

        if let Some(name_end) = section_header_end(content) {
            self.section(&line, content_span, name_end);
            return;
        }

        let first_orphan = self.cursect.is_none() && !self.missing_header_seen();
        if first_orphan {
            self.error(
                content_span,
                format!(
                    "file contains no section header before this line: Python's configparser \
                     refuses the file (MissingSectionHeaderError, line {})",
                    line.number
                ),
                "start the file with `[options]`: Odoo reads its settings from that section only",
            );
            self.set_fatal(PythonErrorKind::MissingSectionHeader, &line);
        }

        match split_option(content) {
            Some((key_end, separator_at)) => {
                self.option(&line, content_span, key_end, separator_at)
            }
            None => {
                if !first_orphan {
                    self.parse_error(&line, content_span, content);
                }
            }
        }
    }

    fn missing_header_seen(&self) -> bool {
        self.fatal
            .is_some_and(|f| f.kind == PythonErrorKind::MissingSectionHeader)
    }

    fn section(&mut self, line: &Line<'t>, header_span: Span, name_end: usize) {
        let content = self
            .text
            .get(header_span.start()..header_span.end())
            .unwrap_or("");
        let name = content.get(1..name_end).unwrap_or("").to_owned();
        let name_span = Span::new(header_span.start() + 1, header_span.start() + name_end);
        let bracket_end = header_span.start() + name_end + 1;
        let trailing_span = (bracket_end < header_span.end()).then(|| {
            let rest = self.text.get(bracket_end..header_span.end()).unwrap_or("");
            let (s, _) = python::strip_range(rest);
            Span::new(bracket_end + s, header_span.end())
        });
        let index = self.conf.sections.len();

        let mut duplicate_of = None;
        if name != DEFAULT_SECTION {
            match self.seen_sections.get(&name) {
                Some(&first) => {
                    duplicate_of = Some(first);
                    let first_line = self.conf.sections.get(first).map_or(0, |s| s.line);
                    self.error(
                        name_span,
                        format!(
                            "section {} already exists (first on line {first_line}): Python's \
                             configparser refuses the file (DuplicateSectionError)",
                            python::repr_short(&name)
                        ),
                        "merge the two blocks into one section",
                    );
                    self.set_fatal(PythonErrorKind::DuplicateSection, line);
                }
                None => {
                    self.seen_sections.insert(name.clone(), index);
                }
            }
        }

        self.cursect_id = if name == DEFAULT_SECTION {
            usize::MAX
        } else {
            duplicate_of.unwrap_or(index)
        };
        self.conf.sections.push(Section {
            name,
            name_span,
            header_span: Span::new(header_span.start(), bracket_end),
            trailing_span,
            span: header_span,
            line: line.number,
            entries: Vec::new(),
            duplicate_of,
        });
        self.cursect = Some(index);
        self.current = None;
    }

    fn option(&mut self, line: &Line<'t>, content_span: Span, key_end: usize, separator_at: usize) {
        let base = content_span.start();
        let content = self
            .text
            .get(content_span.start()..content_span.end())
            .unwrap_or("");
        let raw_key = content.get(..key_end).unwrap_or("");
        let key = python::lower(raw_key);
        let separator = if content.as_bytes().get(separator_at) == Some(&b':') {
            Separator::Colon
        } else {
            Separator::Equals
        };
        let rest = content.get(separator_at + 1..).unwrap_or("");
        let (vs, ve) = python::strip_range(rest);
        let value_start = base + separator_at + 1 + vs;
        let first_value_line = Span::new(value_start, base + separator_at + 1 + ve);

        if key.is_empty() {
            self.error(
                Span::new(base, base + separator_at + 1),
                format!(
                    "option name is empty: Python's configparser refuses the file \
                     (ParsingError, line {})",
                    line.number
                ),
                "write the option name before the separator: `key = value`",
            );
            self.parse_error_lines.push(line.number);
        }

        let mut entry = Entry {
            key,
            raw_key: raw_key.to_owned(),
            key_span: Span::new(base, base + key_end),
            separator,
            separator_span: Span::new(base + separator_at, base + separator_at + 1),
            value: String::new(),
            value_span: first_value_line,
            value_lines: vec![first_value_line],
            span: Span::new(base, content_span.end()),
            line: line.number,
            duplicate_of: None,
        };
        let truthy_name = !entry.key.is_empty();

        let Some(section_index) = self.cursect else {
            let index = self.conf.orphans.len();
            self.conf.orphans.push(entry);
            self.current = truthy_name.then_some(Slot::Orphan(index));
            return;
        };
        let entry_index = self
            .conf
            .sections
            .get(section_index)
            .map_or(0, |s| s.entries.len());
        let seen_key = (self.cursect_id, entry.key.clone());
        match self.seen_keys.get(&seen_key) {
            Some(&(first_section, first_entry)) => {
                let section_name = self
                    .conf
                    .sections
                    .get(section_index)
                    .map_or("", |s| s.name.as_str());
                entry.duplicate_of = Some((first_section, first_entry));
                let first_line = self
                    .conf
                    .sections
                    .get(first_section)
                    .and_then(|s| s.entries.get(first_entry))
                    .map_or(0, |e| e.line);
                self.error(
                    entry.key_span,
                    format!(
                        "option {} in section {} already exists (first set on line \
                         {first_line}): Python's configparser refuses the file \
                         (DuplicateOptionError)",
                        python::repr_short(&entry.key),
                        python::repr_short(section_name)
                    ),
                    "keep only one of the two lines",
                );
                self.set_fatal(PythonErrorKind::DuplicateOption, line);
            }
            None => {
                self.seen_keys
                    .insert(seen_key, (section_index, entry_index));
            }
        }
        if let Some(section) = self.conf.sections.get_mut(section_index) {
            section.entries.push(entry);
        }
        self.current = truthy_name.then_some(Slot::Entry(section_index, entry_index));
    }

    fn parse_error(&mut self, line: &Line<'t>, span: Span, content: &str) {
        let (message, help) = if content.starts_with('[') {
            (
                "section header is not closed",
                "close it with `]`: `[options]`",
            )
        } else {
            (
                "line is not `key = value`, a `[section]` header or a comment",
                "write `key = value`; a comment needs `#` or `;` at the start of its line",
            )
        };
        self.error(
            span,
            format!(
                "{message}: Python's configparser refuses the file (ParsingError, line {})",
                line.number
            ),
            help,
        );
        self.parse_error_lines.push(line.number);
    }

    fn push_value_line(&mut self, slot: Slot, span: Span) {
        let entry = match slot {
            Slot::Orphan(i) => self.conf.orphans.get_mut(i),
            Slot::Entry(s, i) => self
                .conf
                .sections
                .get_mut(s)
                .and_then(|s| s.entries.get_mut(i)),
        };
        if let Some(entry) = entry {
            entry.value_lines.push(span);
        }
    }

    fn error(&mut self, span: Span, message: String, help: &str) {
        self.conf
            .errors
            .push(SyntaxError::new(span, message).with_help(help));
    }

    fn set_fatal(&mut self, kind: PythonErrorKind, line: &Line<'t>) {
        if self.fatal.is_none() {
            self.fatal = Some(Fatal {
                kind,
                line: line.number,
                end: line.next,
            });
        }
    }

    /// Joins each value as `configparser` does, and closes the spans.
    fn finish(&mut self) {
        let text = self.text;
        for entry in &mut self.conf.orphans {
            finish_entry(text, entry);
        }
        for section in &mut self.conf.sections {
            for entry in &mut section.entries {
                finish_entry(text, entry);
            }
            if let Some(last) = section.entries.last() {
                section.span = section.span.to(last.span);
            }
        }
    }
}

fn finish_entry(text: &str, entry: &mut Entry) {
    // `'\n'.join(lines).rstrip()`: every line is stripped already, so only trailing empty
    // lines go. The first line stays, even empty, as the value's anchor.
    while entry.value_lines.len() > 1 && entry.value_lines.last().is_some_and(|s| s.is_empty()) {
        entry.value_lines.pop();
    }
    let mut value = String::new();
    for (i, span) in entry.value_lines.iter().enumerate() {
        if i > 0 {
            value.push('\n');
        }
        value.push_str(text.get(span.start()..span.end()).unwrap_or(""));
    }
    entry.value = value;
    if let (Some(first), Some(last)) = (entry.value_lines.first(), entry.value_lines.last()) {
        entry.value_span = Span::new(first.start(), last.end().max(first.start()));
    }
    entry.span = Span::new(
        entry.key_span.start(),
        entry.value_span.end().max(entry.separator_span.end()),
    );
}

/// `SECTCRE` (`\[(?P<header>.+)\]`, matched at the start of the stripped line): the byte
/// offset of the `]` that closes the name, the last one on the line with at least one
/// character before it.
fn section_header_end(content: &str) -> Option<usize> {
    if !content.starts_with('[') {
        return None;
    }
    let close = content.rfind(']')?;
    (close >= 2).then_some(close)
}

/// `OPTCRE` (`(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`): the end of the key and the
/// offset of the separator, the first `=` or `:` on the line.
fn split_option(content: &str) -> Option<(usize, usize)> {
    let separator_at = content.find(['=', ':'])?;
    let key = content.get(..separator_at)?;
    let key_end = key.trim_end_matches(python::is_space).len();
    Some((key_end, separator_at))
}
