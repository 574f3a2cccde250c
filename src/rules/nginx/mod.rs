//! `NGX`: nginx vhosts for Odoo, judged against the stack's facts and its odoo.conf.
//!
//! Servers, locations and upstreams come from the workspace's [`NginxView`], built once a
//! run; what a server means for the stack (its site, its Odoo) is read here.

mod add_header_inherited;
mod alias_traversal;
mod allow_ends_with_deny;
mod capture_after_args_rewrite;
mod capture_reference_exists;
mod client_max_body_size;
mod content_type_by_default_type;
mod database_manager_blocked;
mod default_server_marked;
mod error_log_not_off;
mod forwarded_headers_set;
mod hash_has_default;
mod header_value_one_line;
mod hsts_enabled;
mod http2_syntax_matches_version;
mod http_redirects_to_https;
mod if_in_location_safe;
mod keepalive_requests_kept;
mod longpolling_location_obsolete;
mod proxied_name_resolved;
mod proxy_buffering_kept;
mod proxy_host_from_client;
mod proxy_read_timeout;
mod proxy_set_header_inherited;
mod quic_bpf_survives_reload;
pub(crate) mod regex;
mod rejecting_default_answers_421;
mod resolver_trusted;
mod return_after_access;
mod rewrite_captures_disjoint;
mod root_not_filesystem_root;
mod server_tokens_off;
mod ssl_ecdh_curve_supported;
mod ssl_stapling_effective;
mod staging_environment_header;
mod static_files_cached;
mod status_page_restricted;
mod tls_certificate_known;
mod try_files_cached;
mod valid_referers_strict;
mod variable_case_consistent;
mod websocket_routed;
mod worker_processes_set;
mod worker_rlimit_nofile_fits;

pub use add_header_inherited::AddHeaderInherited;
pub use alias_traversal::AliasTraversal;
pub use allow_ends_with_deny::AllowEndsWithDeny;
pub use capture_after_args_rewrite::CaptureAfterArgsRewrite;
pub use capture_reference_exists::CaptureReferenceExists;
pub use client_max_body_size::ClientMaxBodySize;
pub use content_type_by_default_type::ContentTypeByDefaultType;
pub use database_manager_blocked::DatabaseManagerBlocked;
pub use default_server_marked::DefaultServerMarked;
pub use error_log_not_off::ErrorLogNotOff;
pub use forwarded_headers_set::ForwardedHeadersSet;
pub use hash_has_default::HashHasDefault;
pub use header_value_one_line::HeaderValueOneLine;
pub use hsts_enabled::HstsEnabled;
pub use http2_syntax_matches_version::Http2SyntaxMatchesVersion;
pub use http_redirects_to_https::HttpRedirectsToHttps;
pub use if_in_location_safe::IfInLocationSafe;
pub use keepalive_requests_kept::KeepaliveRequestsKept;
pub use longpolling_location_obsolete::LongpollingLocationObsolete;
pub use proxied_name_resolved::ProxiedNameResolved;
pub use proxy_buffering_kept::ProxyBufferingKept;
pub use proxy_host_from_client::ProxyHostFromClient;
pub use proxy_read_timeout::ProxyReadTimeout;
pub use proxy_set_header_inherited::ProxySetHeaderInherited;
pub use quic_bpf_survives_reload::QuicBpfSurvivesReload;
pub use rejecting_default_answers_421::RejectingDefaultAnswers421;
pub use resolver_trusted::ResolverTrusted;
pub use return_after_access::ReturnAfterAccess;
pub use rewrite_captures_disjoint::RewriteCapturesDisjoint;
pub use root_not_filesystem_root::RootNotFilesystemRoot;
pub use server_tokens_off::ServerTokensOff;
pub use ssl_ecdh_curve_supported::SslEcdhCurveSupported;
pub use ssl_stapling_effective::SslStaplingEffective;
pub use staging_environment_header::StagingEnvironmentHeader;
pub use static_files_cached::StaticFilesCached;
pub use status_page_restricted::StatusPageRestricted;
pub(crate) use tls_certificate_known::lineage as tls_lineage;
pub use tls_certificate_known::TlsCertificateKnown;
pub use try_files_cached::TryFilesCached;
pub use valid_referers_strict::ValidReferersStrict;
pub use variable_case_consistent::VariableCaseConsistent;
pub(crate) use websocket_routed::prefork as websocket_prefork;
pub use websocket_routed::WebsocketRouted;
pub use worker_processes_set::WorkerProcessesSet;
pub use worker_rlimit_nofile_fits::WorkerRlimitNofileFits;

use crate::formats::nginx::{Config, Directive, Word};
use crate::rule::Context;
use crate::rules::deployment;
use crate::rules::odoo::Conf;
use crate::stack::{Environment, OdooEnvironment, Site};
pub(crate) use crate::workspace::nginx_view::{sets_header, Loc, Server};

use crate::workspace::scope::ODOO_PORTS;

/// Calls `visit` for every directive of every nginx configuration, blocks entered and
/// includes expanded, with the blocks enclosing it. A file several configurations include
/// is met once per configuration; the engine drops the repeated findings.
pub(crate) fn each_directive<'a>(
    cx: &'a Context<'_>,
    mut visit: impl FnMut(&'a Config, &crate::formats::nginx::Visit<'_, 'a>),
) {
    for config in &cx.workspace.nginx {
        config.walk(|v| visit(config, v));
    }
}

/// Where a directive of `config` is, as a finding location.
pub(crate) fn at(
    config: &Config,
    directive: &Directive,
    span: crate::source::Span,
) -> crate::finding::Location {
    crate::workspace::nginx_view::at(config, directive, span)
}

/// Whether a variable name (without `$`) holds what the client sent: a request header,
/// a query argument or a cookie. nginx reads variable names case-insensitively.
pub(crate) fn client_variable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["http_", "arg_", "cookie_"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
}

/// The variable names (without `$`, braces removed) a value refers to.
pub(crate) fn variables(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = if braced { i + 2 } else { i + 1 };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end > start {
            found.push(&value[start..end]);
        }
        i = end.max(i + 1);
    }
    found
}

/// The nginx version that runs a configuration, as a number and as the facts write it
/// (`1.27`), if known: a version read from a compose image holds for the configs that
/// proxy mounts, not for a vhost of the host's own nginx. Which paths the proxy mounts is
/// found once, for every configuration asked about.
pub(crate) fn nginx_version_of<'s>(
    cx: &Context<'s>,
) -> impl Fn(&Config) -> Option<(crate::stack::NginxVersion, &'s str)> + 's {
    let stack: &'s crate::stack::Stack = cx.stack;
    let version = stack.nginx_version();
    let mounted =
        (version.is_some() && cx.stack.nginx.from_image).then(|| deployment::proxy_mounted(cx));
    move |config: &Config| {
        let applies = mounted
            .as_ref()
            .is_none_or(|m| m.covers(&config.root().source.name));
        version
            .filter(|_| applies)
            .map(|v| (v, stack.nginx.version.as_str()))
    }
}

/// Every `server` block of every nginx configuration in the workspace.
pub(crate) fn servers<'a>(cx: &'a Context<'_>) -> &'a [Server<'a>] {
    cx.nginx().servers()
}

/// The host and port a `proxy_pass` reaches, through an `upstream` block when it names
/// one: `(host, port, the directive or upstream server word that says so)`.
pub(crate) fn proxy_targets<'a>(
    cx: &'a Context<'_>,
    config: &'a Config,
    proxy_pass: &'a Directive,
) -> Vec<(String, Option<u16>, &'a Directive, &'a Word)> {
    cx.nginx().proxy_targets(config, proxy_pass)
}

impl<'a> Server<'a> {
    /// The stack site this server serves: the first `server_name` that is one.
    pub fn site<'s>(&self, cx: &'s Context<'_>) -> Option<&'s Site> {
        let index = *self.site_cache.get_or_init(|| {
            self.names().iter().find_map(|w| {
                let site = cx.stack.site(w.as_str())?;
                cx.stack.sites.iter().position(|s| std::ptr::eq(s, site))
            })
        });
        index.map(|i| &cx.stack.sites[i])
    }

    /// The Odoo environment this server fronts: its site's upstream is an environment's
    /// compose service (or the site's environment runs Odoo and the server proxies).
    pub fn odoo_environment<'s>(&self, cx: &'s Context<'_>) -> Option<&'s OdooEnvironment> {
        let site = self.site(cx)?;
        let upstream = site.upstream.as_deref()?;
        cx.stack
            .odoo
            .environments
            .iter()
            .find(|e| e.service.as_deref() == Some(upstream))
    }

    /// The odoo.conf of the Odoo this server fronts, if the repo has it: the facts'
    /// environment's, else the one the Odoo service its `proxy_pass` reaches runs (one
    /// file; none when several services with different files answer).
    pub fn odoo_conf<'s>(&self, cx: &'s Context<'_>) -> Option<Conf<'s>> {
        if let Some(env) = self.odoo_environment(cx) {
            return crate::rules::odoo::conf_of(cx, env);
        }
        let mut behind = self.odoo_confs_behind(cx)?.into_iter();
        let first = behind.next()??;
        behind
            .all(|c| c.is_some_and(|c| c.source.name == first.source.name))
            .then_some(first)
    }

    /// The Odoo series behind this server: the facts', else the one every Odoo service its
    /// `proxy_pass`es reach runs (image tag or Dockerfile base), if they agree and ipai
    /// has tables for it.
    pub fn odoo_series(&self, cx: &Context<'_>) -> Option<crate::formats::odoo_conf::OdooVersion> {
        if let Some(version) = cx.stack.known_odoo_version() {
            return Some(version);
        }
        let uses = deployment::conf_use(cx);
        let mut series = self.proxied(cx).iter().flat_map(|(host, port)| {
            uses.odoo_from(&self.config.root().source.name, host, *port)
                .iter()
                .map(|d| d.series(cx))
        });
        let first = series.next()??;
        series
            .all(|s| s.as_ref() == Some(&first))
            .then(|| first.parse().ok())
            .flatten()
    }

    /// Whether the Odoo behind this server is 16.0 or later, where the bus is a websocket
    /// on `/websocket`: its series is known, or every Odoo service it reaches runs the
    /// official image at a moving tag (`latest`, or none), which has pointed at 16.0 or a
    /// later series since October 2022.
    pub fn odoo_has_websocket_bus(&self, cx: &Context<'_>) -> bool {
        if let Some(series) = self.odoo_series(cx) {
            return series >= crate::formats::odoo_conf::OdooVersion::V16;
        }
        let uses = deployment::conf_use(cx);
        let mut reached = self
            .proxied(cx)
            .iter()
            .flat_map(|(host, port)| {
                uses.odoo_from(&self.config.root().source.name, host, *port)
                    .iter()
            })
            .peekable();
        reached.peek().is_some()
            && reached.all(|d| crate::stack::infer::runs_moving_odoo_tag(d.service))
    }

    /// Whether this server proxies to Odoo: its site's facts say so, or a `proxy_pass`
    /// reaches Odoo's port (8069 or 8072, Odoo's defaults for `http_port` and
    /// `gevent_port`) or an Odoo compose service.
    pub fn fronts_odoo(&self, cx: &Context<'_>) -> bool {
        *self.fronts_odoo_cache.get_or_init(|| {
            let proxies = self.locations().iter().any(|l| l.proxy_pass().is_some());
            proxies && (self.odoo_environment(cx).is_some() || self.reaches_odoo(cx))
        })
    }

    /// The configurations the Odoo behind this server may run, one per Odoo service its
    /// `proxy_pass` reaches: the repo's odoo.conf it mounts or its image copies in, or
    /// `None` for the official image's defaults (an `odoo` image mounting no
    /// configuration). `None` overall when ipai cannot tell: no Odoo service is reached, one
    /// is built from a Dockerfile that copies in no repo odoo.conf, or the file it mounts is
    /// not in the repo. With stack facts, the facts' environment's file.
    pub fn odoo_confs_behind<'s>(&self, cx: &'s Context<'_>) -> Option<Vec<Option<Conf<'s>>>> {
        if self.odoo_environment(cx).is_some() {
            return Some(vec![self.odoo_conf(cx)]);
        }
        let uses = deployment::conf_use(cx);
        let mut found = Vec::new();
        for (host, port) in self.proxied(cx) {
            for odoo in uses.odoo_from(&self.config.root().source.name, host, *port) {
                match odoo.mounted_conf(cx) {
                    Some(mapped) => {
                        let name = mapped.repo_path()?;
                        found.push(Some(
                            crate::rules::odoo::confs(cx).find(|c| c.source.name == name)?,
                        ));
                    }
                    None if odoo.service.build.is_some() => {
                        // A configuration the image copies in from the repo.
                        let name = odoo.conf_in_repo(cx)?;
                        found.push(Some(
                            crate::rules::odoo::confs(cx).find(|c| c.source.name == name)?,
                        ));
                    }
                    None => {
                        let defaults = odoo.service.build.is_none()
                            && crate::stack::infer::image_is_odoo(odoo.service)
                            && !odoo.service.volumes.iter().any(|m| {
                                m.target
                                    .as_ref()
                                    .is_some_and(|t| t.value.starts_with("/etc/odoo"))
                            });
                        if !defaults {
                            return None;
                        }
                        found.push(None);
                    }
                }
            }
        }
        (!found.is_empty()).then_some(found)
    }

    /// Whether this server hands Odoo's web client to Odoo: it fronts Odoo and its
    /// `location /` proxies. A landing page that passes only a few `/web/…` paths to Odoo
    /// serves no uploads, bus or assets of the client.
    pub fn serves_odoo_client(&self, cx: &Context<'_>) -> bool {
        self.fronts_odoo(cx)
            && self
                .locations()
                .iter()
                .any(|l| matches!(l.pattern(), ("", "/") | ("^~", "/")) && l.proxy_pass().is_some())
    }

    /// Whether a `proxy_pass` of this server reaches Odoo by the topology alone.
    pub fn reaches_odoo(&self, cx: &Context<'_>) -> bool {
        let uses = deployment::conf_use(cx);
        self.proxied(cx).iter().any(|(host, port)| {
            port.is_some_and(|p| ODOO_PORTS.contains(&p))
                || !uses
                    .odoo_from(&self.config.root().source.name, host, *port)
                    .is_empty()
        })
    }

    /// Every host and port this server's `proxy_pass`es reach, through upstreams.
    pub fn proxied(&self, cx: &Context<'_>) -> &[(String, Option<u16>)] {
        self.proxied_cache.get_or_init(|| {
            let mut targets = Vec::new();
            for location in self.locations() {
                let Some(proxy_pass) = location.proxy_pass() else {
                    continue;
                };
                for (host, port, ..) in proxy_targets(cx, self.config, proxy_pass) {
                    targets.push((host, port));
                }
            }
            targets
        })
    }

    pub fn environment(&self, cx: &Context<'_>) -> Option<Environment> {
        self.site(cx).map(|s| s.environment)
    }
}

/// Directives that authenticate a client in the access phase, which `satisfy any` accepts
/// in place of `allow`.
pub(crate) const AUTHENTICATES: [&str; 9] = [
    "auth_basic",
    "auth_request",
    "auth_jwt",
    "auth_oidc",
    "auth_digest",
    "auth_pam",
    "auth_ldap",
    "auth_gss",
    "auth_spnego",
];

/// Whether an `include` reads something ipai cannot see: a file outside the repo, or
/// nothing it could find.
pub(crate) fn include_unseen(config: &Config, include: &Directive) -> bool {
    include.includes().is_empty()
        || include.includes().iter().any(|&id| {
            config
                .file(id)
                .is_none_or(|f| f.source.name.starts_with('/'))
        })
}
