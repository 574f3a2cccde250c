use super::{confs, Conf};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::Entry;
use crate::formats::odoo_conf::{self, Lookup};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment;

declare_rule! {
    /// ## What it does
    /// Reports text after a value that looks like a comment (` ; …` or ` # …`) in `[options]`.
    ///
    /// ## Why is this bad?
    /// Odoo's config reader has no inline comments: `workers = 12  # 2 × CPU cores` gives
    /// `workers` the value `12  # 2 × CPU cores`. For a number or choice the cast fails and
    /// Odoo does not start; for text (a `dbfilter`, a path) the comment silently becomes
    /// part of the setting.
    ///
    /// ## Example
    /// ```ini
    /// workers = 12              # 2 × CPU cores
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// ; 2 × CPU cores
    /// workers = 12
    /// ```
    ///
    /// ## Source
    /// Python `configparser`, `inline_comment_prefixes` defaults to None
    /// (<https://docs.python.org/3/library/configparser.html#configparser.ConfigParser>);
    /// Odoo reads the file with `RawConfigParser()` and default arguments
    /// (<https://github.com/odoo/odoo/blob/18.0/odoo/tools/config.py>).
    pub struct InlineCommentInValue {
        code: "ODOO010",
        name: "inline-comment-in-value",
        severity: Error,
        applies: Start,
    }
}

impl Rule for InlineCommentInValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for conf in confs(cx) {
            for entry in conf.entries() {
                let Some(span) = entry.inline_comment_lookalike(&conf.source.text) else {
                    continue;
                };
                if passed_by_entrypoint(cx, &conf, entry) {
                    continue;
                }
                let typed = matches!(odoo_conf::lookup(&entry.key, conf.version), Lookup::Known(spec) if spec.casts_file_value());
                let consequence = if typed {
                    "the value no longer casts and Odoo does not start"
                } else {
                    "it becomes part of the setting"
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        conf.at(span),
                        format!("odoo.conf has no inline comments: this text is part of `{}`'s value, so {consequence}", entry.key),
                    )
                    .help("move the comment to its own line above, starting with `;` or `#`"),
                );
            }
        }
    }
}

/// The database settings the official image's entrypoint re-reads from odoo.conf.
const ENTRYPOINT_KEYS: [&str; 4] = ["db_host", "db_port", "db_user", "db_password"];

/// Whether the official image's entrypoint passes this setting on the command line, which
/// overrides the file: every service that runs the file uses that entrypoint, which takes
/// the line's third space-separated field (`cut -d " " -f3`), the value without the
/// comment when the line reads `key = value ;comment`.
fn passed_by_entrypoint(cx: &Context<'_>, conf: &Conf<'_>, entry: &Entry) -> bool {
    if !ENTRYPOINT_KEYS.contains(&entry.key.as_str()) {
        return false;
    }
    let readers = deployment::conf_use(cx).readers(&conf.source.name);
    if readers.is_empty() || !readers.iter().all(deployment::runs_official_entrypoint) {
        return false;
    }
    let Some(value_line) = entry.value_lines.first() else {
        return false;
    };
    let text = &conf.source.text;
    let key_start = entry.key_span.start();
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..value_line.end()];
    let third = line.split(' ').nth(2).unwrap_or("");
    let value_word = conf.source.slice(*value_line).split_whitespace().next();
    !third.is_empty() && !third.starts_with([';', '#']) && value_word == Some(third)
}
