use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a TLS `default_server` that refuses handshakes
    /// (`ssl_reject_handshake on`) and speaks HTTP/2 (`http2 on`, or `listen … http2`)
    /// answers `421 Misdirected Request`: with `return 421;` in the server or in its
    /// `location /`.
    ///
    /// ## Why is this bad?
    /// A browser reuses an HTTP/2 connection for another host name when the certificate
    /// it got covers that name and the address is the same. The handshake was made with
    /// one of the real servers, so `ssl_reject_handshake` never runs; nginx picks the
    /// server for the request by its `Host`, and a name no `server_name` lists lands in
    /// the default server. Without `return 421` that server answers with its own content
    /// (nginx's default `html` root, a 404) instead of telling the browser to open a new
    /// connection for that name, which the rejected handshake would then refuse.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 443 ssl default_server;
    ///     http2 on;
    ///     ssl_reject_handshake on;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// server {
    ///     listen 443 ssl default_server;
    ///     http2 on;
    ///     ssl_reject_handshake on;
    ///     return 421;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `ssl_reject_handshake` (<https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_reject_handshake>)
    /// and how nginx chooses a server by `Host` (<https://nginx.org/en/docs/http/request_processing.html>);
    /// RFC 9113 section 9.1.1, connection reuse, and RFC 9110 section 15.5.20, 421
    /// (<https://www.rfc-editor.org/rfc/rfc9113#section-9.1.1>); gixy-next plugin
    /// `http2_misdirected_request`.
    pub struct RejectingDefaultAnswers421 {
        code: "NGX034",
        name: "rejecting-default-answers-421",
        severity: Info,
        peers: ["gixy-next/http2_misdirected_request"],
    }
}

impl Rule for RejectingDefaultAnswers421 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for server in servers(cx) {
            let listens = server.listens();
            let default_tls = listens.iter().find(|l| {
                l.ssl
                    && l.directive
                        .arg_values()
                        .skip(1)
                        .any(|a| a == "default_server" || a == "default")
            });
            let Some(default_tls) = default_tls else {
                continue;
            };
            if !server.rejects_handshake() || server.has_unseen_include() {
                continue;
            }
            let http2 = listens.iter().any(|l| l.http2.is_some())
                || server
                    .effective("http2")
                    .is_some_and(|d| d.arg(0) == Some("on"));
            if !http2 {
                continue;
            }
            let answers_421 = |d: &crate::formats::nginx::Directive| d.arg(0) == Some("421");
            let server_returns = server.own("return").any(answers_421);
            let root_returns = server.locations().iter().any(|l| {
                l.parents.is_empty()
                    && matches!(l.pattern(), ("", "/") | ("^~", "/") | ("=", "/"))
                    && l.own(server.config, "return").into_iter().any(answers_421)
            });
            if server_returns || root_returns {
                continue;
            }
            findings.push(
                Finding::new(
                    &Self::META,
                    server.at(default_tls.directive, default_tls.directive.span),
                    "this HTTP/2 default server rejects TLS handshakes but answers the requests browsers send it over a reused connection for names no server lists, instead of `421 Misdirected Request`",
                )
                .help("add `return 421;` to the server"),
            );
        }
    }
}
