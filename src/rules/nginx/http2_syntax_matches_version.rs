use super::servers;
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment;

declare_rule! {
    /// ## What it does
    /// Checks that HTTP/2 is enabled with the syntax of the stack's target nginx version:
    /// `http2 on;` from 1.25.1, `listen 443 ssl http2;` before it. Without a stack.yaml,
    /// the version is read from the compose nginx image's tag and judges only the configs a
    /// proxy service mounts; a vhost for the host's own nginx has no known version.
    ///
    /// ## Why is this bad?
    /// nginx 1.25.1 deprecated the `http2` parameter of `listen` and logs a warning on every
    /// reload ("the "listen ... http2" directive is deprecated"); nginx before 1.25.1 does
    /// not know the `http2` directive and refuses to start.
    ///
    /// ## Example
    /// With `nginx: {version: "1.27"}`:
    /// ```nginx
    /// listen 443 ssl http2;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// listen 443 ssl;
    /// http2 on;
    /// ```
    ///
    /// ## Source
    /// nginx changes with 1.25.1 (<https://nginx.org/en/CHANGES>): "the "http2" directive …
    /// the "http2" parameter of the "listen" directive is now deprecated"; nginx `http2`
    /// (<https://nginx.org/en/docs/http/ngx_http_v2_module.html#http2>).
    pub struct Http2SyntaxMatchesVersion {
        code: "NGX009",
        name: "http2-syntax-matches-version",
        severity: Warning,
    }
}

impl Rule for Http2SyntaxMatchesVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // Where nginx's version is unknown (host nginx from a distribution), no syntax can be
        // called the wrong one.
        let Some(version) = cx.stack.nginx_version() else {
            return;
        };
        let modern = version.has_http2_directive();
        let version = &cx.stack.nginx.version;
        let whose = match (&cx.stack.nginx.service, cx.stack.nginx.from_image) {
            (Some(service), true) => {
                format!("the `{service}` service's image runs nginx {version}")
            }
            _ => format!("the stack targets {version}"),
        };
        let mounted = deployment::proxy_mounted(cx);
        for server in servers(cx) {
            // A version read from a compose image holds for the configs that proxy mounts,
            // not for a vhost of the host's own nginx.
            if cx.stack.nginx.from_image && !mounted.covers(&server.config.root().source.name) {
                continue;
            }
            if modern {
                for listen in server.listens() {
                    if let Some(word) = listen.http2 {
                        findings.push(
                            Finding::new(
                                &Self::META,
                                server.at(listen.directive, word.span),
                                format!(
                                    "`listen … http2` is deprecated since nginx 1.25.1 ({whose})"
                                ),
                            )
                            .help("drop `http2` from listen and add `http2 on;` to the server"),
                        );
                    }
                }
            } else {
                for directive in server.own("http2") {
                    findings.push(
                        Finding::new(
                            &Self::META,
                            server.at(directive, directive.span),
                            format!("nginx {version} has no `http2` directive (it came in 1.25.1) and refuses to start"),
                        )
                        .help("use `listen 443 ssl http2;` for this nginx version"),
                    );
                }
            }
        }
    }
}
