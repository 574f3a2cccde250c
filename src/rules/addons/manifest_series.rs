use super::module_paths;
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::formats::odoo_conf::OdooVersion;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the `version` of every module a deployed Odoo service can load (the repo
    /// folders its `addons_path` shows) against the series it runs: a version that starts
    /// with another series (`17.0.1.0.0` under Odoo 18.0) is reported. Odoo 16.0, which
    /// loads such a manifest as `16.0.17.0.1.0.0`, and modules marked `installable: False`
    /// are not judged.
    ///
    /// ## Why is this bad?
    /// Odoo 17.0 and 18.0 refuse the manifest: `adapt_version` raises "invalid manifest"
    /// (18.0 only for an installable module), so the module cannot be installed or updated.
    /// Odoo 19.0 logs "incompatible version" and marks it not installable. Code written for
    /// another series breaks on this one's API even where it loads.
    ///
    /// ## Example
    /// ```python
    /// {"name": "Responsive web client", "version": "17.0.1.0.0"}
    /// ```
    /// in a stack running `odoo:18.0`.
    ///
    /// ## Fix
    /// Check out the module's branch for the stack's series (`18.0` of the OCA repository),
    /// or port it and set `"version": "18.0.1.0.0"`.
    ///
    /// ## Source
    /// Odoo `odoo/modules/module.py`: `adapt_version` and `load_manifest` in 17.0 and 18.0
    /// (a version not `x.y`, `x.y.z`, `<series>.x.y` or `<series>.x.y.z` raises), and
    /// `check_version` in 19.0 ("incompatible version, setting installable=False").
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/modules/module.py>).
    pub struct ManifestSeries {
        code: "STK014",
        name: "manifest-version-matches-series",
        severity: Error,
        applies: Deployed,
    }
}

/// The series a module version is written for, when it starts with one (`17.0.1.0.0`).
fn written_for(version: &str) -> Option<(u32, usize)> {
    let mut parts = version.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor = parts.next()?;
    let rest = parts.count();
    // `x.y` and `x.y.z` are module versions Odoo prefixes with its series, not series.
    ((8..=40).contains(&major) && minor == "0" && rest >= 2).then_some((major, rest + 2))
}

impl Rule for ManifestSeries {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut reported = crate::hash::FastHashSet::default();
        for path in module_paths(cx) {
            if !path.version_known || path.version == OdooVersion::V16 {
                continue;
            }
            let series = path.version.major() as u32;
            for (entry, module) in path.modules() {
                let Some((version, span)) = module.manifest.string("version") else {
                    continue;
                };
                let Some((major, _)) = written_for(version) else {
                    continue;
                };
                if major == series || !module.manifest.installable().0 {
                    continue;
                }
                if !reported.insert(module.file) {
                    continue;
                }
                let file = &cx.workspace.file(module.file).source.name;
                let effect = match path.version {
                    OdooVersion::V19 => "Odoo 19.0 logs \"incompatible version\" and marks it not installable",
                    _ => "its `adapt_version` refuses the manifest (\"invalid manifest\"), so the module cannot be installed or updated",
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        Location::new(file, span),
                        format!(
                            "`{}` is written for Odoo {major}.0 (`{version}`) but `{}` runs Odoo {}: {effect}",
                            module.name,
                            path.conf,
                            path.version.as_str()
                        ),
                    )
                    .help(format!(
                        "use the module's {} branch, or port it and set its version to `{}.x.y.z`",
                        path.version.as_str(),
                        path.version.as_str()
                    ))
                    .related(entry.at.clone(), "the `addons_path` entry that shows it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::written_for;

    #[test]
    fn a_series_prefix_needs_two_more_parts() {
        assert_eq!(written_for("17.0.1.0.0"), Some((17, 5)));
        assert_eq!(written_for("17.0.1.0"), Some((17, 4)));
        assert_eq!(written_for("1.0.0"), None);
        assert_eq!(written_for("2.0"), None);
        assert_eq!(written_for("17.0"), None);
    }
}
