use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that no `error_log` is written to a file named `off`.
    ///
    /// ## Why is this bad?
    /// `error_log` has no `off` value: its first argument is a file, so `error_log off;`
    /// writes every error into a file called `off` in nginx's prefix folder, where nobody
    /// looks and which nothing rotates, while the errors are missing from the log that is
    /// read.
    ///
    /// ## Example
    /// ```nginx
    /// error_log off;
    /// ```
    ///
    /// ## Fix
    /// Keep errors in a log, at a higher level if they are too many:
    /// ```nginx
    /// error_log /var/log/nginx/error.log crit;
    /// ```
    /// or, to discard them, `error_log /dev/null crit;`.
    ///
    /// ## Source
    /// nginx `error_log` (<https://nginx.org/en/docs/ngx_core_module.html#error_log>);
    /// gixy-next plugin `error_log_off`.
    pub struct ErrorLogNotOff {
        code: "NGX018",
        name: "error-log-not-off",
        severity: Warning,
        peers: ["gixy-next/error_log_off"],
    }
}

impl Rule for ErrorLogNotOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("error_log") || !d.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("off")) {
                return;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.args_span()),
                    "`error_log off` does not turn the error log off: nginx writes it to a file named `off`",
                )
                .help("error_log /var/log/nginx/error.log crit;  (or /dev/null to discard)"),
            );
        });
    }
}
