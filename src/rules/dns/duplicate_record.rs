use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::Record;
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a record that repeats another: same owner, class, type and data (the TTL
    /// aside).
    ///
    /// ## Why is this bad?
    /// An RRset is a set: the duplicate is dropped when the zone loads, so it is dead text
    /// that hides edits (changing one copy changes nothing). Duplicates with different TTLs
    /// make the TTL of the set ambiguous.
    ///
    /// ## Example
    /// ```text
    /// erp  IN A 178.128.112.214
    /// erp  IN A 178.128.112.214
    /// ```
    ///
    /// ## Fix
    /// Delete the repeated record.
    ///
    /// ## Source
    /// RFC 2181 §5 "Resource Record Sets" (<https://www.rfc-editor.org/rfc/rfc2181#section-5>).
    pub struct DuplicateRecord {
        code: "DNS005",
        name: "duplicate-record",
        severity: Warning,
    }
}

impl Rule for DuplicateRecord {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in zones(cx) {
            // Duplicates share an owner: each record is looked up among the earlier ones of
            // its name by class, type and data (names case-folded, numbers by value), so a
            // name with many records costs one hash each, not a comparison with every
            // earlier one.
            for group in file.shared_owners() {
                let mut earlier: FastHashMap<_, &Record> = FastHashMap::default();
                for record in group {
                    let key = (record.class, record.rtype, file.data_key(record));
                    let first = match earlier.entry(key) {
                        std::collections::hash_map::Entry::Occupied(seen) => Some(*seen.get()),
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(record);
                            None
                        }
                    };
                    if let Some(first) = first {
                        findings.push(
                            Finding::new(
                                &Self::META,
                                file.record(record),
                                format!(
                                    "this {} record of `{}` repeats an earlier one",
                                    record.rtype.mnemonic().unwrap_or("TYPE"),
                                    file.display(record.owner.id)
                                ),
                            )
                            .help("delete one of the two")
                            .related(file.record(first), "the first copy"),
                        );
                    }
                }
            }
        }
    }
}
