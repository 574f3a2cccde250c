//! DNS zone files in the master file format (RFC 1035 §5), with a span on every token.
//!
//! [`parse`] reads one file; [`load`] also follows `$INCLUDE` through an [`IncludeReader`].
//! Both return a [`Zone`]: the records in file order with typed rdata, the directives, every
//! `;` comment (for inline suppressions), and the syntax errors. Parsing never stops at an
//! error: the entry is dropped and parsing resumes with the next entry.
//!
//! What is accepted, and what is an error, follows BIND 9.18 `named-checkzone` (checked by
//! `tests/zone_differential.rs`):
//! - RFC 1035 §5.1: `$ORIGIN`, `$INCLUDE file [origin]`, `@`, relative and absolute names,
//!   blank owners, parentheses across lines, `;` comments, quoted strings, `\X` and `\DDD`
//!   escapes; labels of at most 63 and names of at most 255 octets (RFC 1035 §2.3.4).
//! - RFC 2308 §4: `$TTL`; TTL units (`1h30m`, `2W`), the BIND extension.
//! - TTL and class in either order; the class must be the zone's (IN by default).
//! - RFC 3597: `TYPEnnn`, `CLASSnnn` and generic rdata `\# length hex`.
//! - `$GENERATE` (BIND extension), see [`Generate`].
//! - Record data of A, AAAA, NS, CNAME, PTR, DNAME, MX, TXT, SPF, SOA, SRV and CAA (RFC 8659
//!   §4.1) is typed; other known types keep their tokens ([`RData::Raw`]), checked field by
//!   field where ipai knows the type's format (SVCB and HTTPS, RFC 9460, and the types listed
//!   in `checks.rs`) as BIND does.
//!
//! Parsers never judge policy: whether a relative CNAME target repeats the origin, whether
//! a TXT string is an SPF record, and so on, is for rules. The model keeps what they need:
//! [`Name::form`] says whether a name was relative, [`Zone::name`] gives the absolute name,
//! [`CharString`] keeps each TXT string's span and length.
//!
//! The parser is linear in the input and keeps memory compact: tokens are spans, names are
//! interned once, byte strings live in one arena.

mod builder;
mod checks;
mod codec;
mod fields;
mod generate;
mod lexer;
mod loc;
mod model;
mod names;
mod naptr;
mod parser;
mod present;
mod rdata;
mod svcb;
mod types;

use std::io;
use std::path::{Path, PathBuf};

pub use model::{
    Bytes, Caa, CharString, Comment, Directive, DirectiveKind, FileId, Generate, Generic,
    IncludedFile, Mx, Name, NameForm, NameId, NotFollowed, RData, RDataKind, RawToken, Record, Soa,
    Spanned, Srv, Ttl, TtlSource, Zone, ZoneError,
};
pub use types::{Class, RType};

use crate::source::SourceFile;

/// Options for [`parse`] and [`load`].
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// The zone's class; records of another class are errors (BIND: "class 'CH' != zone
    /// class 'IN'").
    pub class: Class,
    /// Relative `$INCLUDE` paths are joined to this directory. `None`: the directory of the
    /// including file. (BIND uses its working directory; run `named-checkzone` from the
    /// zone's directory to compare.)
    pub include_dir: Option<PathBuf>,
    /// Where a relative `$INCLUDE` path is looked for when no file is at its place under
    /// `include_dir` (or the including file's directory): a repo's root, which is what a
    /// name server whose `directory` is the checkout would read.
    pub include_fallback_dir: Option<PathBuf>,
    /// How many files deep `$INCLUDE` may nest.
    pub max_include_depth: usize,
    /// How many files `$INCLUDE` may read in total.
    pub max_includes: usize,
    /// How many records `$GENERATE` may make in total.
    pub max_generated_records: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            class: Class::IN,
            include_dir: None,
            include_fallback_dir: None,
            max_include_depth: 16,
            max_includes: 256,
            max_generated_records: 65_536,
        }
    }
}

/// Reads the files named by `$INCLUDE`. Implemented for closures, so tests can serve files
/// from memory or a temporary directory.
pub trait IncludeReader {
    fn read(&mut self, path: &Path) -> io::Result<SourceFile>;

    /// Why the file at `path` is not to be read at all (it lies outside the files the
    /// reader may show, say), or `None`. A refused include is kept in
    /// [`Zone::not_followed`], not reported as an error: the name server may read it.
    fn refuses(&mut self, path: &Path) -> Option<String> {
        let _ = path;
        None
    }
}

impl<F: FnMut(&Path) -> io::Result<SourceFile>> IncludeReader for F {
    fn read(&mut self, path: &Path) -> io::Result<SourceFile> {
        self(path)
    }
}

/// Reads included files from disk; each is named by its path as resolved.
///
/// Only regular files up to [`FsReader::MAX_BYTES`] are read, so `$INCLUDE /dev/zero` cannot
/// exhaust memory. [`FsReader::within`] also refuses files outside a directory (after
/// resolving symbolic links), so a zone in a repository cannot pull `/etc/shadow` into error
/// messages.
#[derive(Clone, Debug, Default)]
pub struct FsReader {
    root: Option<PathBuf>,
}

impl FsReader {
    /// The largest file read (256 MiB).
    pub const MAX_BYTES: u64 = 256 << 20;

    /// Reads any regular file.
    pub fn new() -> Self {
        FsReader { root: None }
    }

    /// Reads only regular files inside `root`.
    pub fn within(root: impl Into<PathBuf>) -> Self {
        FsReader {
            root: Some(root.into()),
        }
    }
}

impl IncludeReader for FsReader {
    fn read(&mut self, path: &Path) -> io::Result<SourceFile> {
        if let Some(root) = &self.root {
            let real = path.canonicalize()?;
            if !real.starts_with(root.canonicalize()?) {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!("outside {}", root.display()),
                ));
            }
        }
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        if meta.len() > Self::MAX_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("larger than {} MiB", Self::MAX_BYTES >> 20),
            ));
        }
        SourceFile::read(path.display().to_string(), path)
    }
}

/// Parses one zone file. `origin` is the zone apex (`"insightpulseai.net"`; a trailing dot
/// is optional). `$INCLUDE` directives are recorded but not followed; use [`load`].
pub fn parse(source: &SourceFile, origin: &str, opts: &ParseOptions) -> Zone {
    parser::Parser::new(opts, None).run(source, &absolute(origin))
}

/// Parses a zone file and the files it includes.
pub fn load(
    source: &SourceFile,
    origin: &str,
    opts: &ParseOptions,
    reader: &mut dyn IncludeReader,
) -> Zone {
    parser::Parser::new(opts, Some(reader)).run(source, &absolute(origin))
}

fn absolute(origin: &str) -> String {
    if origin.ends_with('.') && !origin.ends_with("\\.") {
        origin.to_owned()
    } else {
        format!("{origin}.")
    }
}
