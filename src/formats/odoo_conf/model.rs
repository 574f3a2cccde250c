//! The typed model of an odoo.conf: what `configparser` reads, plus what it throws away
//! (comments, spans, repeated keys and sections) so rules can point at it.

use super::python;
use crate::formats::SyntaxError;
use crate::source::Span;
use std::collections::HashMap;

/// The name of `configparser`'s default section, whose keys every other section inherits.
pub const DEFAULT_SECTION: &str = "DEFAULT";

/// The one section Odoo reads its options from.
pub const OPTIONS_SECTION: &str = "options";

/// A parsed odoo.conf.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OdooConf {
    /// Every `[section]` block in file order, `[DEFAULT]` blocks and repeated names included.
    pub sections: Vec<Section>,
    /// `key = value` lines that come before the first section header. Python refuses the file
    /// at the first of them (`MissingSectionHeaderError`); they are kept so rules can see them.
    pub orphans: Vec<Entry>,
    /// Every whole-line comment, in file order.
    pub comments: Vec<Comment>,
    /// Everything Python's `configparser` refuses in this file, each with a span. Invalid
    /// UTF-8 is not repeated here (the workspace reports it for every file kind) but does
    /// count in [`OdooConf::python_error`].
    pub errors: Vec<SyntaxError>,
    /// The exception `RawConfigParser().read()` raises on this file, if any: the one Odoo
    /// 16–18 dies with at start-up, since `configmanager.load()` catches only `IOError` and
    /// `NoSectionError`.
    pub python_error: Option<PythonError>,
}

/// One `[name]` header and the entries under it, up to the next header.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The name exactly as between the brackets, white space and case kept: `configparser`
    /// compares section names as written, so `[Options]` and `[ options ]` are not `options`.
    pub name: String,
    pub name_span: Span,
    /// The header, `[` through the last `]`.
    pub header_span: Span,
    /// Text after the closing `]` on the header line. Python ignores it silently (there are
    /// no inline comments), so `[options] ; main` is the section `options`.
    pub trailing_span: Option<Span>,
    /// The header through the end of its last entry.
    pub span: Span,
    /// Python's line number of the header (see [`Entry::line`]).
    pub line: usize,
    pub entries: Vec<Entry>,
    /// For a repeated non-default section, the index in [`OdooConf::sections`] of the first
    /// block with this name: Python raises `DuplicateSectionError` here.
    pub duplicate_of: Option<usize>,
}

/// One `key = value` (or `key: value`) entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as `configparser` stores it: lower-cased (`optionxform`), surrounding white
    /// space removed.
    pub key: String,
    /// The key as written.
    pub raw_key: String,
    pub key_span: Span,
    pub separator: Separator,
    pub separator_span: Span,
    /// The value as `configparser` yields it: each line stripped, continuation lines joined
    /// with `\n`, trailing empty lines dropped. No interpolation, no inline comments.
    pub value: String,
    /// From the first character of the value to the end of its last non-empty line; empty,
    /// just after the separator, when the value is empty.
    pub value_span: Span,
    /// The stripped text of each line of the value, first line first: `value` is these joined
    /// with `\n`. Empty lines inside the value have empty spans.
    pub value_lines: Vec<Span>,
    /// The key through the end of the value.
    pub span: Span,
    /// Python's line number of the key (1-based; `\n`, `\r\n` and a lone `\r` each end a
    /// line, as in Python's universal newlines mode). It matches
    /// [`crate::source::SourceFile::line_col`] unless the file uses lone `\r` line ends.
    pub line: usize,
    /// For a key given twice in a section (or in two blocks of the same section), the
    /// `(section index, entry index)` of its first occurrence: Python raises
    /// `DuplicateOptionError` here. `None` for orphans.
    pub duplicate_of: Option<(usize, usize)>,
}

/// The character between a key and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    Equals,
    Colon,
}

impl Separator {
    pub fn as_char(self) -> char {
        match self {
            Separator::Equals => '=',
            Separator::Colon => ':',
        }
    }
}

/// A whole-line comment: a line whose stripped text starts with `#` or `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The stripped line, prefix included.
    pub span: Span,
    /// `#` or `;`.
    pub prefix: char,
    /// Python's line number (see [`Entry::line`]).
    pub line: usize,
}

/// An exception Python's `configparser` raises while reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PythonError {
    pub kind: PythonErrorKind,
    /// The line numbers the exception names: one line, or every bad line of a
    /// `ParsingError`. Python's numbering (see [`Entry::line`]).
    pub lines: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PythonErrorKind {
    /// Content before the first section header (also: a UTF-8 byte order mark, which Python
    /// reads as part of line 1).
    MissingSectionHeader,
    /// A non-default section header given twice.
    DuplicateSection,
    /// A key given twice in one section.
    DuplicateOption,
    /// Lines that are neither a header, `key = value`, a comment nor a continuation; also a
    /// key with an empty name. Collected, and raised at the end of the file.
    Parsing,
    /// The bytes are not UTF-8.
    UnicodeDecode,
}

impl PythonErrorKind {
    /// The Python exception class name.
    pub fn class_name(self) -> &'static str {
        match self {
            PythonErrorKind::MissingSectionHeader => "MissingSectionHeaderError",
            PythonErrorKind::DuplicateSection => "DuplicateSectionError",
            PythonErrorKind::DuplicateOption => "DuplicateOptionError",
            PythonErrorKind::Parsing => "ParsingError",
            PythonErrorKind::UnicodeDecode => "UnicodeDecodeError",
        }
    }
}

impl OdooConf {
    /// Whether Python's `configparser`, as Odoo uses it, reads this file without raising.
    pub fn python_accepts(&self) -> bool {
        self.python_error.is_none()
    }

    /// The first `[options]` section (exact name). When there is none, Odoo 16–18 get
    /// `NoSectionError`, swallow it, and ignore the whole file, other sections included.
    pub fn options(&self) -> Option<&Section> {
        self.section(OPTIONS_SECTION)
    }

    /// Sections whose name is `options` but for case or surrounding white space
    /// (`[Options]`, `[ options ]`): Odoo does not read them.
    pub fn misnamed_options_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| {
            s.name != OPTIONS_SECTION
                && python::strip(&s.name).eq_ignore_ascii_case(OPTIONS_SECTION)
        })
    }

    /// The first section block with exactly this name.
    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Every block with exactly this name, in file order.
    pub fn sections_named<'s, 'n>(&'s self, name: &'n str) -> impl Iterator<Item = &'s Section> + 'n
    where
        's: 'n,
    {
        self.sections.iter().filter(move |s| s.name == name)
    }

    /// Entries of every `[DEFAULT]` block, in file order.
    pub fn defaults(&self) -> impl Iterator<Item = &Entry> {
        self.sections_named(DEFAULT_SECTION)
            .flat_map(|s| s.entries.iter())
    }

    /// What `RawConfigParser.items(name)` returns: the `[DEFAULT]` entries first, then the
    /// section's own, a key set in both taking the section's entry at the default's
    /// position. Repeated keys or blocks behave like Python's dicts (a later entry replaces
    /// an earlier one in place), which is what a non-strict reader sees. `None` when no
    /// section has this name, where Python raises `NoSectionError`; for `DEFAULT`, the
    /// defaults alone.
    pub fn items(&self, name: &str) -> Option<Vec<&Entry>> {
        let mut items: Vec<&Entry> = Vec::new();
        let mut position: HashMap<&str, usize> = HashMap::new();
        for entry in self.defaults() {
            upsert(&mut items, &mut position, entry);
        }
        if name == DEFAULT_SECTION {
            return Some(items);
        }
        let mut found = false;
        for section in self.sections_named(name) {
            found = true;
            for entry in &section.entries {
                upsert(&mut items, &mut position, entry);
            }
        }
        found.then_some(items)
    }

    /// The entries Odoo 16–18 load into their options: `items("options")`.
    pub fn options_items(&self) -> Option<Vec<&Entry>> {
        self.items(OPTIONS_SECTION)
    }

    /// The entry Python's `get(section, key)` would return: the section's own entry for the
    /// (lower-cased) key, else the `[DEFAULT]` one. Repeated keys: the last one.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        let key = python::lower(python::strip(key));
        let own = self
            .sections_named(section)
            .flat_map(|s| s.entries.iter())
            .filter(|e| e.key == key)
            .last();
        own.or_else(|| self.defaults().filter(|e| e.key == key).last())
    }

    /// Every entry in every section, with its section index, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.entries.iter().map(move |e| (i, e)))
    }

    /// The comments on the lines directly above `line` (Python numbering), with no blank or
    /// other line between: the place for a `# ipai-lint: ignore[...]` covering that line.
    pub fn comments_above(&self, line: usize) -> &[Comment] {
        let end = self.comments.partition_point(|c| c.line < line);
        let mut start = end;
        let mut expected = line;
        while start > 0 {
            let Some(previous) = self.comments.get(start - 1) else {
                break;
            };
            if previous.line + 1 != expected {
                break;
            }
            expected = previous.line;
            start -= 1;
        }
        self.comments.get(start..end).unwrap_or(&[])
    }
}

fn upsert<'a>(
    items: &mut Vec<&'a Entry>,
    position: &mut HashMap<&'a str, usize>,
    entry: &'a Entry,
) {
    match position.get(entry.key.as_str()) {
        Some(&at) => {
            if let Some(slot) = items.get_mut(at) {
                *slot = entry;
            }
        }
        None => {
            position.insert(&entry.key, items.len());
            items.push(entry);
        }
    }
}

impl Section {
    /// Whether this is a `[DEFAULT]` block.
    pub fn is_default(&self) -> bool {
        self.name == DEFAULT_SECTION
    }

    /// The entry for a key in this block (lower-cased before comparing); the last one if the
    /// key is repeated, as a non-strict reader keeps it.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        let key = python::lower(python::strip(key));
        self.entries.iter().rfind(|e| e.key == key)
    }

    /// Every entry for a key, in file order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        let key = python::lower(python::strip(key));
        self.entries.iter().filter(move |e| e.key == key)
    }
}

impl Entry {
    /// Whether the value spans several lines.
    pub fn is_multiline(&self) -> bool {
        self.value_lines.len() > 1
    }

    /// The span of text in the value's first line that a reader would take for an inline
    /// comment: ` ;` or ` #` and what follows. `configparser` keeps it in the value
    /// (`workers = 4 ; note` is `"4 ; note"`).
    pub fn inline_comment_lookalike(&self, text: &str) -> Option<Span> {
        let first = *self.value_lines.first()?;
        let line = text.get(first.start()..first.end())?;
        let mut previous: Option<char> = None;
        for (i, c) in line.char_indices() {
            if (c == ';' || c == '#') && (i == 0 || previous.is_some_and(python::is_space)) {
                return Some(Span::new(first.start() + i, first.end()));
            }
            previous = Some(c);
        }
        None
    }
}
