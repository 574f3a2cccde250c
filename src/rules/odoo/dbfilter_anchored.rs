use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that production selects its database explicitly: a `dbfilter` anchored at the
    /// end (`^erp$`, `^%d$`), or `db_name`.
    ///
    /// ## Why is this bad?
    /// Odoo applies `dbfilter` with `re.match`, which anchors only the start: `^erp` also
    /// serves `erp_old`, `erp-test` and any database a restore creates. With neither a
    /// filter nor a name, every database on the server is reachable from every host name.
    ///
    /// ## Example
    /// ```ini
    /// dbfilter = ^erp
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// dbfilter = ^erp$
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — dbfilter"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#dbfilter>);
    /// Odoo `odoo/http.py` `db_filter` (18.0) uses `re.match`.
    pub struct DbfilterAnchored {
        code: "ODOO017",
        name: "dbfilter-anchored",
        severity: Error,
    }
}

impl Rule for DbfilterAnchored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            // `--db-filter` or `-d`/`--database` on Odoo's command line overrides the file.
            if !conf.is_production()
                || conf.conf.options().is_none()
                || conf.set_on_command_line(cx, &["--db-filter"])
            {
                continue;
            }
            match conf.text("dbfilter").map(str::trim) {
                Some(filter) if filter.ends_with('$') && !filter.ends_with("\\$") => {}
                Some(_) => {
                    let entry = conf
                        .entry("dbfilter")
                        .map_or_else(|| conf.header(), |e| conf.at(e.value_span));
                    findings.push(
                        Finding::new(
                            &Self::META,
                            entry,
                            "dbfilter is not anchored at the end: Odoo matches it as a prefix",
                        )
                        .help("end the pattern with `$`, e.g. `^erp$` or `^%d$`"),
                    );
                }
                None if conf.text("db_name").is_some()
                    || conf.set_on_command_line(cx, &["-d", "--database"]) => {}
                None => findings.push(
                    Finding::new(
                        &Self::META,
                        conf.header(),
                        "production sets neither dbfilter nor db_name: every database is served",
                    )
                    .help("add an anchored `dbfilter = ^erp$` (or `db_name = erp`)"),
                ),
            }
        }
    }
}
