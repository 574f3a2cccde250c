//! Baselines: adopting ipai-lint on a repo that already has findings. A baseline stores how
//! many findings each (file, rule) pair had, not their lines, so it survives edits that move
//! lines (the scheme of ESLint's bulk suppressions and oxlint's `--suppress-all`). A run with
//! a baseline reports a pair's findings only when the pair has more than the baseline allows;
//! then all of that pair's findings are reported, because which one is new cannot be known.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file format's version.
pub const BASELINE_VERSION: u32 = 1;

/// Known findings: a count per repo-relative file and rule code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// file -> rule code -> how many findings are accepted.
    pub files: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Baseline {
    /// The baseline that accepts exactly these findings.
    pub fn from_findings<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Baseline {
        let mut files: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for finding in findings {
            *files
                .entry(finding.location.file.clone())
                .or_default()
                .entry(finding.rule.code.to_string())
                .or_default() += 1;
        }
        Baseline {
            version: BASELINE_VERSION,
            files,
        }
    }

    /// How many findings the baseline accepts in all.
    pub fn total(&self) -> usize {
        self.files.values().flat_map(BTreeMap::values).sum()
    }

    fn allowed(&self, file: &str, code: &str) -> usize {
        self.files
            .get(file)
            .and_then(|codes| codes.get(code))
            .copied()
            .unwrap_or(0)
    }

    /// Splits findings into those to report and those the baseline accepts. Order is kept.
    pub fn split(&self, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
        let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for finding in &findings {
            *counts
                .entry((finding.location.file.as_str(), finding.rule.code))
                .or_default() += 1;
        }
        let grown: Vec<(String, &'static str)> = counts
            .into_iter()
            .filter(|&((file, code), count)| count > self.allowed(file, code))
            .map(|((file, code), _)| (file.to_string(), code))
            .collect();
        findings.into_iter().partition(|f| {
            grown
                .iter()
                .any(|(file, code)| *file == f.location.file && *code == f.rule.code)
        })
    }

    /// The baseline lowered to what is left: each (file, rule) count becomes the smaller of
    /// the accepted count and the `current` findings' count, and pairs at zero go. Only
    /// files `in_scope` are judged (a run over some paths says nothing of the others). A
    /// baseline never grows this way.
    pub fn pruned(&self, current: &[&Finding], in_scope: impl Fn(&str) -> bool) -> Baseline {
        let now = Baseline::from_findings(current.iter().copied());
        let mut files = self.files.clone();
        for (file, codes) in files.iter_mut().filter(|(file, _)| in_scope(file)) {
            for (code, count) in codes.iter_mut() {
                *count = (*count).min(now.allowed(file, code));
            }
            codes.retain(|_, count| *count > 0);
        }
        files.retain(|_, codes| !codes.is_empty());
        Baseline {
            version: BASELINE_VERSION,
            files,
        }
    }

    /// The baseline as pretty JSON, keys sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "baseline version {} is not supported: this ipai-lint reads version {BASELINE_VERSION}",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
        Baseline::from_json(&text)
    }

    /// Writes the baseline through a temporary file in the same directory, so a reader never
    /// sees half of it.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "baseline".into());
        let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&temporary, self.to_json())?;
        std::fs::rename(&temporary, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::rules::syntax::{NotUtf8, UnusedSuppression};
    use crate::source::Span;

    fn finding(file: &str, at: usize, utf8: bool) -> Finding {
        let meta = if utf8 {
            &NotUtf8::META
        } else {
            &UnusedSuppression::META
        };
        Finding::new(meta, Location::new(file, Span::at(at)), "x")
    }

    #[test]
    fn reports_a_pair_only_when_its_count_grows() {
        let old = vec![finding("a.conf", 1, true), finding("a.conf", 9, false)];
        let baseline = Baseline::from_findings(&old);
        assert_eq!(baseline.total(), 2);

        // Lines moved, same counts: all accepted.
        let moved = vec![finding("a.conf", 40, true), finding("a.conf", 90, false)];
        let (new, known) = baseline.split(moved);
        assert!(new.is_empty());
        assert_eq!(known.len(), 2);

        // One more SYN007 in a.conf: both SYN007 are reported, SYN011 stays accepted.
        let grown = vec![
            finding("a.conf", 1, true),
            finding("a.conf", 5, true),
            finding("a.conf", 9, false),
            finding("b.conf", 1, false),
        ];
        let (new, known) = baseline.split(grown);
        assert_eq!(
            new.iter()
                .map(|f| (f.location.file.as_str(), f.rule.code))
                .collect::<Vec<_>>(),
            [
                ("a.conf", "SYN007"),
                ("a.conf", "SYN007"),
                ("b.conf", "SYN011")
            ]
        );
        assert_eq!(known.len(), 1);
    }

    #[test]
    fn pruning_lowers_counts_to_what_is_left_and_never_raises_them() {
        let old = Baseline::from_findings(&[
            finding("a.conf", 1, true),
            finding("a.conf", 2, true),
            finding("a.conf", 3, false),
            finding("b.conf", 1, true),
            finding("c.conf", 1, true),
        ]);
        // One SYN007 of a.conf fixed, its SYN011 fixed, b.conf grew, c.conf not linted.
        let now = [
            finding("a.conf", 1, true),
            finding("b.conf", 1, true),
            finding("b.conf", 2, true),
        ];
        let now: Vec<&Finding> = now.iter().collect();
        let pruned = old.pruned(&now, |file| file != "c.conf");
        let counts: Vec<(&str, &str, usize)> = pruned
            .files
            .iter()
            .flat_map(|(file, codes)| {
                codes
                    .iter()
                    .map(move |(c, n)| (file.as_str(), c.as_str(), *n))
            })
            .collect();
        assert_eq!(
            counts,
            [
                ("a.conf", "SYN007", 1),
                ("b.conf", "SYN007", 1),
                ("c.conf", "SYN007", 1)
            ]
        );
        assert_eq!(old.pruned(&[], |_| true).files, BTreeMap::new());
    }

    #[test]
    fn round_trips_through_json() {
        let baseline = Baseline::from_findings(&[finding("a b.conf", 1, true)]);
        let text = baseline.to_json();
        assert_eq!(Baseline::from_json(&text), Ok(baseline));
        assert!(Baseline::from_json("{\"version\": 2, \"files\": {}}").is_err());
    }
}
