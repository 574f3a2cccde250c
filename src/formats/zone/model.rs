//! The typed zone model: records, directives, comments and errors, each with spans.
//!
//! Spans are byte ranges into the text of the file named by a [`FileId`]: `FileId::ROOT` is
//! the file handed to [`super::parse`] or [`super::load`], the others are `$INCLUDE`d files
//! kept in [`Zone::includes`]. Names are interned: a [`Name`] carries the span of the text as
//! written, how it was written ([`NameForm`]) and a [`NameId`] for the absolute name. Byte
//! strings that may contain escapes (TXT character-strings, CAA values, RFC 3597 data) are
//! stored unescaped in one arena and reached through [`Zone::bytes`].

use std::net::{Ipv4Addr, Ipv6Addr};

use super::names::NameTable;
use super::types::{Class, RType};
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// Which file a span points into. `FileId::ROOT` is the zone file itself; `FileId(n)` for
/// n > 0 is `zone.includes[n - 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const ROOT: FileId = FileId(0);
}

/// An interned absolute domain name; [`Zone::name`] gives its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameId(pub(crate) u32);

impl NameId {
    /// A dense index: every name of a zone has one below [`Zone::name_count`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How a name was written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameForm {
    /// Ends with a dot: `mxa.mailgun.org.`
    Absolute,
    /// No trailing dot: the origin in effect was appended (RFC 1035 §5.1). `www CNAME
    /// insightpulseai.net` is relative, so it means `insightpulseai.net.insightpulseai.net.`
    Relative,
    /// `@`, the origin itself.
    Origin,
    /// A blank owner field: the previous record's owner (RFC 1035 §5.1). The span is empty,
    /// at the start of the record's line.
    Inherited,
}

/// A domain name: the absolute name, where it was written and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The absolute name (see [`Zone::name`]).
    pub id: NameId,
    /// The text as written (for `$GENERATE` records: the template it came from).
    pub span: Span,
    pub form: NameForm,
}

impl Name {
    /// True when the name had no trailing dot and the origin was appended.
    pub fn is_relative(&self) -> bool {
        self.form == NameForm::Relative
    }

    /// The name as written, e.g. `insightpulseai.net` for a relative target.
    pub fn written<'a>(&self, source: &'a SourceFile) -> &'a str {
        source.slice(self.span)
    }
}

/// A value and the span of the text it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub const fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A run of bytes in the zone's data arena; read it with [`Zone::bytes`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bytes {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Bytes {
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Where a record's TTL came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TtlSource {
    /// Written in the record.
    Explicit,
    /// The `$TTL` in effect (RFC 2308 §4).
    Default,
    /// No `$TTL`: the last TTL written in an earlier record (RFC 1035 §5.1; BIND warns
    /// "using RFC1035 TTL semantics").
    Previous,
    /// No `$TTL` and no earlier TTL: an SOA record takes its MINIMUM field (BIND behaviour).
    SoaMinimum,
}

/// A record's TTL in seconds. For an explicit TTL the span covers it; otherwise it is empty,
/// where the TTL would have been written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ttl {
    pub value: u32,
    pub span: Span,
    pub source: TtlSource,
}

/// One resource record.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// From the owner (or the line start for a blank owner) to the end of the rdata.
    pub span: Span,
    pub owner: Name,
    pub ttl: Ttl,
    pub rtype_span: Span,
    pub rdata: RData,
    /// The origin in effect for this record (relative names were completed with it).
    pub origin: NameId,
    pub file: FileId,
    /// The class; the zone's class when none was written.
    pub class: Class,
    pub rtype: RType,
    /// Made by a `$GENERATE` directive; its spans point into the directive.
    pub generated: bool,
}

/// One character-string of a TXT or SPF record (RFC 1035 §3.3): at most 255 octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CharString {
    /// The token as written, quotes included.
    pub span: Span,
    /// The octets after unescaping; `data.len()` is the on-the-wire length.
    pub data: Bytes,
}

/// MX (RFC 1035 §3.3.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mx {
    pub preference: Spanned<u16>,
    pub exchange: Name,
}

/// SOA (RFC 1035 §3.3.13). The four timers accept TTL units (`1h`, `2w`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Soa {
    pub mname: Name,
    pub rname: Name,
    pub serial: Spanned<u32>,
    pub refresh: Spanned<u32>,
    pub retry: Spanned<u32>,
    pub expire: Spanned<u32>,
    pub minimum: Spanned<u32>,
}

/// SRV (RFC 2782).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Srv {
    pub priority: Spanned<u16>,
    pub weight: Spanned<u16>,
    pub port: Spanned<u16>,
    pub target: Name,
}

/// CAA (RFC 8659 §4.1): `flags tag value`. The tag is letters and digits; the value is the
/// unescaped octets of the (usually quoted) value token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Caa {
    pub flags: Spanned<u8>,
    pub tag: Spanned<Bytes>,
    pub value: Spanned<Bytes>,
}

impl Caa {
    /// The issuer-critical flag (RFC 8659 §4.1).
    pub fn is_critical(&self) -> bool {
        self.flags.value & 0x80 != 0
    }
}

/// RFC 3597 generic rdata `\# length hex`, for types this parser does not model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Generic {
    pub length: Spanned<u16>,
    /// The decoded octets; the span covers the hex tokens (empty after `\# 0`).
    pub data: Spanned<Bytes>,
}

/// A token of rdata kept as written, for types this parser knows but does not model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawToken {
    pub span: Span,
    /// The text as written, escapes kept, quotes removed.
    pub text: Bytes,
    pub quoted: bool,
}

/// Record data, typed for the types ipai's rules look at.
///
/// Data written in RFC 3597 generic form (`A \# 4 C0000202`) for one of the modelled types is
/// decoded into the typed variant; the field spans then cover the hex data.
#[derive(Clone, Debug, PartialEq)]
pub enum RData {
    A(Spanned<Ipv4Addr>),
    Aaaa(Spanned<Ipv6Addr>),
    Ns(Name),
    Cname(Name),
    Ptr(Name),
    Dname(Name),
    Mx(Mx),
    Txt(Box<[CharString]>),
    /// Type 99 (RFC 7208 §3.1 deprecates it); same syntax as TXT.
    Spf(Box<[CharString]>),
    Soa(Box<Soa>),
    Srv(Box<Srv>),
    Caa(Box<Caa>),
    /// RFC 3597 generic data of a type not modelled here (including unknown `TYPEnnn`).
    Generic(Box<Generic>),
    /// A known type whose data is not modelled: the tokens as written.
    Raw(Box<[RawToken]>),
}

/// Which variant of [`RData`] a record holds, as a dense index: rules that look at one kind
/// of data reach its records through an index instead of scanning the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RDataKind {
    A,
    Aaaa,
    Ns,
    Cname,
    Ptr,
    Dname,
    Mx,
    Txt,
    Spf,
    Soa,
    Srv,
    Caa,
    Generic,
    Raw,
}

impl RDataKind {
    /// How many kinds there are: `kind as usize` is below it.
    pub const COUNT: usize = RDataKind::Raw as usize + 1;
}

impl RData {
    pub fn kind(&self) -> RDataKind {
        match self {
            RData::A(_) => RDataKind::A,
            RData::Aaaa(_) => RDataKind::Aaaa,
            RData::Ns(_) => RDataKind::Ns,
            RData::Cname(_) => RDataKind::Cname,
            RData::Ptr(_) => RDataKind::Ptr,
            RData::Dname(_) => RDataKind::Dname,
            RData::Mx(_) => RDataKind::Mx,
            RData::Txt(_) => RDataKind::Txt,
            RData::Spf(_) => RDataKind::Spf,
            RData::Soa(_) => RDataKind::Soa,
            RData::Srv(_) => RDataKind::Srv,
            RData::Caa(_) => RDataKind::Caa,
            RData::Generic(_) => RDataKind::Generic,
            RData::Raw(_) => RDataKind::Raw,
        }
    }
}

/// A `$` directive.
#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    pub file: FileId,
    /// The whole directive line(s).
    pub span: Span,
    /// The `$WORD` itself.
    pub keyword: Span,
    pub kind: DirectiveKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DirectiveKind {
    /// `$ORIGIN name` (RFC 1035 §5.1).
    Origin(Name),
    /// `$TTL ttl` (RFC 2308 §4).
    Ttl(Spanned<u32>),
    /// `$INCLUDE file [origin]` (RFC 1035 §5.1). `file` is set when the loader read it.
    Include {
        path: Spanned<String>,
        origin: Option<Name>,
        file: Option<FileId>,
    },
    /// `$GENERATE range lhs [ttl] [class] type rhs` (BIND extension).
    Generate(Box<Generate>),
}

/// A `$GENERATE` directive and the records it made.
#[derive(Clone, Debug, PartialEq)]
pub struct Generate {
    pub start: u32,
    pub stop: u32,
    pub step: u32,
    /// The `start-stop[/step]` token.
    pub range: Span,
    pub lhs: Span,
    pub ttl: Option<Spanned<u32>>,
    pub class: Option<Spanned<Class>>,
    pub rtype: Spanned<RType>,
    pub rhs: Span,
    /// Indexes into [`Zone::records`].
    pub records: std::ops::Range<usize>,
}

/// A `;` comment, kept for inline suppressions. The span starts at the `;` and stops before
/// the line ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Comment {
    pub file: FileId,
    pub span: Span,
}

/// A syntax error in one of the zone's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneError {
    pub file: FileId,
    pub error: SyntaxError,
}

/// A file read through `$INCLUDE`.
#[derive(Clone, Debug)]
pub struct IncludedFile {
    pub source: SourceFile,
    /// The file and `$INCLUDE` directive (index into [`Zone::directives`]) that read it.
    pub from: FileId,
    pub directive: usize,
}

/// An `$INCLUDE` the reader declined to read (see [`super::IncludeReader::refuses`]): not
/// an error in the zone, which the name server may well load, but records ipai did not see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFollowed {
    /// The file holding the directive.
    pub file: FileId,
    /// The path as written in the directive.
    pub path: Spanned<String>,
    /// Why it was not read ("outside the repo").
    pub reason: String,
}

/// A parsed zone.
#[derive(Clone, Debug)]
pub struct Zone {
    /// The origin the zone was parsed with (the zone apex).
    pub origin: NameId,
    /// The zone's class (IN unless the options say otherwise).
    pub class: Class,
    pub records: Vec<Record>,
    pub directives: Vec<Directive>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ZoneError>,
    pub includes: Vec<IncludedFile>,
    /// `$INCLUDE`s the reader declined to read, in file order.
    pub not_followed: Vec<NotFollowed>,
    pub(crate) names: NameTable,
    pub(crate) data: Vec<u8>,
}

impl Zone {
    /// The absolute name in presentation form: lower-case ASCII (names compare
    /// case-insensitively, RFC 4343), a trailing dot, `\X` for `. \ " ( ) ; @ $` and space
    /// and `\DDD` for other octets outside printable ASCII. The root is `.`.
    pub fn name(&self, id: NameId) -> &str {
        self.names.get(id)
    }

    /// The id of an absolute name if any record, directive or rdata of this zone uses it.
    /// `text` is read like a name in the file with the root as origin, so
    /// `"mail.insightpulseai.net"` and `"MAIL.insightpulseai.net."` both work.
    pub fn find_name(&self, text: &str) -> Option<NameId> {
        self.names.find_text(text)
    }

    /// The number of distinct names in the zone.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The octets of a byte run (TXT strings, CAA tag and value, generic data, raw tokens).
    pub fn bytes(&self, bytes: Bytes) -> &[u8] {
        let start = bytes.start as usize;
        self.data.get(start..start + bytes.len()).unwrap_or(&[])
    }

    /// The character-strings of a TXT/SPF record joined without separator, as SPF (RFC 7208
    /// §3.3) and DKIM (RFC 6376 §3.6.2.2) read them.
    pub fn joined(&self, strings: &[CharString]) -> Vec<u8> {
        let mut out = Vec::with_capacity(strings.iter().map(|s| s.data.len()).sum());
        for s in strings {
            out.extend_from_slice(self.bytes(s.data));
        }
        out
    }

    /// The source file a [`FileId`] refers to, given the root file the zone was parsed from.
    pub fn source<'a>(&'a self, root: &'a SourceFile, file: FileId) -> &'a SourceFile {
        match file.0.checked_sub(1) {
            None => root,
            Some(i) => self.includes.get(i as usize).map_or(root, |f| &f.source),
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Records whose owner is `name`. A linear scan: rules that look up many names should
    /// index the records by `owner.id` once.
    pub fn records_at(&self, name: NameId) -> impl Iterator<Item = &Record> + '_ {
        self.records.iter().filter(move |r| r.owner.id == name)
    }
}
