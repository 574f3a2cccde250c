use super::add_header_inherited::{check_family, Family};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a block (`server`, `location`) that sets `proxy_set_header`s of its own
    /// repeats the ones the blocks around it set. Left alone are `X-Forwarded-Host`,
    /// `X-Forwarded-For` and `X-Forwarded-Proto`, which NGX008 requires where Odoo is
    /// proxied, and outer headers whose loss changes nothing the upstream reads: the ones
    /// that repeat nginx's own defaults (`Host $proxy_host`, `Connection close`, and an empty
    /// `Upgrade`, `Keep-Alive`, `Expect` or `TE`, which nginx never passes on) and
    /// `Connection ""`, whose loss only ends keep-alive to the upstream.
    ///
    /// ## Why is this bad?
    /// nginx inherits `proxy_set_header` from the outer level only into a level that has
    /// none of its own. A location that adds one header silently sends the upstream none
    /// of the server's: `Host` falls back to the `proxy_pass` name, `X-Real-IP` is gone,
    /// and a header the server blanks to stop clients from forging it
    /// (`proxy_set_header X-Internal-Auth "";`) reaches the upstream as the client sent
    /// it.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     proxy_set_header Host $host;
    ///     proxy_set_header X-Real-IP $remote_addr;
    ///     location /api/ {
    ///         proxy_set_header X-Request-Id $request_id;
    ///         proxy_pass http://api;
    ///     }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Repeat the outer headers in the block (an `include` of a shared snippet keeps them
    /// in one place):
    /// ```nginx
    /// location /api/ {
    ///     include snippets/proxy-headers.conf;
    ///     proxy_set_header X-Request-Id $request_id;
    ///     proxy_pass http://api;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `proxy_set_header` ("These directives are inherited from the previous
    /// configuration level if and only if there are no proxy_set_header directives defined
    /// on the current level"; the defaults `Host $proxy_host` and `Connection close`)
    /// (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header>);
    /// nginx source, the default header list `ngx_http_proxy_headers`
    /// (<https://github.com/nginx/nginx/blob/master/src/http/modules/ngx_http_proxy_module.c>);
    /// gixy-next plugin `proxy_set_header_redefinition`.
    pub struct ProxySetHeaderInherited {
        code: "NGX035",
        name: "proxy-set-header-inherited",
        severity: Warning,
        peers: ["gixy-next/proxy_set_header_redefinition"],
    }
}

/// Whether losing an outer `proxy_set_header` changes nothing the upstream reads, or is
/// NGX008's to report.
fn left_alone(d: &Directive) -> bool {
    let (Some(name), Some(value)) = (d.arg(0), d.arg(1)) else {
        return true;
    };
    let name = name.to_ascii_lowercase();
    let forwarded = matches!(
        name.as_str(),
        "x-forwarded-host" | "x-forwarded-for" | "x-forwarded-proto"
    );
    let default = match name.as_str() {
        "host" => value == "$proxy_host",
        "connection" => value.is_empty() || value.eq_ignore_ascii_case("close"),
        "upgrade" | "keep-alive" | "expect" | "te" => value.is_empty(),
        _ => false,
    };
    forwarded || default
}

const PROXY_SET_HEADER: Family = Family {
    meta: &ProxySetHeaderInherited::META,
    field: "proxy_set_header",
    inherit: None,
    kind: "header",
    verb: "set",
    levels: &["http", "server", "location", "if"],
    left_alone,
    help: "repeat the outer proxy_set_headers here (an include of a shared snippet keeps them in one place)",
};

impl Rule for ProxySetHeaderInherited {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        check_family(cx, &PROXY_SET_HEADER, findings);
    }
}
