//! Domain names: reading the master-file text form (RFC 1035 §5.1, §3.1) and interning the
//! absolute names.
//!
//! A name is labels separated by dots; `\X` stands for the character X and `\DDD` for the
//! octet with decimal value DDD. A label holds at most 63 octets and a name at most 255 in
//! wire form (RFC 1035 §2.3.4), checked the way BIND does. Interned names are kept in one
//! canonical presentation form (see [`super::Zone::name`]) so that equal names get equal ids.

use super::model::NameId;

/// Why a name could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameError {
    /// `\` not followed by a character or by exactly three digits up to 255.
    BadEscape,
    /// Two dots in a row, or a leading dot (`a..b`, `.a`).
    EmptyLabel,
    /// A label longer than 63 octets; carries the length.
    LabelTooLong(usize),
    /// More than 255 octets in wire form, origin included; carries the length.
    NameTooLong(usize),
}

impl NameError {
    pub(crate) fn message(self, text: &str) -> String {
        match self {
            NameError::BadEscape => format!(
                "bad escape in name '{text}': use \\X for a character or \\DDD (three digits, at most 255) for an octet"
            ),
            NameError::EmptyLabel => format!("empty label in name '{text}'"),
            NameError::LabelTooLong(n) => {
                format!("label too long in name '{text}': {n} octets, the limit is 63")
            }
            NameError::NameTooLong(n) => format!(
                "name too long: '{text}' is {n} octets in wire form with the origin appended, the limit is 255"
            ),
        }
    }
}

/// The interner. Names are stored back to back in one string; an open-addressing table
/// maps hashes to ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameTable {
    text: String,
    /// End offset of each name in `text`; a name starts where the previous one ends.
    ends: Vec<u32>,
    /// Wire length of each name (1..=255).
    wire: Vec<u8>,
    /// `hash << 32 | (id + 1)`, 0 when empty. Length is a power of two.
    slots: Vec<u64>,
}

impl NameTable {
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::with_capacity(0)
    }

    /// A table sized for about `names` names, so that a large zone does not rehash while
    /// it is read (each rehash touches every slot at random).
    pub(crate) fn with_capacity(names: usize) -> Self {
        let slots = names
            .saturating_mul(2)
            .clamp(64, 1 << 26)
            .next_power_of_two();
        let mut table = NameTable {
            slots: vec![0; slots],
            ..Default::default()
        };
        table.intern(b".", 1);
        table
    }

    /// The root name, always id 0.
    pub(crate) const ROOT: NameId = NameId(0);

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, id: NameId) -> &str {
        let i = id.0 as usize;
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).map_or(0, |&end| end as usize),
            None => 0,
        };
        let end = self.ends.get(i).map_or(start, |&end| end as usize);
        self.text.get(start..end).unwrap_or("")
    }

    pub(crate) fn wire_len(&self, id: NameId) -> usize {
        self.wire.get(id.0 as usize).map_or(1, |&w| usize::from(w))
    }

    /// Interns a canonical name (ASCII presentation form ending with a dot).
    pub(crate) fn intern(&mut self, canonical: &[u8], wire: u8) -> NameId {
        self.intern_hashed(canonical, wire, hash32(canonical))
    }

    fn intern_hashed(&mut self, canonical: &[u8], wire: u8, hash: u32) -> NameId {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i & mask];
            if slot == 0 {
                break;
            }
            if (slot >> 32) as u32 == hash {
                let id = NameId((slot as u32).wrapping_sub(1));
                if self.get(id).as_bytes() == canonical {
                    return id;
                }
            }
            i = i.wrapping_add(1);
        }
        let id = NameId(self.ends.len() as u32);
        // Canonical names are built from ASCII only, see `push_canonical`.
        self.text
            .push_str(std::str::from_utf8(canonical).unwrap_or(""));
        // Past 4 GiB of names (more than any file within the size limit yields), later
        // names read as empty rather than wrapping around.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.wire.push(wire);
        self.slots[i & mask] = u64::from(hash) << 32 | u64::from(id.0 + 1);
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn find(&self, canonical: &[u8]) -> Option<NameId> {
        let hash = hash32(canonical);
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i & mask];
            if slot == 0 {
                return None;
            }
            if (slot >> 32) as u32 == hash {
                let id = NameId((slot as u32).wrapping_sub(1));
                if self.get(id).as_bytes() == canonical {
                    return Some(id);
                }
            }
            i = i.wrapping_add(1);
        }
    }

    /// Finds a name given as text (relative names are taken as absolute).
    pub(crate) fn find_text(&self, text: &str) -> Option<NameId> {
        let mut buf = Vec::new();
        // Every label is written with its dot, so a relative name reads as absolute.
        canonicalize(text.as_bytes(), &mut buf).ok()?;
        self.find(&buf)
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots = vec![0u64; size];
        for &slot in self.slots.iter().filter(|&&s| s != 0) {
            let mut i = (slot >> 32) as usize & mask;
            while slots[i & mask] != 0 {
                i = i.wrapping_add(1);
            }
            slots[i & mask] = slot;
        }
        self.slots = slots;
    }

    /// Reads a name as written in a master file and interns its absolute form. `@` is the
    /// origin; a name without a trailing dot gets the origin appended.
    /// Reads a name into `buf` in canonical form and hashes it, without interning it yet.
    /// The table slot the name will go to is loaded now: the caller does other work (the
    /// record data) before [`NameTable::intern_prepared`], and that memory access, the main
    /// cost of interning in a large zone, overlaps with it.
    pub(crate) fn prepare(
        &self,
        text: &[u8],
        origin: NameId,
        buf: &mut Vec<u8>,
    ) -> Result<Prepared, NameError> {
        if text == b"@" {
            return Ok(Prepared {
                hash: 0,
                wire: 0,
                kind: NameKind::Origin,
                origin,
            });
        }
        buf.clear();
        let parsed = canonicalize(text, buf)?;
        let (wire, kind) = if parsed.absolute {
            (parsed.wire, NameKind::Absolute)
        } else {
            let wire = parsed.wire - 1 + self.wire_len(origin);
            if wire > 255 {
                return Err(NameError::NameTooLong(wire));
            }
            let origin_text = self.get(origin);
            if origin_text != "." {
                buf.extend_from_slice(origin_text.as_bytes());
            }
            (wire, NameKind::Relative)
        };
        let hash = hash32(buf);
        self.prefetch(hash);
        Ok(Prepared {
            hash,
            wire: wire as u8,
            kind,
            origin,
        })
    }

    /// Asks the CPU to start loading the slot for `hash` into cache.
    #[inline]
    fn prefetch(&self, hash: u32) {
        let slot = self
            .slots
            .as_ptr()
            .wrapping_add(hash as usize & (self.slots.len() - 1));
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it reads nothing and cannot fault, whatever the address
        // (here always one inside `slots`).
        unsafe {
            core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                slot.cast::<i8>(),
            );
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// Interns a name read by [`NameTable::prepare`] into `buf`.
    pub(crate) fn intern_prepared(&mut self, buf: &[u8], prepared: Prepared) -> (NameId, NameKind) {
        match prepared.kind {
            NameKind::Origin => (prepared.origin, NameKind::Origin),
            kind => (self.intern_hashed(buf, prepared.wire, prepared.hash), kind),
        }
    }

    pub(crate) fn parse(
        &mut self,
        text: &[u8],
        origin: NameId,
        buf: &mut Vec<u8>,
    ) -> Result<(NameId, NameKind), NameError> {
        if text == b"@" {
            return Ok((origin, NameKind::Origin));
        }
        buf.clear();
        let parsed = canonicalize(text, buf)?;
        if parsed.absolute {
            return Ok((self.intern(buf, parsed.wire as u8), NameKind::Absolute));
        }
        // Relative: append the origin. Every label already ends with a dot in `buf`.
        let origin_wire = self.wire_len(origin);
        let wire = parsed.wire - 1 + origin_wire;
        if wire > 255 {
            return Err(NameError::NameTooLong(wire));
        }
        let origin_text = self.get(origin);
        if origin_text != "." {
            buf.extend_from_slice(origin_text.as_bytes());
        }
        Ok((self.intern(buf, wire as u8), NameKind::Relative))
    }
}

/// A name read by [`NameTable::prepare`], waiting to be interned.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prepared {
    hash: u32,
    wire: u8,
    kind: NameKind,
    origin: NameId,
}

/// How a parsed name was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameKind {
    Absolute,
    Relative,
    Origin,
}

struct Canonical {
    absolute: bool,
    /// Wire length counting the root octet.
    wire: usize,
}

/// Writes the canonical form of `text`'s labels into `buf`, each label followed by a dot.
/// The root (`.`) is written as `.`.
fn canonicalize(text: &[u8], buf: &mut Vec<u8>) -> Result<Canonical, NameError> {
    if text == b"." {
        buf.push(b'.');
        return Ok(Canonical {
            absolute: true,
            wire: 1,
        });
    }
    // Fast path: plain host names need no escape handling.
    if !text.is_empty() && text.iter().all(|&b| PLAIN[b as usize]) {
        let mut label = 0usize;
        let mut wire = 1usize;
        for &b in text {
            if b == b'.' {
                if label == 0 {
                    return Err(NameError::EmptyLabel);
                }
                wire += label + 1;
                label = 0;
            } else {
                label += 1;
                if label > 63 {
                    return Err(NameError::LabelTooLong(label));
                }
            }
            buf.push(b.to_ascii_lowercase());
        }
        let absolute = label == 0;
        if !absolute {
            wire += label + 1;
            buf.push(b'.');
        }
        if wire > 255 {
            return Err(NameError::NameTooLong(wire));
        }
        return Ok(Canonical { absolute, wire });
    }
    let mut label = 0usize;
    let mut wire = 1usize;
    let mut absolute = false;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        absolute = false;
        let octet = match b {
            b'.' => {
                if label == 0 {
                    return Err(NameError::EmptyLabel);
                }
                wire += label + 1;
                label = 0;
                buf.push(b'.');
                absolute = true;
                i += 1;
                continue;
            }
            b'\\' => {
                let (octet, used) = unescape_at(text, i).ok_or(NameError::BadEscape)?;
                i += used;
                octet
            }
            _ => {
                i += 1;
                b
            }
        };
        label += 1;
        if label > 63 {
            return Err(NameError::LabelTooLong(label));
        }
        push_canonical(buf, octet.to_ascii_lowercase());
    }
    if text.is_empty() {
        return Err(NameError::EmptyLabel);
    }
    if label > 0 {
        wire += label + 1;
        buf.push(b'.');
    }
    if wire > 255 {
        return Err(NameError::NameTooLong(wire));
    }
    Ok(Canonical { absolute, wire })
}

/// Decodes the escape starting at `text[i] == b'\\'`: `\DDD` or `\X`. Returns the octet and
/// the number of bytes used, or `None` for a bad escape (BIND: "bad escape").
pub(crate) fn unescape_at(text: &[u8], i: usize) -> Option<(u8, usize)> {
    let next = *text.get(i + 1)?;
    if next.is_ascii_digit() {
        let d2 = *text.get(i + 2)?;
        let d3 = *text.get(i + 3)?;
        if !d2.is_ascii_digit() || !d3.is_ascii_digit() {
            return None;
        }
        let value = u32::from(next - b'0') * 100 + u32::from(d2 - b'0') * 10 + u32::from(d3 - b'0');
        return u8::try_from(value).ok().map(|v| (v, 4));
    }
    Some((next, 2))
}

fn push_canonical(buf: &mut Vec<u8>, octet: u8) {
    match octet {
        b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' | b' ' => {
            buf.push(b'\\');
            buf.push(octet);
        }
        0x21..=0x7e => buf.push(octet),
        _ => {
            buf.push(b'\\');
            buf.push(b'0' + octet / 100);
            buf.push(b'0' + octet / 10 % 10);
            buf.push(b'0' + octet % 10);
        }
    }
}

/// Bytes that may appear in a name without any escaping in canonical form.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b < 0x7f {
        t[b] = !matches!(b as u8, b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$');
        b += 1;
    }
    t
};

/// FxHash-style multiplicative hash, 8 bytes at a time.
fn hash32(bytes: &[u8]) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    (h >> 32) as u32 ^ h as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(table: &mut NameTable, text: &str, origin: NameId) -> Result<String, NameError> {
        let mut buf = Vec::new();
        table
            .parse(text.as_bytes(), origin, &mut buf)
            .map(|(id, _)| table.get(id).to_owned())
    }

    #[test]
    fn relative_names_get_the_origin_and_absolute_names_do_not() {
        let mut t = NameTable::new();
        let mut buf = Vec::new();
        let (origin, _) = t
            .parse(b"InsightPulseAI.net.", NameTable::ROOT, &mut buf)
            .unwrap();
        assert_eq!(t.get(origin), "insightpulseai.net.");
        assert_eq!(
            parse(&mut t, "insightpulseai.net", origin).unwrap(),
            "insightpulseai.net.insightpulseai.net."
        );
        assert_eq!(
            parse(&mut t, "mxa.mailgun.org.", origin).unwrap(),
            "mxa.mailgun.org."
        );
        assert_eq!(parse(&mut t, "@", origin).unwrap(), "insightpulseai.net.");
        assert_eq!(parse(&mut t, ".", origin).unwrap(), ".");
        assert_eq!(parse(&mut t, "www", NameTable::ROOT).unwrap(), "www.");
    }

    #[test]
    fn escapes_are_decoded_and_written_back_canonically() {
        let mut t = NameTable::new();
        assert_eq!(
            parse(&mut t, "a\\.b.c.", NameTable::ROOT).unwrap(),
            "a\\.b.c."
        );
        assert_eq!(
            parse(&mut t, "a\\046b.", NameTable::ROOT).unwrap(),
            "a\\.b."
        );
        assert_eq!(parse(&mut t, "\\065x.", NameTable::ROOT).unwrap(), "ax.");
        assert_eq!(
            parse(&mut t, "a\\000\\255.", NameTable::ROOT).unwrap(),
            "a\\000\\255."
        );
        assert_eq!(parse(&mut t, "@@.", NameTable::ROOT).unwrap(), "\\@\\@.");
        assert_eq!(
            parse(&mut t, "a\\256.", NameTable::ROOT),
            Err(NameError::BadEscape)
        );
        assert_eq!(
            parse(&mut t, "a\\25x.", NameTable::ROOT),
            Err(NameError::BadEscape)
        );
        assert_eq!(
            parse(&mut t, "a\\", NameTable::ROOT),
            Err(NameError::BadEscape)
        );
    }

    #[test]
    fn label_and_name_limits_are_enforced() {
        let mut t = NameTable::new();
        let l63 = "a".repeat(63);
        assert!(parse(&mut t, &format!("{l63}."), NameTable::ROOT).is_ok());
        assert_eq!(
            parse(&mut t, &format!("{l63}a."), NameTable::ROOT),
            Err(NameError::LabelTooLong(64))
        );
        let long = format!("{l63}.{l63}.{l63}.{}", "b".repeat(61));
        assert!(parse(&mut t, &format!("{long}."), NameTable::ROOT).is_ok());
        assert_eq!(
            parse(&mut t, &format!("{long}b."), NameTable::ROOT),
            Err(NameError::NameTooLong(256))
        );
        let mut buf = Vec::new();
        let (origin, _) = t.parse(b"example.com.", NameTable::ROOT, &mut buf).unwrap();
        assert!(matches!(
            parse(&mut t, &long, origin),
            Err(NameError::NameTooLong(_))
        ));
        assert_eq!(parse(&mut t, "a..b", origin), Err(NameError::EmptyLabel));
        assert_eq!(parse(&mut t, ".a", origin), Err(NameError::EmptyLabel));
        assert_eq!(parse(&mut t, "..", origin), Err(NameError::EmptyLabel));
    }

    #[test]
    fn equal_names_get_one_id_whatever_their_case() {
        let mut t = NameTable::new();
        let mut buf = Vec::new();
        let (a, _) = t
            .parse(b"Mail.Example.COM.", NameTable::ROOT, &mut buf)
            .unwrap();
        let (b, _) = t
            .parse(b"mail.example.com.", NameTable::ROOT, &mut buf)
            .unwrap();
        assert_eq!(a, b);
        for i in 0..5000 {
            t.parse(
                format!("h{i}.example.com.").as_bytes(),
                NameTable::ROOT,
                &mut buf,
            )
            .unwrap();
        }
        assert_eq!(t.find_text("MAIL.example.com"), Some(a));
        assert_eq!(
            t.find_text("h4999.example.com."),
            t.find_text("h4999.example.com")
        );
        assert_eq!(t.find_text("nothere.example.com."), None);
    }
}
