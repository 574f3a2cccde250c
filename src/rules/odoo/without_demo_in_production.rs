use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the production odoo.conf sets `without_demo = all` (or `True`). In Odoo
    /// 16–18 it defaults to false, so installing a module with `-i` loads its demo data.
    /// From 19.0, `with_demo` replaces it and defaults to false: only a file that sets
    /// `with_demo = True`, or `without_demo = False` (read as its inverse), is reported.
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
            if !conf.is_production() || conf.conf.options().is_none() {
                continue;
            }
            if conf.spec("without_demo").is_none() {
                if conf.spec("with_demo").is_some() {
                    with_demo(cx, &conf, findings);
                }
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

/// 19.0 on: `with_demo` defaults to false, so only a file that asks for demo data is
/// wrong: `with_demo` true, or a `without_demo` false, which the file loader renames to an
/// inverted `with_demo` (`_load_file_options`, `_check_without_demo`).
fn with_demo(cx: &Context<'_>, conf: &super::Conf<'_>, findings: &mut Vec<Finding>) {
    let asks = |key: &'static str, wants: bool| {
        conf.entry(key)
            .filter(|e| crate::formats::odoo_conf::value::check_bool(e.value.trim()) == Some(wants))
            .map(|e| (key, e))
    };
    let Some((key, entry)) = asks("with_demo", true).or_else(|| asks("without_demo", false)) else {
        return;
    };
    if conf.set_on_command_line(cx, &["--without-demo"]) {
        return;
    }
    let version = conf.version;
    let message = if key == "with_demo" {
        format!(
            "with_demo = {}: installing modules in production loads demo data",
            entry.value.trim()
        )
    } else {
        format!(
            "without_demo = {}: Odoo {version} reads it as `with_demo = True`, so installing modules in production loads demo data",
            entry.value.trim()
        )
    };
    findings.push(
        Finding::new(
            &WithoutDemoInProduction::META,
            conf.at(entry.key_span),
            format!("{message}{}", conf.series_note()),
        )
        .help(format!(
            "remove the line: Odoo {version} loads no demo data by default"
        )),
    );
}
