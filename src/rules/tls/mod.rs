//! `TLS`: certificates and CAA, judged against the stack's facts.

mod caa_allows_issuer;
mod caa_syntax;
mod certificate_expiry;
mod vhost_covered_by_certificate;

pub use caa_allows_issuer::CaaAllowsIssuer;
pub use caa_syntax::CaaSyntax;
pub use certificate_expiry::CertificateExpiry;
pub use vhost_covered_by_certificate::VhostCoveredByCertificate;
