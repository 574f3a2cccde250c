//! `NGX`: nginx vhosts for Odoo, judged against the stack's facts and its odoo.conf.
//!
//! Servers, locations and upstreams come from the workspace's [`NginxView`], built once a
//! run; what a server means for the stack (its site, its Odoo) is read here.

mod client_max_body_size;
mod database_manager_blocked;
mod forwarded_headers_set;
mod hsts_enabled;
mod http2_syntax_matches_version;
mod http_redirects_to_https;
mod longpolling_location_obsolete;
mod proxy_read_timeout;
mod server_tokens_off;
mod staging_environment_header;
mod static_files_cached;
mod tls_certificate_known;
mod websocket_routed;

pub use client_max_body_size::ClientMaxBodySize;
pub use database_manager_blocked::DatabaseManagerBlocked;
pub use forwarded_headers_set::ForwardedHeadersSet;
pub use hsts_enabled::HstsEnabled;
pub use http2_syntax_matches_version::Http2SyntaxMatchesVersion;
pub use http_redirects_to_https::HttpRedirectsToHttps;
pub use longpolling_location_obsolete::LongpollingLocationObsolete;
pub use proxy_read_timeout::ProxyReadTimeout;
pub use server_tokens_off::ServerTokensOff;
pub use staging_environment_header::StagingEnvironmentHeader;
pub use static_files_cached::StaticFilesCached;
pub(crate) use tls_certificate_known::lineage as tls_lineage;
pub use tls_certificate_known::TlsCertificateKnown;
pub(crate) use websocket_routed::prefork as websocket_prefork;
pub use websocket_routed::WebsocketRouted;

use crate::formats::nginx::{Config, Directive, Word};
use crate::rule::Context;
use crate::rules::odoo::Conf;
use crate::stack::{Environment, OdooEnvironment, Site};
pub(crate) use crate::workspace::nginx_view::{sets_header, Loc, Server};

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
        self.names().iter().find_map(|w| cx.stack.site(w.as_str()))
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

    /// The odoo.conf of the environment this server fronts, if the repo has it.
    pub fn odoo_conf<'s>(&self, cx: &'s Context<'_>) -> Option<Conf<'s>> {
        crate::rules::odoo::conf_of(cx, self.odoo_environment(cx)?)
    }

    /// Whether this server proxies to Odoo.
    pub fn fronts_odoo(&self, cx: &Context<'_>) -> bool {
        self.odoo_environment(cx).is_some()
            && self.locations().iter().any(|l| l.proxy_pass().is_some())
    }

    pub fn environment(&self, cx: &Context<'_>) -> Option<Environment> {
        self.site(cx).map(|s| s.environment)
    }
}
