//! Every rule, one file each, grouped by area. This table is the single place that maps
//! codes to rules.

use crate::rule::Rule;
use std::sync::OnceLock;

pub mod addons;
pub mod compose;
pub mod cross_file;
pub(crate) mod deployment;
pub mod dns;
pub mod mail;
pub mod nginx;
pub mod odoo;
pub mod script;
pub mod syntax;
pub mod tls;
pub(crate) mod topology;

/// What several rules derive from the parsed models, derived once a run on first use.
#[derive(Default)]
pub(crate) struct Shared<'a> {
    /// Every SPF record of every zone, with its terms.
    spf: OnceLock<Vec<mail::SpfRecord<'a>>>,
    /// Which compose services run or render each odoo.conf.
    pub(crate) conf_use: OnceLock<deployment::ConfUse<'a>>,
    /// The module search path of each deployed odoo.conf.
    pub(crate) module_paths: OnceLock<Vec<addons::ModulePath<'a>>>,
    /// The modules deployed services are asked to install and cannot.
    pub(crate) blocked_modules: OnceLock<Vec<addons::Blocked>>,
}

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
    &odoo::DevModeInProduction,
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
    &nginx::AliasTraversal,
    &nginx::AllowEndsWithDeny,
    &nginx::ProxyHostFromClient,
    &nginx::ValidReferersStrict,
    &nginx::ErrorLogNotOff,
    &nginx::ProxyBufferingKept,
    &nginx::AddHeaderInherited,
    &nginx::StatusPageRestricted,
    &nginx::HashHasDefault,
    &nginx::KeepaliveRequestsKept,
    &nginx::WorkerProcessesSet,
    &nginx::ReturnAfterAccess,
    &nginx::ContentTypeByDefaultType,
    &nginx::DefaultServerMarked,
    &nginx::SslStaplingEffective,
    &nginx::SslEcdhCurveSupported,
    &nginx::WorkerRlimitNofileFits,
    &nginx::QuicBpfSurvivesReload,
    &nginx::VariableCaseConsistent,
    &nginx::ResolverTrusted,
    &nginx::RejectingDefaultAnswers421,
    &nginx::ProxySetHeaderInherited,
    &nginx::CaptureAfterArgsRewrite,
    &nginx::RewriteCapturesDisjoint,
    &nginx::HeaderValueOneLine,
    &nginx::IfInLocationSafe,
    &nginx::RootNotFilesystemRoot,
    &nginx::TryFilesCached,
    &nginx::ProxiedNameResolved,
    &nginx::CaptureReferenceExists,
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
    &compose::TraefikLabelsConsistent,
    &compose::OdooRunsAsRoot,
    &tls::CertificateExpiry,
    &tls::VhostCoveredByCertificate,
    &tls::CaaSyntax,
    &tls::CaaAllowsIssuer,
    &dns::CnameAndOtherData,
    &dns::CnameAtApex,
    &dns::RelativeTargetName,
    &dns::MxTargetValid,
    &dns::DuplicateRecord,
    &dns::SiteResolvesToHost,
    &dns::OrphanHostRecord,
    &mail::SingleSpfRecord,
    &mail::SpfSyntax,
    &mail::SpfPermissiveAll,
    &mail::SpfPtrMechanism,
    &mail::SpfLookupLimit,
    &mail::DmarcRecordValid,
    &mail::DmarcPolicyNone,
    &mail::DmarcExternalReportAuthorization,
    &mail::DkimKeyValid,
    &mail::DkimKeyStrength,
    &cross_file::ServerNameIsStackSite,
    &cross_file::UpstreamPortMatchesOdoo,
    &cross_file::ProxyTimeoutCoversOdooLimit,
    &cross_file::UpstreamHostIsComposeService,
    &cross_file::UpstreamPortIsServicePort,
    &cross_file::OdooConfMountMatchesStack,
    &cross_file::AddonsPathHoldsModules,
    &cross_file::UpstreamReachableWhereNginxRuns,
    &cross_file::EnvironmentsUseSeparateDatabases,
    &cross_file::EnvironmentsUseSeparateFilestores,
    &cross_file::BusNotThroughTransactionPool,
    &cross_file::GeventPortNeedsWorkers,
    &script::BackupTargetsDeployedDatabase,
    &script::ExecTargetIsComposeService,
    &script::DeployScriptStopsOnError,
    &script::ScriptHostIsStackHost,
    &addons::ListedModuleExists,
    &addons::ManifestSeries,
    &addons::DependencyResolves,
    &addons::ModuleInstallable,
    &addons::EnterpriseDependency,
    &addons::ModuleShadowed,
    &addons::ListedModuleOnce,
    &addons::SubmoduleBranch,
    &syntax::NginxSyntax,
    &syntax::OdooConfSyntax,
    &syntax::ComposeSyntax,
    &syntax::ZoneSyntax,
    &syntax::ZoneLoads,
    &syntax::ManifestSyntax,
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
