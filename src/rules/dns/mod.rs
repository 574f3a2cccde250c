//! `DNS`: the zone file's records, checked against RFC 1035/2181 and the stack's sites.

mod cname_and_other_data;
mod cname_at_apex;
mod duplicate_record;
mod mx_target_valid;
mod orphan_host_record;
mod relative_target_name;
mod site_resolves_to_host;

pub use cname_and_other_data::CnameAndOtherData;
pub use cname_at_apex::CnameAtApex;
pub use duplicate_record::DuplicateRecord;
pub use mx_target_valid::MxTargetValid;
pub use orphan_host_record::OrphanHostRecord;
pub use relative_target_name::RelativeTargetName;
pub use site_resolves_to_host::SiteResolvesToHost;

use crate::finding::Location;
use crate::formats::zone::{self, CharString, NameId, RData, RDataKind, Record, Zone};
use crate::rule::Context;
use crate::source::{SourceFile, Span};
use crate::workspace::ParsedZone;

/// One zone file of the workspace.
#[derive(Clone)]
pub(crate) struct ZoneFile<'a> {
    pub source: &'a SourceFile,
    pub zone: &'a Zone,
    parsed: &'a ParsedZone,
}

pub(crate) fn zones<'w>(cx: &Context<'w>) -> impl Iterator<Item = ZoneFile<'w>> + 'w {
    let workspace = cx.workspace;
    workspace.zones.iter().map(move |parsed| ZoneFile {
        source: &workspace.file(parsed.file).source,
        zone: &parsed.zone,
        parsed,
    })
}

impl<'a> ZoneFile<'a> {
    pub fn at(&self, file: zone::FileId, span: Span) -> Location {
        Location::new(&self.zone.source(self.source, file).name, span)
    }

    pub fn record(&self, record: &Record) -> Location {
        self.at(record.file, record.span)
    }

    pub fn owner(&self, record: &Record) -> Location {
        let span = if record.owner.span.is_empty() {
            record.span
        } else {
            record.owner.span
        };
        self.at(record.file, span)
    }

    pub fn name(&self, id: NameId) -> &'a str {
        self.zone.name(id)
    }

    /// The name without its trailing dot, for messages.
    pub fn display(&self, id: NameId) -> &'a str {
        let name = self.name(id);
        name.strip_suffix('.')
            .filter(|n| !n.is_empty())
            .unwrap_or(name)
    }

    /// The records owned by `name`, in the order written.
    pub fn at_name(&self, name: NameId) -> impl Iterator<Item = &'a Record> + 'a {
        self.indexed(self.parsed.by_owner.get(name.index()))
    }

    /// The records holding data of `kind`, in the order written.
    pub fn of_kind(&self, kind: RDataKind) -> impl Iterator<Item = &'a Record> + 'a {
        self.indexed(self.parsed.by_kind.get(kind as usize))
    }

    /// The records of each owner name that has more than one, in the order written.
    pub fn shared_owners(&self) -> impl Iterator<Item = impl Iterator<Item = &'a Record>> + 'a {
        let this = self.clone();
        self.parsed
            .by_owner
            .shared()
            .map(move |group| this.indexed(group))
    }

    /// TXT records at `<selector>._domainkey.<domain>`, with their joined text.
    pub fn dkim_txt(&self) -> impl Iterator<Item = (&'a Record, &'a str)> + 'a {
        self.with_text(&self.parsed.dkim_txt)
    }

    /// TXT records whose text starts `v=`, with their joined text.
    pub fn tagged_txt(&self) -> impl Iterator<Item = (&'a Record, &'a str)> + 'a {
        self.with_text(&self.parsed.tagged_txt)
    }

    fn with_text(
        &self,
        texts: &'a [(u32, String)],
    ) -> impl Iterator<Item = (&'a Record, &'a str)> + 'a {
        let zone = self.zone;
        texts.iter().filter_map(move |(index, text)| {
            zone.records
                .get(*index as usize)
                .map(|r| (r, text.as_str()))
        })
    }

    fn indexed(&self, indexes: &'a [u32]) -> impl Iterator<Item = &'a Record> + 'a {
        let zone = self.zone;
        indexes
            .iter()
            .filter_map(move |&i| zone.records.get(i as usize))
    }

    /// A TXT record's text: its character-strings joined, as SPF, DMARC and DKIM read them.
    pub fn txt(&self, record: &Record) -> Option<String> {
        match &record.rdata {
            RData::Txt(strings) => {
                Some(String::from_utf8_lossy(&self.zone.joined(strings)).into_owned())
            }
            _ => None,
        }
    }

    /// TXT records at `name`, with their joined text.
    pub fn txt_at(&self, name: NameId) -> Vec<(&'a Record, String)> {
        self.at_name(name)
            .filter_map(|r| self.txt(r).map(|t| (r, t)))
            .collect()
    }

    /// Where a byte range of a TXT record's joined text is written. Exact when the range
    /// falls in one character-string written without escapes; the record's data otherwise.
    pub fn txt_location(&self, record: &Record, range: std::ops::Range<usize>) -> Location {
        let RData::Txt(strings) = &record.rdata else {
            return self.record(record);
        };
        let mut offset = 0;
        for string in strings.iter() {
            let len = string.data.len();
            if range.start >= offset && range.end <= offset + len && plain(string) {
                let quote = usize::from(
                    self.source_text(record)
                        .get(string.span.start()..)
                        .is_some_and(|t| t.starts_with('"')),
                );
                let start = string.span.start() + quote + (range.start - offset);
                return self.at(record.file, Span::new(start, start + range.len()));
            }
            offset += len;
        }
        let first = strings.first().map_or(record.span, |s| s.span);
        let last = strings.last().map_or(record.span, |s| s.span);
        self.at(record.file, first.to(last))
    }

    fn source_text(&self, record: &Record) -> &'a str {
        &self.zone.source(self.source, record.file).text
    }

    /// The in-zone records of `name` and, following CNAMEs inside the zone, the name the
    /// chain ends at (at most 8 steps).
    pub fn resolve(&self, name: NameId) -> (NameId, Vec<&'a Record>) {
        let mut current = name;
        let mut chain = Vec::new();
        for _ in 0..8 {
            let cname = self.at_name(current).find_map(|r| match &r.rdata {
                RData::Cname(target) => Some((r, target.id)),
                _ => None,
            });
            match cname {
                Some((record, target)) => {
                    chain.push(record);
                    current = target;
                }
                None => break,
            }
        }
        (current, chain)
    }

    /// Whether `name` is the apex or below it.
    pub fn in_zone(&self, name: &str) -> bool {
        let apex = self.name(self.zone.origin);
        let name = name.to_ascii_lowercase();
        apex == "." || name == apex || name.ends_with(&format!(".{apex}"))
    }
}

/// Whether a character-string is written as its data, byte for byte (no escapes).
fn plain(string: &CharString) -> bool {
    let written = string.span.len();
    let data = string.data.len();
    written == data || written == data + 2
}

/// `host` as an absolute, lower-case name with its trailing dot.
pub(crate) fn absolute(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    if host.ends_with('.') {
        host
    } else {
        format!("{host}.")
    }
}

/// A record's data in a form two copies of one record share, however each was written:
/// names by their case-folded absolute form (RFC 4343), numbers and addresses by value,
/// character-strings by their octets; data ipai does not model, by its tokens as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DataKey<'a> {
    Names(Vec<u32>, Vec<NameId>),
    Octets(Vec<&'a [u8]>),
    Written(Vec<&'a str>),
}

impl ZoneFile<'_> {
    pub fn data_key<'s>(&'s self, record: &'s Record) -> DataKey<'s> {
        let zone = self.zone;
        match &record.rdata {
            RData::A(a) => DataKey::Names(
                u32::from(a.value).to_be_bytes().map(u32::from).to_vec(),
                Vec::new(),
            ),
            RData::Aaaa(a) => DataKey::Names(
                a.value.segments().iter().map(|s| u32::from(*s)).collect(),
                Vec::new(),
            ),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) | RData::Dname(n) => {
                DataKey::Names(Vec::new(), vec![n.id])
            }
            RData::Mx(mx) => {
                DataKey::Names(vec![u32::from(mx.preference.value)], vec![mx.exchange.id])
            }
            RData::Srv(srv) => DataKey::Names(
                vec![
                    u32::from(srv.priority.value),
                    u32::from(srv.weight.value),
                    u32::from(srv.port.value),
                ],
                vec![srv.target.id],
            ),
            RData::Soa(soa) => DataKey::Names(
                vec![
                    soa.serial.value,
                    soa.refresh.value,
                    soa.retry.value,
                    soa.expire.value,
                    soa.minimum.value,
                ],
                vec![soa.mname.id, soa.rname.id],
            ),
            RData::Txt(strings) | RData::Spf(strings) => {
                DataKey::Octets(strings.iter().map(|s| zone.bytes(s.data)).collect())
            }
            RData::Caa(caa) => DataKey::Octets(vec![
                std::slice::from_ref(&caa.flags.value),
                zone.bytes(caa.tag.value),
                zone.bytes(caa.value.value),
            ]),
            RData::Generic(generic) => DataKey::Octets(vec![zone.bytes(generic.data.value)]),
            RData::Raw(tokens) => {
                let source = zone.source(self.source, record.file);
                DataKey::Written(
                    tokens
                        .iter()
                        .map(|t| source.text.get(t.span.start()..t.span.end()).unwrap_or(""))
                        .collect(),
                )
            }
        }
    }
}
