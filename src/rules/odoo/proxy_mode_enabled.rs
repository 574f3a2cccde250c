use super::confs;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `proxy_mode` is on in every odoo.conf, since the stack serves Odoo only
    /// through nginx.
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
        for conf in confs(cx) {
            if conf.conf.options().is_none() || conf.flag("proxy_mode") {
                continue;
            }
            let message = match conf.entry("proxy_mode") {
                Some(_) => "proxy_mode is off, but Odoo runs behind nginx",
                None => "proxy_mode is not set (it defaults to off), but Odoo runs behind nginx",
            };
            findings.push(
                Finding::new(&Self::META, conf.key_or_header("proxy_mode"), message)
                    .help("set `proxy_mode = True` so Odoo trusts nginx's X-Forwarded-Host, -Proto and -For"),
            );
        }
    }
}
