use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a vhost in front of an Odoo whose `list_db` is not `False` blocks
    /// `/web/database` (except, if wanted, `/web/database/selector`) with `deny all` or a
    /// `return 403`/`404`. When the odoo.conf is not in the repo, `list_db`'s default (true)
    /// is assumed.
    /// The Odoo behind is the facts' environment, or each Odoo service the `proxy_pass`
    /// reaches, all of which must leave `list_db` on; with no odoo.conf in the repo, the
    /// official image's default (on) applies only when the service runs the `odoo` image
    /// and mounts no configuration. A built image or a file missing from the repo says
    /// nothing.
    ///
    /// ## Why is this bad?
    /// The database manager can back up, duplicate, drop and restore databases; protected
    /// only by the master password, it is a brute-force target on the open internet.
    ///
    /// ## Example
    /// `list_db` unset in odoo.conf and no `/web/database` location in the vhost.
    ///
    /// ## Fix
    /// Set `list_db = False` in odoo.conf, or block the manager in nginx:
    /// ```nginx
    /// location /web/database {
    ///     deny all;
    /// }
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — Database manager security": "use the proxy
    /// server's features to block access to all routes starting with /web/database"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#database-manager-security>).
    pub struct DatabaseManagerBlocked {
        code: "NGX010",
        name: "database-manager-blocked",
        severity: Error,
    }
}

impl Rule for DatabaseManagerBlocked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            // An include ipai cannot read (a file on the host) may set what this rule
            // looks for: it says nothing about this server.
            if server.has_unseen_include() {
                continue;
            }
            if !server.fronts_odoo(cx) || !server.is_tls() {
                continue;
            }
            // Every configuration the Odoo behind may run (the repo's odoo.conf, or the
            // image's defaults, list_db on) leaves the manager on; when ipai cannot tell, it
            // says nothing.
            let Some(behind) = server.odoo_confs_behind(cx) else {
                continue;
            };
            let list_db = behind
                .iter()
                .all(|conf| conf.as_ref().is_none_or(|c| c.flag("list_db")));
            if !list_db {
                continue;
            }
            let conf = behind.into_iter().flatten().next();
            let blocked = server.locations().iter().any(|location| {
                location.matches_path("/web/database/manager")
                    && location.pattern().1 != "/"
                    && server.config.children(location.directive).any(|d| {
                        (d.is("deny") && d.arg(0) == Some("all"))
                            || (d.is("return") && matches!(d.arg(0), Some("403" | "404" | "444")))
                    })
            });
            if blocked {
                continue;
            }
            let mut finding = Finding::new(
                &Self::META,
                server.names_location(),
                "the Odoo database manager (/web/database) is reachable through this vhost",
            )
            .help("block it: `location /web/database { deny all; }`, and set `list_db = False` in odoo.conf");
            if let Some(conf) = conf {
                finding =
                    finding.related(conf.key_or_header("list_db"), "list_db is not False here");
            }
            findings.push(finding);
        }
    }
}
