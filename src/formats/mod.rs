//! Parsers, one module a format. Each keeps a byte span on every node and never judges:
//! rules do that.

pub mod caa;
pub mod compose;
pub mod dotenv;
pub mod gitmodules;
pub mod mail;
pub mod manifest;
pub mod nginx;
pub mod odoo_conf;
pub mod shell;
mod syntax_error;
pub mod template;
pub mod zone;

pub use syntax_error::SyntaxError;
