use super::report_syntax;
use crate::declare_rule;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::severity::Severity;
use crate::workspace::nginx_view::{at, is_stock_file};

declare_rule! {
    /// ## What it does
    /// Reports nginx configuration that nginx itself would refuse to load: unbalanced braces,
    /// a directive without its `;`, an unterminated quote, text glued to a closing quote, an
    /// `include` whose file does not exist, or includes that include each other.
    ///
    /// ## Why is this bad?
    /// `nginx -t` fails and a reload keeps the old configuration, or a fresh container does not
    /// start at all. The rest of the file is still linted where it can be parsed.
    ///
    /// An `include` of an absolute path outside the repo (`/etc/nginx/snippets/ssl.conf`, not
    /// a glob) that no compose bind mount shows is reported once, as information: nginx reads
    /// it on the host, ipai cannot, so what it sets is not judged.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     proxy_pass http://odoo
    /// }
    /// ```
    ///
    /// ## Fix
    /// End every simple directive with `;`, close every block with `}`, and make each
    /// `include` name an existing file or a glob.
    ///
    /// ## Source
    /// nginx documentation, "Configuration File's Structure" in the Beginner's Guide
    /// (<https://nginx.org/en/docs/beginners_guide.html#conf_structure>) and the `include`
    /// directive (<https://nginx.org/en/docs/ngx_core_module.html#include>).
    pub struct NginxSyntax {
        code: "SYN001",
        name: "nginx-syntax-error",
        severity: Error,
        applies: Everywhere,
    }
}

impl Rule for NginxSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        report_syntax(cx, FileKind::Nginx, &Self::META, findings);
        // An absolute include outside the repo (and no compose mount showing it): nginx
        // reads it on the host, ipai cannot. Said once per path, as information.
        let mut seen = std::collections::BTreeSet::new();
        for config in &cx.workspace.nginx {
            for d in config.all_directives() {
                if !d.is("include") {
                    continue;
                }
                let Some(path) = d.arg(0).filter(|p| p.starts_with('/')) else {
                    continue;
                };
                // A glob (`conf.d/*.conf`) may match nothing, and nginx starts without it.
                if is_stock_file(path) || path.contains(['*', '?', '[']) {
                    continue;
                }
                if !crate::rules::nginx::include_unseen(config, d) || !seen.insert(path.to_string())
                {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, d.args_span()),
                        format!(
                            "`include {path}` reads a file outside the repo: ipai does not see what it sets, and rules that look for something missing say nothing about the blocks around it"
                        ),
                    )
                    .with_severity(Severity::Info)
                    .help("keep the file in the repo and mount it there (a compose bind mount of it is followed)"),
                );
            }
        }
    }
}
