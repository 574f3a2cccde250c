use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the production odoo.conf sets `without_demo = all` (or `True`). In Odoo
    /// 16–18 it defaults to false, so installing a module with `-i` loads its demo data.
    /// Every compose service running the file with `--without-demo` on Odoo's command
    /// line (which overrides the file) satisfies it.
    ///
    /// ## Why is this bad?
    /// Demo data creates fake partners, products, users with known passwords and journal
    /// entries in the live database; it cannot be removed cleanly afterwards.
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// workers = 12
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// without_demo = all
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Security": "Do not install demo data on
    /// internet-facing servers" (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#security>);
    /// `--without-demo` (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html>).
    pub struct WithoutDemoInProduction {
        code: "ODOO020",
        name: "without-demo-in-production",
        severity: Warning,
    }
}

impl Rule for WithoutDemoInProduction {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            if !conf.is_production()
                || conf.conf.options().is_none()
                || conf.spec("without_demo").is_none()
            {
                continue;
            }
            let value = conf.entry("without_demo").map(|e| e.value.trim());
            // 19.0 replaced without_demo with with_demo, which defaults to no demo data (a
            // `without_demo` in the file still maps onto it): with the series unknown, an
            // unset option may be right.
            if value.is_none() && !conf.version_known {
                continue;
            }
            if matches!(value, Some("all" | "True" | "true"))
                || conf.set_on_command_line(cx, &["--without-demo"])
            {
                continue;
            }
            let message = match value {
                Some(v) => {
                    format!("without_demo = {v}: installing modules in production loads demo data")
                }
                None => "without_demo is not set: installing modules in production loads demo data"
                    .to_string(),
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("without_demo"), message)
                    .help("set `without_demo = all`"),
            );
        }
    }
}
