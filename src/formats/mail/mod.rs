//! Mail-authentication records read from TXT data: SPF (RFC 7208), DMARC (RFC 9989) and
//! DKIM keys (RFC 6376). Each parser takes the record's text (its character-strings joined,
//! as receivers join them) and keeps byte ranges into that text.

pub mod dkim;
pub mod dmarc;
pub mod spf;
mod tags;

pub use tags::{parse_tags, Tag};
