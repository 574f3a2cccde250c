//! Runs the rules over a workspace and applies, in this one place, the policy's severities
//! and disables, the lint config (select, ignore, severity, per-path ignores), inline
//! suppressions, positions, the report filter, the order and the baseline.

pub mod baseline;
pub mod config;

use crate::finding::{Finding, Location, Suppressed};
use crate::policy::Policy;
use crate::rule::{Context, Rule};
use crate::rules;
use crate::severity::Severity;
use crate::stack::{Date, Stack};
use crate::suppression::{self, Suppression};
use crate::workspace::scope::FileEnvironment;
use crate::workspace::{ReadProblem, Workspace};
use baseline::Baseline;
use config::LintSettings;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Report only findings in these repo-relative files or directories (pre-commit passes
    /// changed files). `None` reports everything.
    pub only: Option<Vec<String>>,
    /// Ignore inline suppressions (central policy).
    pub disable_inline_ignores: bool,
    /// The repo's lint config (`ipai.toml` or `stack.yaml` `lint:`).
    pub settings: LintSettings,
    /// Accept the findings this baseline counts.
    pub baseline: Option<Baseline>,
}

/// What a lint run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings to act on, sorted by file, line, column and code.
    pub findings: Vec<Finding>,
    /// Findings an inline suppression or a per-path ignore silenced, with its reason.
    pub suppressed: Vec<Finding>,
    /// Findings the baseline accepts; they do not fail the run.
    pub baselined: Vec<Finding>,
    /// Whether a baseline was applied, so `findings` are the new ones.
    pub baseline_applied: bool,
    /// How many files were read.
    pub files: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether any finding is at or above `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}

/// Lints a workspace against the stack's facts and the policy.
pub fn run(
    workspace: &Workspace,
    stack: &Stack,
    policy: &Policy,
    today: Date,
    options: &LintOptions,
) -> Report {
    let cx = Context::new(workspace, stack, policy, today);
    let settings = RuleSettings {
        policy,
        config: &options.settings,
    };
    let enabled: Vec<&dyn Rule> = rules::all()
        .iter()
        .copied()
        .filter(|rule| settings.enabled(rule.meta().code))
        .collect();
    let mut findings = check_all(&cx, &enabled, threads_for(workspace));
    // Each rule judges only the files of the environments it applies to.
    let scope = cx.scope();
    findings.retain(|f| {
        let environment = workspace
            .find(&f.location.file)
            .map_or(FileEnvironment::Production, |(id, _)| scope.of(id));
        f.rule.applies.covers(environment)
    });
    locate(workspace, &mut findings);

    let inline_ignores =
        !(options.disable_inline_ignores || options.settings.config.disable_inline_ignores);
    let (findings, mut suppressed) = if inline_ignores {
        apply_suppressions(workspace, &settings, findings)
    } else {
        (findings, Vec::new())
    };
    let (mut findings, by_path) = apply_path_ignores(&options.settings, findings);
    suppressed.extend(by_path);
    locate(workspace, &mut findings);
    findings.retain(|f| settings.enabled(f.rule.code));
    for finding in findings.iter_mut().chain(&mut suppressed) {
        if let Some(severity) = settings.severity(finding.rule.code) {
            finding.severity = severity;
        }
    }

    if let Some(only) = &options.only {
        let wanted = |f: &Finding| only.iter().any(|p| is_within(&f.location.file, p));
        findings.retain(wanted);
        suppressed.retain(wanted);
    }
    sort_and_dedup(&mut findings);
    sort_and_dedup(&mut suppressed);
    let mut report = Report {
        findings,
        suppressed,
        files: files_read(workspace),
        ..Report::default()
    };
    if let Some(baseline) = &options.baseline {
        apply_baseline(&mut report, baseline);
    }
    report
}

/// Below this much text a run is too short to gain from threads (starting one costs about
/// as much as checking a small repo).
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// How many threads check a workspace: one for a small one, every core for a large one.
/// `IPAI_THREADS` fixes the number (the scaling test counts instructions on one thread).
fn threads_for(workspace: &Workspace) -> usize {
    if let Some(threads) = std::env::var("IPAI_THREADS")
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
    {
        return threads.max(1);
    }
    let text: usize = workspace.files.iter().map(|f| f.source.text.len()).sum();
    if text < PARALLEL_FROM_BYTES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// Runs the rules on `threads` threads: each takes the next rule not yet taken. The findings
/// come back in rule order, so the outcome does not depend on the threads.
fn check_all(cx: &Context<'_>, rules: &[&dyn Rule], threads: usize) -> Vec<Finding> {
    let threads = threads.clamp(1, rules.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(rule) = rules.get(index) else {
                return done;
            };
            let mut findings = Vec::new();
            rule.check(cx, &mut findings);
            done.push((index, findings));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter()
        .flat_map(|(_, findings)| findings)
        .collect()
}

/// How many files the run looked at: the parsed ones, and those it could not read. A file
/// read with replacement characters is both parsed and a read issue; it counts once.
fn files_read(workspace: &Workspace) -> usize {
    let unread = workspace
        .read_issues
        .iter()
        .filter(|issue| !matches!(issue.problem, ReadProblem::NotUtf8(_)))
        .count();
    workspace.files.len() + unread
}

/// Moves the findings a baseline accepts from `findings` to `baselined`.
pub fn apply_baseline(report: &mut Report, baseline: &Baseline) {
    let findings = std::mem::take(&mut report.findings);
    let (new, known) = baseline.split(findings);
    report.findings = new;
    report.baselined.extend(known);
    sort_and_dedup(&mut report.baselined);
    report.baseline_applied = true;
}

/// How the repo wants each rule run: the policy pack's `rules:` overrides, then the lint
/// config's select, ignore and severity, which win.
struct RuleSettings<'a> {
    policy: &'a Policy,
    config: &'a LintSettings,
}

impl RuleSettings<'_> {
    fn enabled(&self, code: &str) -> bool {
        self.policy.rule(code).and_then(|o| o.enabled) != Some(false) && self.config.selects(code)
    }

    /// The severity the repo sets for a rule, if it sets one.
    fn severity(&self, code: &str) -> Option<Severity> {
        self.config
            .severity(code)
            .or_else(|| self.policy.rule(code).and_then(|o| o.severity))
    }
}

/// Splits off the findings a per-path ignore of the config covers.
fn apply_path_ignores(
    settings: &LintSettings,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut kept = Vec::new();
    let mut ignored = Vec::new();
    for mut finding in findings {
        match settings.path_ignore(&finding.location.file, finding.rule.code) {
            Some(entry) => {
                finding.suppressed = Some(Suppressed {
                    reason: entry.reason.clone(),
                    comment: None,
                });
                ignored.push(finding);
            }
            None => kept.push(finding),
        }
    }
    (kept, ignored)
}

/// Whether a repo-relative file is `wanted` or lies under it (`.` and the empty name are
/// the whole repo).
pub(crate) fn is_within(file: &str, wanted: &str) -> bool {
    let wanted = wanted.trim_end_matches('/');
    wanted.is_empty()
        || wanted == "."
        || file == wanted
        || file
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Fills in line and column for every finding and related location, and makes the text a
/// rule quoted from a file safe to print (see [`crate::report::visible`]) and, from a
/// template, shown as written (see [`crate::formats::template::shown`]).
fn locate(workspace: &Workspace, findings: &mut [Finding]) {
    let templates = workspace.files.iter().any(|f| f.template.is_some());
    let shown = |text: &mut String| {
        if let std::borrow::Cow::Owned(safe) = crate::report::visible(text) {
            *text = safe;
        }
        // A template's value quoted by a rule reads as the value it is, not its stand-in.
        if templates {
            if let std::borrow::Cow::Owned(value) = crate::formats::template::shown(text) {
                *text = value;
            }
        }
    };
    for finding in findings {
        shown(&mut finding.message);
        if let Some(help) = &mut finding.help {
            shown(help);
        }
        if let Some(source) = workspace.source(&finding.location.file) {
            finding.start = source.line_col(finding.location.span.start());
            finding.end = source.line_col(finding.location.span.end());
        }
        for related in &mut finding.related {
            shown(&mut related.message);
            if let Some(source) = workspace.source(&related.location.file) {
                related.start = source.line_col(related.location.span.start());
            }
        }
    }
}

/// Splits findings into kept and suppressed, and reports suppressions that are malformed,
/// name unknown codes, lack a reason or silenced nothing.
fn apply_suppressions(
    workspace: &Workspace,
    settings: &RuleSettings<'_>,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut by_file: BTreeMap<&str, Vec<Suppression>> = BTreeMap::new();
    for file in &workspace.files {
        let found = suppression::scan(&file.source);
        if !found.is_empty() {
            by_file.insert(file.source.name.as_str(), found);
        }
    }
    let mut used: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for mut finding in findings {
        let hit = by_file
            .get(finding.location.file.as_str())
            .and_then(|list| {
                list.iter()
                    .enumerate()
                    .find(|(_, s)| s.covers(finding.rule.code, finding.start.line))
            });
        match hit {
            Some((index, s)) => {
                let (file, span) = (finding.location.file.clone(), s.span);
                used.insert((file.clone(), index));
                finding.suppressed = Some(Suppressed {
                    reason: s.reason.clone().unwrap_or_default(),
                    comment: Some(Location::new(file, span)),
                });
                suppressed.push(finding);
            }
            None => kept.push(finding),
        }
    }
    let known: BTreeSet<&str> = rules::all().iter().map(|r| r.meta().code).collect();
    for (file, list) in &by_file {
        for (index, s) in list.iter().enumerate() {
            let at = |span| Location::new(*file, span);
            if let Some(why) = &s.malformed {
                kept.push(Finding::new(
                    &rules::syntax::InvalidSuppression::META,
                    at(s.span),
                    format!("unreadable suppression: {why}"),
                ));
                continue;
            }
            for (code, span) in &s.codes {
                if !known.contains(code.as_str()) {
                    let mut finding = Finding::new(
                        &rules::syntax::InvalidSuppression::META,
                        at(*span),
                        format!("`{code}` is not an ipai-lint rule code"),
                    );
                    if let Some(best) = crate::suggest::closest(code, known.iter().copied()) {
                        finding = finding.help(format!(
                            "did you mean `{best}`? `ipai-lint rules` lists every code"
                        ));
                    }
                    kept.push(finding);
                }
            }
            if s.reason.is_none() {
                kept.push(
                    Finding::new(&rules::syntax::InvalidSuppression::META, at(s.span), "suppression without a reason")
                        .help("add ` -- why this is acceptable` after the code list; a reason is required"),
                );
            } else if !used.contains(&(file.to_string(), index))
                && s.codes.iter().any(|(code, _)| settings.enabled(code))
            {
                kept.push(
                    Finding::new(
                        &rules::syntax::UnusedSuppression::META,
                        at(s.span),
                        "this suppression silences nothing: no finding of these codes starts on this line or the next",
                    )
                    .help("remove the comment, or move it to the line of the finding"),
                );
            }
        }
    }
    (kept, suppressed)
}

fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.location == b.location);
}

/// Every rule, for `rules` and `explain`.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    rules::all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;
    use std::path::Path;

    /// A zone over the parallel threshold where many zone and mail rules fire.
    fn faulty_zone() -> Vec<u8> {
        let mut zone = String::from(
            "$ORIGIN example.net.\n$TTL 300\n\
             @ SOA ns1.example.net. hostmaster.example.net. 1 7200 3600 1209600 300\n\
             @ NS ns1.example.net.\nns1 A 192.0.2.53\n",
        );
        for i in 0..40_000 {
            let _ = match i % 6 {
                0 => writeln!(zone, "w{i} CNAME example.net"),
                1 => writeln!(zone, "d{i} A 192.0.2.1\nd{i} A 192.0.2.1"),
                2 => writeln!(zone, "m{i} MX 10 192.0.2.25"),
                3 => writeln!(zone, "s{i} TXT \"v=spf1 +all\"\ns{i} TXT \"v=spf1 -all\""),
                4 => writeln!(zone, "c{i} CAA 0 ISSUE \"letsencrypt.org\""),
                _ => writeln!(zone, "x{i} TXT \"v=spf1 ptr include:nodot ~all\""),
            };
        }
        assert!(zone.len() > PARALLEL_FROM_BYTES);
        zone.into_bytes()
    }

    #[test]
    fn threads_do_not_change_the_findings() {
        let root = Path::new("/repo");
        let workspace =
            Workspace::from_memory(root, vec![("dns/example.net.zone".into(), faulty_zone())]);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(threads_for(&workspace), cores);
        let small = Workspace::from_memory(
            root,
            vec![(
                "dns/example.net.zone".into(),
                b"$TTL 300\n@ A 192.0.2.1\n".to_vec(),
            )],
        );
        assert_eq!(threads_for(&small), 1);
        let stack = Stack::insightpulse();
        let policy = Policy::default_pack();
        let cx = Context::new(&workspace, &stack, &policy, Date::today());
        let rules = rules::all();
        let alone = check_all(&cx, rules, 1);
        let codes: BTreeSet<&str> = alone.iter().map(|f| f.rule.code).collect();
        for code in [
            "DNS003", "DNS004", "DNS005", "MAIL001", "MAIL002", "MAIL003", "TLS003",
        ] {
            assert!(codes.contains(code), "{code} should fire: {codes:?}");
        }
        for threads in [2, 3, 8] {
            // A fresh context: nothing derived by the first run is reused.
            let cx = Context::new(&workspace, &stack, &policy, Date::today());
            assert!(check_all(&cx, rules, threads) == alone, "{threads} threads");
        }
    }
}
