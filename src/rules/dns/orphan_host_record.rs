use super::zones;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::zone::{RData, RDataKind};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::nginx::servers;

declare_rule! {
    /// ## What it does
    /// Reports an A record pointing at a stack host whose name is neither a stack site nor a
    /// `server_name` of the repo's nginx.
    ///
    /// ## Why is this bad?
    /// The name reaches the droplet, where nginx serves it with its default server: usually
    /// the first vhost, so a forgotten name shows production Odoo under a name nobody
    /// maintains, with a certificate that does not cover it.
    ///
    /// ## Example
    /// ```text
    /// old-erp  IN A 178.128.112.214
    /// ```
    ///
    /// ## Fix
    /// Delete the record, or add the site to stack.yaml and give it a vhost.
    ///
    /// ## Source
    /// nginx, "How nginx processes a request" (default server,
    /// <https://nginx.org/en/docs/http/request_processing.html>); CANONICAL_ODOO_STACK_SNAPSHOT.md §1.
    pub struct OrphanHostRecord {
        code: "DNS007",
        name: "orphan-host-record",
        severity: Warning,
    }
}

impl Rule for OrphanHostRecord {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let hosts: Vec<_> = cx.stack.hosts.iter().map(|h| h.ipv4).collect();
        let vhost_names: Vec<String> = servers(cx)
            .iter()
            .flat_map(|s| {
                s.names()
                    .into_iter()
                    .map(|w| w.as_str().to_ascii_lowercase())
            })
            .collect();
        for file in zones(cx) {
            for record in file.of_kind(RDataKind::A) {
                let RData::A(address) = &record.rdata else {
                    continue;
                };
                if !hosts.contains(&address.value) {
                    continue;
                }
                let name = file.display(record.owner.id);
                if cx.stack.site(name).is_some() || vhost_names.iter().any(|v| v == name) {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        file.owner(record),
                        format!(
                            "`{name}` points at the stack host {} but is no site and no vhost",
                            address.value
                        ),
                    )
                    .help("delete the record, or add the site to stack.yaml and give it a vhost"),
                );
            }
        }
    }
}
