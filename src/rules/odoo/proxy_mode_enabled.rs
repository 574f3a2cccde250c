use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment;

declare_rule! {
    /// ## What it does
    /// Checks that `proxy_mode` is on in every deployed odoo.conf when the repo puts a
    /// reverse proxy in front of Odoo: its facts name sites, a deployed nginx server
    /// proxies to Odoo, or a deployed compose project runs nginx, Traefik, Caddy or
    /// HAProxy (or routes by Traefik labels). Where the repo shows no proxy, it says
    /// nothing: without one, `proxy_mode` must stay off.
    ///
    /// ## Why is this bad?
    /// Without proxy mode Odoo ignores `X-Forwarded-Host`, `-Proto` and `-For`: it builds
    /// URLs with `http://` and the upstream host name, stores a wrong `web.base.url` after an
    /// admin login, and logs nginx's address instead of the client's, which breaks fail2ban
    /// and rate limits.
    ///
    /// ## Example
    /// ```ini
    /// [options]
    /// proxy_mode = False
    /// ```
    ///
    /// ## Fix
    /// ```ini
    /// proxy_mode = True
    /// ```
    ///
    /// ## Source
    /// Odoo documentation, "System configuration — Deploying Odoo: HTTPS / proxy mode"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#https>);
    /// `odoo/http.py` (18.0) applies `ProxyFix` only when `proxy_mode` is set.
    pub struct ProxyModeEnabled {
        code: "ODOO001",
        name: "proxy-mode-enabled",
        severity: Error,
    }
}

impl Rule for ProxyModeEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // Without a proxy in front, proxy_mode off is right: on, Odoo would trust
        // X-Forwarded-* headers any client can send.
        if !deployment::behind_proxy(cx) {
            return;
        }
        for conf in confs(cx) {
            // `--proxy-mode` on Odoo's command line overrides the file.
            if conf.conf.options().is_none()
                || conf.flag("proxy_mode")
                || conf.set_on_command_line(cx, &["--proxy-mode"])
            {
                continue;
            }
            let message = match conf.entry("proxy_mode") {
                Some(_) => "proxy_mode is off, but Odoo runs behind a reverse proxy",
                None => "proxy_mode is not set (it defaults to off), but Odoo runs behind a reverse proxy",
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("proxy_mode"), message)
                    .help("set `proxy_mode = True` so Odoo trusts the proxy's X-Forwarded-Host, -Proto and -For"),
            );
        }
    }
}
