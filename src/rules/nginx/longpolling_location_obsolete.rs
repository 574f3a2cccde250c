use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reports a `location /longpolling` in a vhost in front of Odoo 16 or later.
    ///
    /// ## Why is this bad?
    /// Odoo 16 replaced long polling with a websocket on `/websocket`. The old location
    /// routes nothing, and its presence usually means `/websocket` was never added, so
    /// chat and notifications are broken.
    ///
    /// ## Example
    /// ```nginx
    /// location /longpolling {
    ///     proxy_pass http://odoo_im;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Replace it with `location /websocket` (see NGX006).
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo — LiveChat": requests starting with `/websocket/`
    /// go to the gevent worker (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#livechat>);
    /// odoo/documentation PR #2618 "adapt deployment documentation to websocket".
    pub struct LongpollingLocationObsolete {
        code: "NGX007",
        name: "longpolling-location-obsolete",
        severity: Warning,
    }
}

impl Rule for LongpollingLocationObsolete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            if !server.fronts_odoo(cx) {
                continue;
            }
            // Odoo 15 and older serve `/longpolling`: with the series unknown, say nothing.
            let Some(version) = server.odoo_series(cx) else {
                continue;
            };
            for location in server.locations() {
                if location.pattern().1.starts_with("/longpolling") {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            server.at(location.directive, location.directive.args_span()),
                            format!("`/longpolling` is Odoo 15's; Odoo {version} uses `/websocket`"),
                        )
                        .help("replace it with `location /websocket` proxying to the gevent port with the Upgrade headers"),
                    );
                }
            }
        }
    }
}
