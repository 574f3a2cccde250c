//! odoo.conf: the parser, the model, and what Odoo 16–18 make of each key and value.
//!
//! Odoo 16.0, 17.0 and 18.0 read their config file in `configmanager.load()`
//! (`odoo/tools/config.py`) with `configparser.RawConfigParser()` and default arguments, then
//! take `p.items('options')`. [`parse`] reproduces CPython's `RawConfigParser._read`
//! (`Lib/configparser.py`) exactly for that configuration:
//!
//! - sections `[name]`, names compared as written (`[Options]` is not `options`), a repeated
//!   section is `DuplicateSectionError`; `[DEFAULT]` may repeat and its keys show in every
//!   section ([`OdooConf::items`]);
//! - `key = value` or `key: value` at the first `=` or `:`; keys lower-cased; key and value
//!   stripped of Python white space;
//! - whole-line comments only: a line whose stripped text starts with `#` or `;`. There are
//!   no inline comments: `workers = 4 ; note` is the value `"4 ; note"`;
//! - a line indented deeper than its key line continues the value (joined with `\n`); empty
//!   lines inside a value are kept, trailing ones dropped; comment lines inside are skipped;
//! - a key without separator, or with an empty name, is a `ParsingError`; content before
//!   any section header is `MissingSectionHeaderError`; a key repeated in a section is
//!   `DuplicateOptionError`. Odoo catches none of these: the server does not start;
//! - no interpolation: `%` is literal;
//! - lines end at `\n`, `\r\n` or a lone `\r` (universal newlines); the file is decoded as
//!   UTF-8 without removing a byte order mark, which therefore breaks line 1.
//!
//! The parser never stops early: it reports every problem as a [`SyntaxError`] and keeps
//! the rest, while [`OdooConf::python_error`] says which exception Python raises.
//!
//! [`options`] holds the option tables of the three versions and [`options::lookup`];
//! [`value`] models how a value is cast, what is truthy, and where `$VAR` is expanded.
//!
//! [`SyntaxError`]: crate::formats::SyntaxError

mod model;
pub mod options;
mod parser;
mod python;
pub mod value;

pub use model::{
    Comment, Entry, OdooConf, PythonError, PythonErrorKind, Section, Separator, DEFAULT_SECTION,
    OPTIONS_SECTION,
};
pub use options::{did_you_mean, lookup, Lookup, OdooVersion, OptionKind, OptionSpec};
pub use parser::{parse, parse_str};
pub use value::{interpret, Interpreted};
