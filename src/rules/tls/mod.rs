//! `TLS`: certificates and CAA, judged against the stack's facts.

mod certificate_expiry;
mod vhost_covered_by_certificate;

pub use certificate_expiry::CertificateExpiry;
pub use vhost_covered_by_certificate::VhostCoveredByCertificate;
