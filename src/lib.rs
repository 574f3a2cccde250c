//! ipai: a static policy linter and config generator for one Odoo stack.

pub mod formats;
pub mod source;
