//! Record types and classes: numbers, mnemonics, and the RFC 3597 `TYPEnnn` / `CLASSnnn`
//! forms.
//!
//! The mnemonic table is the IANA "Resource Record (RR) TYPEs" registry as BIND 9.18 knows
//! it (`ANY` is a class in a master file, not a type).

use std::fmt;

/// A record type number (RFC 1035 §3.2.2, IANA registry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RType(pub u16);

impl RType {
    pub const A: RType = RType(1);
    pub const NS: RType = RType(2);
    pub const MD: RType = RType(3);
    pub const MF: RType = RType(4);
    pub const CNAME: RType = RType(5);
    pub const SOA: RType = RType(6);
    pub const NULL: RType = RType(10);
    pub const PTR: RType = RType(12);
    pub const MX: RType = RType(15);
    pub const TXT: RType = RType(16);
    pub const AAAA: RType = RType(28);
    pub const SRV: RType = RType(33);
    pub const DNAME: RType = RType(39);
    pub const OPT: RType = RType(41);
    pub const SPF: RType = RType(99);
    pub const CAA: RType = RType(257);

    /// Reads a mnemonic (any case) or `TYPEnnn`.
    pub fn from_text(text: &str) -> Option<RType> {
        if let Some(n) = numbered(text, "TYPE") {
            return Some(RType(n));
        }
        TYPES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
            .map(|&(_, n)| RType(n))
    }

    /// The mnemonic, if the type has one.
    pub fn mnemonic(self) -> Option<&'static str> {
        TYPES
            .iter()
            .find(|&&(_, n)| n == self.0)
            .map(|&(name, _)| name)
    }

    /// Meta and query types cannot appear in a zone: 0, OPT and 128–255 (RFC 6895 §3.1).
    pub fn is_meta(self) -> bool {
        self.0 == 0 || self == RType::OPT || (128..=255).contains(&self.0)
    }

    /// MD and MF were made obsolete by MX (RFC 973); BIND rejects them.
    pub fn is_obsolete(self) -> bool {
        self == RType::MD || self == RType::MF
    }
}

impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

/// A record class (RFC 1035 §3.2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Class(pub u16);

impl Class {
    pub const IN: Class = Class(1);
    pub const CH: Class = Class(3);
    pub const HS: Class = Class(4);
    pub const NONE: Class = Class(254);
    pub const ANY: Class = Class(255);

    /// Reads `IN`, `CH`/`CHAOS`, `HS`/`HESIOD`, `NONE`, `ANY` (any case) or `CLASSnnn`.
    pub fn from_text(text: &str) -> Option<Class> {
        if let Some(n) = numbered(text, "CLASS") {
            return Some(Class(n));
        }
        CLASSES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
            .map(|&(_, n)| Class(n))
    }

    pub fn mnemonic(self) -> Option<&'static str> {
        CLASSES
            .iter()
            .find(|&&(_, n)| n == self.0)
            .map(|&(name, _)| name)
    }
}

impl Default for Class {
    fn default() -> Self {
        Class::IN
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(name) => f.write_str(name),
            None => write!(f, "CLASS{}", self.0),
        }
    }
}

/// `PREFIXnnn` with a decimal number that fits 16 bits (RFC 3597 §5).
fn numbered(text: &str, prefix: &str) -> Option<u16> {
    let head = text.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let digits = &text[prefix.len()..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .bytes()
        .try_fold(0u32, |n, b| {
            let n = n * 10 + u32::from(b - b'0');
            (n <= u32::from(u16::MAX)).then_some(n)
        })
        .map(|n| n as u16)
}

const CLASSES: &[(&str, u16)] = &[
    ("IN", 1),
    ("CH", 3),
    ("CHAOS", 3),
    ("HS", 4),
    ("HESIOD", 4),
    ("NONE", 254),
    ("ANY", 255),
];

/// Frequent types first: the table is searched in order.
const TYPES: &[(&str, u16)] = &[
    ("A", 1),
    ("AAAA", 28),
    ("CNAME", 5),
    ("MX", 15),
    ("TXT", 16),
    ("NS", 2),
    ("SOA", 6),
    ("PTR", 12),
    ("SRV", 33),
    ("CAA", 257),
    ("MD", 3),
    ("MF", 4),
    ("MB", 7),
    ("MG", 8),
    ("MR", 9),
    ("NULL", 10),
    ("WKS", 11),
    ("HINFO", 13),
    ("MINFO", 14),
    ("RP", 17),
    ("AFSDB", 18),
    ("X25", 19),
    ("ISDN", 20),
    ("RT", 21),
    ("NSAP", 22),
    ("NSAP-PTR", 23),
    ("SIG", 24),
    ("KEY", 25),
    ("PX", 26),
    ("GPOS", 27),
    ("LOC", 29),
    ("NXT", 30),
    ("EID", 31),
    ("NIMLOC", 32),
    ("ATMA", 34),
    ("NAPTR", 35),
    ("KX", 36),
    ("CERT", 37),
    ("A6", 38),
    ("DNAME", 39),
    ("SINK", 40),
    ("OPT", 41),
    ("APL", 42),
    ("DS", 43),
    ("SSHFP", 44),
    ("IPSECKEY", 45),
    ("RRSIG", 46),
    ("NSEC", 47),
    ("DNSKEY", 48),
    ("DHCID", 49),
    ("NSEC3", 50),
    ("NSEC3PARAM", 51),
    ("TLSA", 52),
    ("SMIMEA", 53),
    ("HIP", 55),
    ("NINFO", 56),
    ("RKEY", 57),
    ("TALINK", 58),
    ("CDS", 59),
    ("CDNSKEY", 60),
    ("OPENPGPKEY", 61),
    ("CSYNC", 62),
    ("ZONEMD", 63),
    ("SVCB", 64),
    ("HTTPS", 65),
    ("DSYNC", 66),
    ("HHIT", 67),
    ("BRID", 68),
    ("SPF", 99),
    ("UINFO", 100),
    ("UID", 101),
    ("GID", 102),
    ("UNSPEC", 103),
    ("NID", 104),
    ("L32", 105),
    ("L64", 106),
    ("LP", 107),
    ("EUI48", 108),
    ("EUI64", 109),
    ("TKEY", 249),
    ("TSIG", 250),
    ("IXFR", 251),
    ("AXFR", 252),
    ("MAILB", 253),
    ("MAILA", 254),
    ("URI", 256),
    ("CAA", 257),
    ("AVC", 258),
    ("DOA", 259),
    ("AMTRELAY", 260),
    ("RESINFO", 261),
    ("WALLET", 262),
    ("TA", 32768),
    ("DLV", 32769),
    ("KEYDATA", 65533),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics_and_rfc3597_forms_read_the_same_number() {
        assert_eq!(RType::from_text("aaaa"), Some(RType::AAAA));
        assert_eq!(RType::from_text("TYPE28"), Some(RType::AAAA));
        assert_eq!(RType::from_text("type01"), Some(RType::A));
        assert_eq!(RType::from_text("TYPE65536"), None);
        assert_eq!(RType::from_text("TYPE"), None);
        assert_eq!(RType::from_text("ANY"), None);
        assert_eq!(RType(65534).to_string(), "TYPE65534");
        assert_eq!(Class::from_text("class1"), Some(Class::IN));
        assert_eq!(Class::from_text("chaos"), Some(Class::CH));
        assert_eq!(Class(42).to_string(), "CLASS42");
    }
}
