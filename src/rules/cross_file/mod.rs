//! `STK`: invariants that span files: nginx against odoo.conf against the stack's facts.

mod proxy_timeout_covers_odoo_limit;
mod server_name_is_stack_site;
mod upstream_port_matches_odoo;

pub use proxy_timeout_covers_odoo_limit::ProxyTimeoutCoversOdooLimit;
pub use server_name_is_stack_site::ServerNameIsStackSite;
pub use upstream_port_matches_odoo::UpstreamPortMatchesOdoo;
