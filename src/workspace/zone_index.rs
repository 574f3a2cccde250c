//! A parsed zone with the indexes its rules need, built in one pass after parsing: records
//! by owner name, records by kind of data, and the TXT records that mail rules read. A rule
//! that looks at MX records walks the MX records, not a million others.

use super::FileId;
use crate::formats::zone::{self, RDataKind};

/// A parsed zone file.
#[derive(Debug)]
pub struct ParsedZone {
    pub file: FileId,
    pub zone: zone::Zone,
    /// Record indexes by owner, so rules look names up without scanning the zone.
    pub by_owner: RecordGroups,
    /// Record indexes by [`RDataKind`].
    pub by_kind: RecordGroups,
    /// TXT records whose text starts `v=` (SPF, DMARC, DKIM…), with their strings joined
    /// as receivers join them: read once here instead of once a rule.
    pub tagged_txt: Vec<(u32, String)>,
    /// TXT records at `<selector>._domainkey.<domain>` (DKIM keys), with their joined text.
    pub dkim_txt: Vec<(u32, String)>,
}

impl ParsedZone {
    pub fn new(file: FileId, zone: zone::Zone) -> Self {
        // Records are large; read each once, into the two keys the indexes sort by.
        let (owners, kinds): (Vec<u32>, Vec<u8>) = zone
            .records
            .iter()
            .map(|r| (r.owner.id.index() as u32, r.rdata.kind() as u8))
            .unzip();
        let by_owner = RecordGroups::new(&owners, zone.name_count());
        let by_kind = RecordGroups::new(&kinds, RDataKind::COUNT);
        let mut tagged_txt = Vec::new();
        let mut dkim_txt = Vec::new();
        for &index in by_kind.get(RDataKind::Txt as usize) {
            let record = &zone.records[index as usize];
            let zone::RData::Txt(strings) = &record.rdata else {
                continue;
            };
            let first = strings
                .first()
                .map_or(&[][..], |s| zone.bytes(s.data))
                .trim_ascii_start();
            let tagged = first.len() < 2 || first[..2].eq_ignore_ascii_case(b"v=");
            let dkim = is_dkim_name(zone.name(record.owner.id));
            if !tagged && !dkim {
                continue;
            }
            let joined = zone.joined(strings);
            let text = String::from_utf8(joined)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
            if tagged && dkim {
                tagged_txt.push((index, text.clone()));
                dkim_txt.push((index, text));
            } else if tagged {
                tagged_txt.push((index, text));
            } else {
                dkim_txt.push((index, text));
            }
        }
        ParsedZone {
            file,
            zone,
            by_owner,
            by_kind,
            tagged_txt,
            dkim_txt,
        }
    }
}

/// Whether a name is a DKIM key's (`<selector>._domainkey.<domain>`, RFC 6376 §3.6.2.1).
fn is_dkim_name(name: &str) -> bool {
    // Most names hold no underscore at all; the byte scan skips them cheaply.
    name.as_bytes().contains(&b'_') && name.contains("._domainkey.")
}

/// Record indexes grouped by a dense key: for key `k`, the indexes
/// `records[offsets[k]..offsets[k + 1]]`, in file order. Two flat arrays, built by a
/// counting sort in two passes, so a million-record zone costs no per-group allocation.
#[derive(Debug, Default)]
pub struct RecordGroups {
    offsets: Vec<u32>,
    records: Vec<u32>,
}

impl RecordGroups {
    /// Groups record indexes by `keys[index]`, each below `count`.
    fn new<K: Copy + Into<u32>>(keys: &[K], count: usize) -> Self {
        let mut offsets = vec![0u32; count + 1];
        for &key in keys {
            offsets[key.into() as usize + 1] += 1;
        }
        for i in 0..count {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut records = vec![0u32; keys.len()];
        for (index, &key) in keys.iter().enumerate() {
            let slot = &mut next[key.into() as usize];
            records[*slot as usize] = index as u32;
            *slot += 1;
        }
        RecordGroups { offsets, records }
    }

    /// Indexes into the zone's records of the group `key`.
    pub fn get(&self, key: usize) -> &[u32] {
        match (self.offsets.get(key), self.offsets.get(key + 1)) {
            (Some(&start), Some(&end)) => &self.records[start as usize..end as usize],
            _ => &[],
        }
    }

    /// The groups holding more than one record, in key order.
    pub fn shared(&self) -> impl Iterator<Item = &[u32]> {
        self.offsets
            .windows(2)
            .filter(|w| w[1] - w[0] > 1)
            .map(|w| &self.records[w[0] as usize..w[1] as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn parsed(text: &str) -> ParsedZone {
        let source = SourceFile::from_text("db.example", text);
        let zone = zone::parse(&source, "example.", &zone::ParseOptions::default());
        ParsedZone::new(0, zone)
    }

    #[test]
    fn groups_records_by_owner_and_kind_in_file_order() {
        let zone = parsed(
            "$TTL 60\nwww A 192.0.2.1\nmail MX 10 mx.example.\nwww A 192.0.2.2\n\
             mail MX 20 mx2.example.\nftp CNAME www\n",
        );
        let www = zone.zone.find_name("www.example.").unwrap();
        assert_eq!(zone.by_owner.get(www.index()), &[0, 2]);
        assert_eq!(zone.by_kind.get(RDataKind::Mx as usize), &[1, 3]);
        assert_eq!(zone.by_kind.get(RDataKind::Cname as usize), &[4]);
        assert!(zone.by_kind.get(RDataKind::Caa as usize).is_empty());
        assert!(zone.by_kind.get(RDataKind::COUNT + 3).is_empty());
        let shared: Vec<&[u32]> = zone.by_owner.shared().collect();
        assert_eq!(shared, vec![&[0, 2][..], &[1, 3][..]]);
    }

    #[test]
    fn reads_tagged_and_dkim_txt_once() {
        let zone = parsed(
            "$TTL 60\n@ TXT \"v=spf1 \" \"-all\"\nnote TXT \"hello\"\n\
             s1._domainkey TXT \"k=rsa; p=AAAA\"\ns2._domainkey TXT \"v=DKIM1; p=\"\n",
        );
        let tagged: Vec<_> = zone
            .tagged_txt
            .iter()
            .map(|(i, t)| (*i, t.as_str()))
            .collect();
        assert_eq!(tagged, vec![(0, "v=spf1 -all"), (3, "v=DKIM1; p=")]);
        let dkim: Vec<_> = zone
            .dkim_txt
            .iter()
            .map(|(i, t)| (*i, t.as_str()))
            .collect();
        assert_eq!(dkim, vec![(2, "k=rsa; p=AAAA"), (3, "v=DKIM1; p=")]);
    }
}
