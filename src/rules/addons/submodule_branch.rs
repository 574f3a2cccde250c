use super::module_paths;
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks the `branch` of every git submodule in `.gitmodules` that a deployed Odoo
    /// service's `addons_path` shows (an entry names the submodule's folder or a folder
    /// inside it) against the Odoo series the service runs: a branch named for another
    /// series (`branch = 17.0` under Odoo 18.0) is reported. Branches that are not a series
    /// name (`main`, a tag) are not judged.
    ///
    /// ## Why is this bad?
    /// OCA and most module repositories keep one branch per Odoo series. `git submodule
    /// update --remote` checks out the named branch: the deploy gets modules written for
    /// the other series, whose manifests Odoo refuses (17.0, 18.0) or marks not
    /// installable (19.0), and whose code breaks on this series' API.
    ///
    /// ## Example
    /// ```ini
    /// [submodule "addons/oca/web"]
    ///     path = addons/oca/web
    ///     url = https://github.com/OCA/web.git
    ///     branch = 17.0
    /// ```
    /// with `addons_path = /mnt/extra-addons/oca/web` in an `odoo:18.0` stack.
    ///
    /// ## Fix
    /// Set `branch = 18.0` (the stack's series) and update the submodule.
    ///
    /// ## Source
    /// git documentation, `gitmodules` (`submodule.<name>.branch`, used by
    /// `git submodule update --remote`) (<https://git-scm.com/docs/gitmodules>); OCA
    /// repositories' branch per series (<https://github.com/OCA/maintainer-tools>).
    pub struct SubmoduleBranch {
        code: "STK020",
        name: "submodule-branch-matches-series",
        severity: Error,
        applies: Deployed,
    }
}

/// The series a branch names (`17.0`), if it names one.
fn series_of(branch: &str) -> Option<u32> {
    let major = branch.strip_suffix(".0")?;
    (major.len() <= 2 && major.chars().all(|c| c.is_ascii_digit()))
        .then(|| major.parse().ok())
        .flatten()
}

impl Rule for SubmoduleBranch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let Some((file, parsed)) = &cx.workspace.gitmodules else {
            return;
        };
        let name = &cx.workspace.file(*file).source.name;
        let paths = module_paths(cx);
        let mut reported = crate::hash::FastHashSet::default();
        for submodule in &parsed.submodules {
            let (Some((path, _)), Some((branch, span))) = (&submodule.path, &submodule.branch)
            else {
                continue;
            };
            let Some(series) = series_of(branch) else {
                continue;
            };
            for module_path in paths.iter().filter(|p| p.version_known) {
                if series == u32::from(module_path.version.major()) {
                    continue;
                }
                let shown = module_path.entries.iter().find(|e| {
                    e.folder
                        .as_deref()
                        .is_some_and(|f| f == path || f.starts_with(&format!("{path}/")))
                });
                let Some(entry) = shown else {
                    continue;
                };
                if !reported.insert(span.start()) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        Location::new(name, *span),
                        format!(
                            "submodule `{path}` follows branch {branch}, but `{}` runs Odoo {}: updating it checks out modules of another series",
                            module_path.conf,
                            module_path.version.as_str()
                        ),
                    )
                    .help(format!("set `branch = {}`", module_path.version.as_str()))
                    .related(entry.at.clone(), "the `addons_path` entry that shows it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::series_of;

    #[test]
    fn only_series_names_are_series() {
        assert_eq!(series_of("17.0"), Some(17));
        assert_eq!(series_of("main"), None);
        assert_eq!(series_of("v17.0"), None);
        assert_eq!(series_of("1.0.0"), None);
    }
}
