use super::{servers, sets_header};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::stack::Environment;

declare_rule! {
    /// ## What it does
    /// Checks that every vhost of a staging site sends `X-Environment: STAGING`, the stack's
    /// visual indicator. The header is a convention of the stack's facts: in a repo with no
    /// stack.yaml, whose facts ipai reads from its files, nothing is asked.
    ///
    /// ## Why is this bad?
    /// Staging holds a copy of production data and looks exactly like it. The header lets
    /// browser extensions, monitoring and people tell them apart before they send mail or
    /// post invoices from the wrong one.
    ///
    /// ## Example
    /// A vhost for `erp.staging.insightpulseai.net` with no `add_header X-Environment`.
    ///
    /// ## Fix
    /// ```nginx
    /// add_header X-Environment STAGING always;
    /// ```
    ///
    /// ## Source
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §2, staging vhost: "Visual indicator:
    /// `X-Environment: STAGING` header"; nginx `add_header`
    /// (<https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header>).
    pub struct StagingEnvironmentHeader {
        code: "NGX011",
        name: "staging-environment-header",
        severity: Warning,
    }
}

impl Rule for StagingEnvironmentHeader {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // The header is the snapshot's convention: a repo stating no facts of its own has
        // not adopted it.
        if cx.stack.inferred {
            return;
        }
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            if server.environment(cx) != Some(Environment::Staging)
                || (server.is_plain_http() && !server.is_tls())
            {
                continue;
            }
            let headers = server.effective_all("add_header");
            let ok =
                sets_header(&headers, "X-Environment").is_some_and(|d| d.arg(1) == Some("STAGING"));
            if !ok {
                findings.push(
                    Finding::new(
                        &Self::META,
                        server.names_location(),
                        "this staging vhost does not send `X-Environment: STAGING`",
                    )
                    .help("add_header X-Environment STAGING always;"),
                );
            }
        }
    }
}
