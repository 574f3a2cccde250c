//! ipai: a static policy linter and config generator for one Odoo stack.

pub mod cli;
pub mod discover;
pub mod engine;
pub mod finding;
pub mod formats;
pub mod gen;
pub mod hash;
pub mod lint;
pub mod policy;
pub mod report;
pub mod rule;
pub mod rules;
pub mod secrets;
pub mod severity;
pub mod source;
pub mod stack;
pub mod suggest;
pub mod suppression;
pub mod workspace;
