use super::listed_modules;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a module named twice by the module lists of one env file
    /// (`ODOO_EE_PARITY_OCA_MODULES`, `ODOO_EE_PARITY_IPAI_MODULES`, any `ODOO_…_MODULES`),
    /// in one list or across two.
    ///
    /// ## Why is this bad?
    /// The lists are the record of what the stack installs. A name listed twice is usually
    /// a merge left over or a module moved between lists without being removed from the
    /// first: whoever prunes one entry believes the module gone while the other still
    /// installs it.
    ///
    /// ## Example
    /// ```sh
    /// ODOO_EE_PARITY_OCA_MODULES=web_responsive,mis_builder,web_responsive
    /// ```
    ///
    /// ## Fix
    /// Keep one entry.
    ///
    /// ## Source
    /// Snapshot §3, "EE Parity Core Modules: Installation Method: environment-driven via
    /// `.env` + scripts".
    /// Compose documentation, env files (<https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file>).
    pub struct ListedModuleOnce {
        code: "STK019",
        name: "listed-module-once",
        severity: Warning,
        applies: Deployed,
    }
}

impl Rule for ListedModuleOnce {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let mut first: crate::hash::FastHashMap<(&str, &str), &super::Listed> = Default::default();
        let listed = listed_modules(cx);
        for item in listed.iter().filter(|l| !l.from_script) {
            match first.get(&(item.at.file.as_str(), item.name)) {
                None => {
                    first.insert((item.at.file.as_str(), item.name), item);
                }
                Some(earlier) => findings.push(
                    Finding::new(
                        &Self::META,
                        item.at.clone(),
                        format!(
                            "`{}` is listed twice (`{}` and `{}`)",
                            item.name, earlier.key, item.key
                        ),
                    )
                    .help("remove this entry")
                    .related(earlier.at.clone(), "first listed here"),
                ),
            }
        }
    }
}
