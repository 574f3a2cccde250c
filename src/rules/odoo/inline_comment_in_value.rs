use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::odoo_conf::{self, Lookup};
use crate::rule::{Context, Rule, RuleMeta};

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
