//! Every rule, one file each, grouped by area. This table is the single place that maps
//! codes to rules.

use crate::rule::Rule;

pub mod compose;
pub mod cross_file;
pub mod nginx;
pub mod odoo;
pub mod syntax;
pub mod tls;

static RULES: &[&dyn Rule] = &[
    &odoo::ProxyModeEnabled,
    &odoo::WorkersMatchCores,
    &odoo::CronThreadsWithWorkers,
    &odoo::MemorySoftBelowHard,
    &odoo::BooleanLiteral,
    &odoo::UnknownOption,
    &odoo::OptionRemoved,
    &odoo::OptionValueType,
    &odoo::OptionsSectionMissing,
    &odoo::InlineCommentInValue,
    &odoo::WorkersMemoryFitsHost,
    &odoo::TimeRealAboveCpu,
    &odoo::RemoteDbRequiresSsl,
    &odoo::EnvPlaceholderNotExpanded,
    &odoo::PlaintextSecret,
    &odoo::DatabaseManagerExposed,
    &odoo::DbfilterAnchored,
    &odoo::OptionIgnoredByOdoo,
    &odoo::DbConnectionsWithinLimit,
    &odoo::WithoutDemoInProduction,
    &odoo::AdminPasswordSet,
    &nginx::TlsCertificateKnown,
    &nginx::HttpRedirectsToHttps,
    &nginx::HstsEnabled,
    &nginx::ClientMaxBodySize,
    &nginx::ProxyReadTimeout,
    &nginx::WebsocketRouted,
    &nginx::LongpollingLocationObsolete,
    &nginx::ForwardedHeadersSet,
    &nginx::Http2SyntaxMatchesVersion,
    &nginx::DatabaseManagerBlocked,
    &nginx::StagingEnvironmentHeader,
    &nginx::ServerTokensOff,
    &nginx::StaticFilesCached,
    &compose::RequiredServicesExist,
    &compose::PostgresDevOnly,
    &compose::DependsOnExists,
    &compose::ContainerNameUnique,
    &compose::ImagePinned,
    &compose::OdooImageSeries,
    &compose::LetsencryptReadOnly,
    &compose::PortPublishedPastFirewall,
    &compose::DuplicatePublishedPort,
    &compose::PlaintextSecretInEnvironment,
    &compose::VariableNotInEnvExample,
    &compose::RequiredVariableMissing,
    &compose::RequiredEnvDocumented,
    &compose::TrackedEnvFileWithSecret,
    &compose::HealthcheckAndRestart,
    &compose::UnknownServiceKey,
    &tls::CertificateExpiry,
    &tls::VhostCoveredByCertificate,
    &cross_file::ServerNameIsStackSite,
    &cross_file::UpstreamPortMatchesOdoo,
    &cross_file::ProxyTimeoutCoversOdooLimit,
    &syntax::NginxSyntax,
    &syntax::OdooConfSyntax,
    &syntax::ComposeSyntax,
    &syntax::ZoneSyntax,
    &syntax::EnvFileSyntax,
    &syntax::UnreadableFile,
    &syntax::NotUtf8,
    &syntax::InvalidSuppression,
    &syntax::UnusedSuppression,
];

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this code.
pub fn find(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}
