use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `proxy_buffering` is not turned off, except in a location that carries a
    /// websocket or Odoo's long-polling bus (it sets the `Upgrade` header, or its path is
    /// `/websocket` or `/longpolling`), where responses stream by design.
    ///
    /// ## Why is this bad?
    /// With buffering on, nginx reads the upstream's response as fast as Odoo sends it and
    /// frees the Odoo worker, then feeds the client at the client's pace. With
    /// `proxy_buffering off` the Odoo worker stays busy until the slowest client has
    /// received the last byte: a handful of slow or deliberately stalled clients hold every
    /// worker of a prefork Odoo (`workers = N`), and the site stops answering.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     proxy_pass http://odoo;
    ///     proxy_buffering off;
    /// }
    /// ```
    ///
    /// ## Fix
    /// Drop `proxy_buffering off;` (buffering is on by default). An endpoint that must
    /// stream can say so per response with the `X-Accel-Buffering: no` header.
    ///
    /// ## Source
    /// nginx `proxy_buffering` (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering>);
    /// Odoo documentation, "Deploying Odoo — Builtin server"
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#builtin-server>);
    /// gixy-next plugin `proxy_buffering_off`.
    pub struct ProxyBufferingKept {
        code: "NGX019",
        name: "proxy-buffering-kept",
        severity: Warning,
        peers: ["gixy-next/proxy_buffering_off"],
    }
}

impl Rule for ProxyBufferingKept {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("proxy_buffering") || !d.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("off"))
            {
                return;
            }
            let streams = visit.enclosing("location").is_some_and(|location| {
                let path = location.args.last().map_or("", |w| w.as_str());
                path.contains("websocket")
                    || path.contains("longpolling")
                    || config
                        .find(location, "proxy_set_header")
                        .any(|h| h.arg(0).is_some_and(|n| n.eq_ignore_ascii_case("upgrade")))
            });
            if streams {
                return;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.args_span()),
                    "`proxy_buffering off` keeps the upstream worker busy until the slowest client has read the whole response",
                )
                .help("drop `proxy_buffering off;`; an endpoint that must stream can send `X-Accel-Buffering: no`"),
            );
        });
    }
}
