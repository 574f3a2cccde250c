use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::policy::parse_nginx_size;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that each vhost in front of Odoo allows request bodies of at least the
    /// policy's `client_max_body_size` (100M by default; nginx's own default is 1m).
    /// Judged on every vhost whose `location /` proxies to Odoo, over TLS or plain HTTP: a
    /// landing page that passes a few `/web/…` paths to Odoo carries none of the web
    /// client's uploads, and a port-80 server that only redirects proxies nothing.
    ///
    /// ## Why is this bad?
    /// Attachments, imports and database restores larger than the limit fail with
    /// "413 Request Entity Too Large" before Odoo sees them.
    ///
    /// ## Example
    /// ```nginx
    /// client_max_body_size 10M;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// client_max_body_size 100M;
    /// ```
    ///
    /// ## Source
    /// nginx `client_max_body_size`
    /// (<https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size>).
    pub struct ClientMaxBodySize {
        code: "NGX004",
        name: "client-max-body-size",
        severity: Warning,
    }
}

impl Rule for ClientMaxBodySize {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let wanted_text = &cx.policy.nginx.client_max_body_size;
        let Some(wanted) = parse_nginx_size(wanted_text) else {
            return;
        };
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            // Plain HTTP or TLS: whichever server hands Odoo's client to users takes the
            // uploads (a port-80 server that only redirects proxies nothing).
            if !server.serves_odoo_client(cx) {
                continue;
            }
            match server.effective("client_max_body_size") {
                None => findings.push(
                    Finding::new(
                        &Self::META,
                        server.names_location(),
                        "client_max_body_size is not set: nginx accepts bodies up to 1m",
                    )
                    .help(format!("client_max_body_size {wanted_text};")),
                ),
                Some(d) => {
                    let value = d.arg(0).unwrap_or("");
                    let size = parse_nginx_size(value);
                    // 0 disables the check.
                    if size.is_some_and(|s| s != 0 && s < wanted) {
                        findings.push(
                            Finding::new(&Self::META, server.at(d, d.args_span()), format!("client_max_body_size {value} is below the policy's {wanted_text}"))
                                .help(format!("client_max_body_size {wanted_text};")),
                        );
                    }
                }
            }
        }
    }
}
