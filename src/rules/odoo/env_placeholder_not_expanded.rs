use super::{confs, placeholders};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `$VAR` or `${VAR}` in an option Odoo does not expand. Odoo 16–18 expand
    /// environment variables only in path options (`data_dir`, `logfile`, `pidfile`, each
    /// entry of `addons_path`, …); everywhere else the text is taken literally. A file a
    /// compose service mounts as a template (`/etc/odoo/odoo.conf.template`, `.tmpl`,
    /// `.tpl`, `.j2`) is rendered at start, so its placeholders are not reported.
    ///
    /// ## Why is this bad?
    /// `db_password = ${POSTGRES_PASSWORD}` sends the literal string `${POSTGRES_PASSWORD}`
    /// as the password: the login fails, or worse, the placeholder becomes the password.
    /// The official image's entrypoint reads the password from the environment only when
    /// odoo.conf does not set `db_password` at all.
    ///
    /// ## Example
    /// ```ini
    /// db_password = ${POSTGRES_PASSWORD}
    /// ```
    ///
    /// ## Fix
    /// Remove the line and pass `PASSWORD` (or `POSTGRES_PASSWORD`) to the container, or
    /// render odoo.conf from a template before Odoo starts.
    ///
    /// ## Source
    /// Odoo `odoo/tools/config.py` (16.0–18.0), `_normalize()` applies `os.path.expandvars`
    /// to path options only (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>);
    /// the official image's `entrypoint.sh` (<https://github.com/odoo/docker/blob/master/18.0/entrypoint.sh>).
    pub struct EnvPlaceholderNotExpanded {
        code: "ODOO014",
        name: "env-placeholder-not-expanded",
        severity: Error,
        applies: Start,
    }
}

impl Rule for EnvPlaceholderNotExpanded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let uses = deployment::conf_use(cx);
        for conf in confs(cx) {
            // Mounted as `odoo.conf.template`: the container renders it at start, and its
            // placeholders are what the rendering fills in.
            if uses.template_of(&conf.source.name).is_some() {
                continue;
            }
            for entry in conf.entries() {
                let expands = conf.spec(&entry.key).is_some_and(|s| s.kind.expands_env());
                if expands {
                    continue;
                }
                let Some(first_line) = entry.value_lines.first() else {
                    continue;
                };
                let line_text = conf.source.slice(*first_line);
                for reference in placeholders(line_text) {
                    let span = Span::new(
                        first_line.start() + reference.range.start,
                        first_line.start() + reference.range.end,
                    );
                    findings.push(
                        Finding::new(
                            &Self::META,
                            conf.at(span),
                            format!(
                                "Odoo {} does not expand environment variables in `{}`: it reads the literal text `{}`",
                                conf.version,
                                entry.key,
                                conf.source.slice(span)
                            ),
                        )
                        .help(if entry.key.starts_with("db_") {
                            "remove the line: the official image passes the database settings from PASSWORD/HOST/USER/PORT"
                        } else {
                            "render the value before Odoo starts, or set it on the command line"
                        }),
                    );
                }
            }
        }
    }
}
