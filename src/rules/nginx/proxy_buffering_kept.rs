use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `proxy_buffering` is not turned off, except in a location that carries a
    /// websocket or Odoo's long-polling bus (it, or its server, sets the `Upgrade` header, or
    /// its path is `/websocket` or `/longpolling`), where responses stream by design, and
    /// where the comment just above says it is for streaming (`# no buffering: SSE
    /// stream`): a choice the author made and wrote down.
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
            let upgrades = |block: &crate::formats::nginx::Directive| {
                config
                    .find(block, "proxy_set_header")
                    .any(|h| h.arg(0).is_some_and(|n| n.eq_ignore_ascii_case("upgrade")))
            };
            let streams = visit.enclosing("location").is_some_and(|location| {
                let path = location.args.last().map_or("", |w| w.as_str());
                path.contains("websocket") || path.contains("longpolling") || upgrades(location)
            }) || visit.enclosing("server").is_some_and(upgrades)
                || said_to_stream(config, d);
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

/// Whether the comment lines right above a directive say it serves a stream (`stream`,
/// `SSE`, `event-stream`, `server-sent`).
fn said_to_stream(
    config: &crate::formats::nginx::Config,
    d: &crate::formats::nginx::Directive,
) -> bool {
    let Some(source) = config.source_of(d) else {
        return false;
    };
    let before = source.text.get(..d.span.start()).unwrap_or("");
    // The lines above the directive's own.
    let above = before.rfind('\n').map_or("", |n| &before[..n]);
    above
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with('#'))
        .take(4)
        .any(|l| {
            let l = l.to_ascii_lowercase();
            ["stream", "sse", "server-sent"]
                .iter()
                .any(|w| l.contains(w))
        })
}
