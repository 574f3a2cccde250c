use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::servers;

declare_rule! {
    /// ## What it does
    /// Checks that every literal `server_name` in the repo's nginx files is a site in the
    /// stack facts. Catch-alls (`_`), wildcards, regular expressions and `localhost` are
    /// skipped.
    ///
    /// ## Why is this bad?
    /// A name nginx serves but the facts do not know has no DNS record, no certificate plan
    /// and no owner: usually a typo (`erp.insightpulsai.net`) that leaves the real name
    /// unserved, or a forgotten vhost.
    ///
    /// ## Example
    /// ```nginx
    /// server_name erp.insightpulseai.net odoo.insightpulseai.net;
    /// ```
    ///
    /// ## Fix
    /// Correct the name, or add the site to `sites` in stack.yaml (with its DNS record and
    /// certificate).
    ///
    /// ## Source
    /// nginx, "Server names" (<https://nginx.org/en/docs/http/server_names.html>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §1, the stack's sites.
    pub struct ServerNameIsStackSite {
        code: "STK001",
        name: "server-name-is-stack-site",
        severity: Warning,
    }
}

impl Rule for ServerNameIsStackSite {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            for name in server.names() {
                let host = name.as_str();
                let special = host == "_"
                    || host == "localhost"
                    || host.starts_with('~')
                    || host.contains('*')
                    || host.starts_with('.')
                    || host.starts_with('$')
                    || host.parse::<std::net::IpAddr>().is_ok()
                    // Not a host name at all: a template's placeholder (`__DOMAIN__`,
                    // `{{ domain }}`, `<your-domain>`) that a script fills in.
                    || !host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
                if special || cx.stack.site(host).is_some() {
                    continue;
                }
                let sites = cx.stack.sites.iter().map(|s| s.fqdn.as_str());
                let help = match crate::suggest::closest(host, sites) {
                    Some(close) => format!("did you mean `{close}`? Otherwise add `{host}` to the sites in stack.yaml"),
                    None => format!("add `{host}` to the sites in stack.yaml, with its DNS record and certificate"),
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        server.name_at(name),
                        format!("`{host}` is not a site of the stack"),
                    )
                    .help(help),
                );
            }
        }
    }
}
