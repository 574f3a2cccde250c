use super::at;
use super::regex::{capture_groups, capture_refs, group_end, replacement_args, rewrite_redirects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive};
use crate::rule::{Context, Rule, RuleMeta};
use crate::severity::Severity;
use crate::stack::NginxVersion;

declare_rule! {
    /// ## What it does
    /// Checks, where the stack's nginx lacks the fix for CVE-2026-9256 (before 1.30.2 on
    /// the stable branch, 1.31.0 on mainline) or its version is unknown, for a `rewrite`
    /// whose replacement reads two numbered captures of which one lies inside the other
    /// (`^/((.*))$` with `$1$2`) where nginx escapes them: in a redirect (a `redirect` or
    /// `permanent` flag, an `http://` or `https://` replacement) or both after the `?`
    /// of the arguments. A replacement with a variable or with one capture read twice
    /// takes another path in nginx and is left alone.
    ///
    /// ## Why is this bad?
    /// nginx sizes the buffer of such a replacement from the escaped length of the whole
    /// URI, but escapes each capture on its own: with overlapping captures the same
    /// characters are escaped twice, and a request full of characters to escape (`+`,
    /// `%`) writes past the heap buffer of the worker. The worker crashes, and where ASLR
    /// can be bypassed the overflow runs the attacker's code.
    ///
    /// ## Example
    /// ```nginx
    /// rewrite ^/((.*))$ https://erp.example.com/$1$2 redirect;
    /// ```
    ///
    /// ## Fix
    /// Upgrade nginx to 1.30.2, 1.31.1 or later. Until then, capture each part once:
    /// ```nginx
    /// rewrite ^/(.*)$ https://erp.example.com/$1 redirect;
    /// ```
    ///
    /// ## Source
    /// nginx security advisories, CVE-2026-9256
    /// (<https://nginx.org/en/security_advisories.html>); the fix, "Rewrite: fix buffer
    /// overflow with overlapping captures" (<https://github.com/nginx/nginx/pull/1395>);
    /// CVE record (<https://www.cve.org/CVERecord?id=CVE-2026-9256>); gixy-next plugin
    /// `overlapping_captures`.
    pub struct RewriteCapturesDisjoint {
        code: "NGX037",
        name: "rewrite-captures-disjoint",
        severity: Error,
        peers: ["gixy-next/overlapping_captures"],
    }
}

/// Whether an nginx release has the fix: 1.30.2 on the stable branch, 1.31.1 on mainline.
fn fixed(version: NginxVersion) -> bool {
    version >= NginxVersion(1, 31, 1)
        || (version >= NginxVersion(1, 30, 2) && version < NginxVersion(1, 31, 0))
}

/// The two captures, by number, that an escaped part of a replacement reads and that
/// overlap in the pattern.
fn overlapping_pair(pattern: &str, escaped: &str) -> Option<(usize, usize)> {
    let groups = capture_groups(pattern);
    let mut read: Vec<usize> = capture_refs(escaped).into_iter().map(|(_, n)| n).collect();
    read.sort_unstable();
    read.dedup();
    for (i, &outer) in read.iter().enumerate() {
        for &inner in &read[i + 1..] {
            let (Some(a), Some(b)) = (
                groups.get(outer.wrapping_sub(1)),
                groups.get(inner.wrapping_sub(1)),
            ) else {
                continue;
            };
            let (a_end, b_end) = (group_end(pattern, a), group_end(pattern, b));
            let nested = (a.open < b.open && b_end <= a_end) || (b.open < a.open && a_end <= b_end);
            if nested {
                return Some((outer, inner));
            }
        }
    }
    None
}

impl Rule for RewriteCapturesDisjoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let version_of = super::nginx_version_of(cx);
        for config in &cx.workspace.nginx {
            let version = version_of(config);
            if version.is_some_and(|(v, _)| fixed(v)) {
                continue;
            }
            config.walk(|visit| check_rewrite(config, visit.directive, version, findings));
        }
    }
}

/// Reports one `rewrite` that escapes overlapping captures.
fn check_rewrite(
    config: &Config,
    d: &Directive,
    version: Option<(NginxVersion, &str)>,
    findings: &mut Vec<Finding>,
) {
    if !d.is("rewrite") {
        return;
    }
    let (Some(pattern), Some(replacement)) = (d.arg(0), d.arg(1)) else {
        return;
    };
    let refs = capture_refs(replacement);
    // A variable, or a capture read twice, makes nginx measure each part.
    let mut numbers: Vec<usize> = refs.iter().map(|(_, n)| *n).collect();
    numbers.sort_unstable();
    let repeated = numbers.windows(2).any(|w| w[0] == w[1]);
    if repeated
        || super::variables(replacement)
            .iter()
            .any(|v| !v.bytes().all(|b| b.is_ascii_digit()))
    {
        return;
    }
    let escaped = if rewrite_redirects(d) {
        Some(replacement)
    } else {
        replacement_args(replacement)
    };
    let Some((outer, inner)) = escaped.and_then(|part| overlapping_pair(pattern, part)) else {
        return;
    };
    let which = match version {
        Some((_, written)) => format!("nginx {written}"),
        None => "nginx before 1.30.2 (1.31.1 on mainline)".to_owned(),
    };
    let finding = Finding::new(
        &RewriteCapturesDisjoint::META,
        at(config, d, d.args_span()),
        format!(
            "this rewrite escapes captures ${outer} and ${inner}, one inside the other: on {which} a request full of characters to escape overflows the worker's heap (CVE-2026-9256)"
        ),
    )
    .help("upgrade nginx to 1.30.2 or 1.31.1 or later; until then capture each part once");
    findings.push(match version {
        Some(_) => finding,
        None => finding.with_severity(Severity::Warning),
    });
}

#[cfg(test)]
mod tests {
    use super::{fixed, overlapping_pair, NginxVersion};

    #[test]
    fn nested_captures_read_together() {
        assert_eq!(overlapping_pair("^/((.*))$", "/$1$2"), Some((1, 2)));
        assert_eq!(overlapping_pair("^/([^/]+)/(.*)$", "/$1$2"), None);
        assert_eq!(overlapping_pair("^/((.*))/((.*))$", "/$1$3"), None);
        assert_eq!(overlapping_pair("(*UTF)((.*))$", "/$1$2"), Some((1, 2)));
        assert_eq!(overlapping_pair("(*UTF)/(.*)/(.*)$", "/$1$2"), None);
    }

    #[test]
    fn fixed_releases() {
        assert!(!fixed(NginxVersion(1, 30, 1)));
        assert!(fixed(NginxVersion(1, 30, 2)));
        assert!(!fixed(NginxVersion(1, 31, 0)));
        assert!(fixed(NginxVersion(1, 31, 1)));
        assert!(!fixed(NginxVersion(1, 27, 3)));
    }
}
