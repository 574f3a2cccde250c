//! nginx configuration files: a tokenizer that follows nginx's own, a directive tree with a
//! span on every node, comments kept, and an include loader.
//!
//! Sources: nginx's tokenizer and parser, `ngx_conf_read_token()` and `ngx_conf_parse()` in
//! `src/core/ngx_conf_file.c` (1.22); the `include` directive,
//! <https://nginx.org/en/docs/ngx_core_module.html#include>; the configuration file
//! structure, <https://nginx.org/en/docs/beginners_guide.html#conf_structure>; Lua blocks,
//! <https://github.com/openresty/lua-nginx-module#content_by_lua_block>.
//!
//! The parser never judges: it does not know which directives exist or where they are
//! allowed, so a site file with `upstream` and `server` at the top level parses like any
//! other. It reports only what nginx's tokenizer rejects (with nginx's messages), plus
//! include problems, and keeps going after each error.
//!
//! ```
//! use ipai::formats::nginx;
//! use ipai::source::SourceFile;
//!
//! let file = nginx::parse(SourceFile::from_text(
//!     "erp.conf",
//!     "server { listen 443 ssl; location /websocket { proxy_pass http://odoo_im; } }",
//! ));
//! assert!(file.errors.is_empty());
//! let server = &file.directives[0];
//! let location = server.find_first("location").unwrap();
//! assert_eq!(location.arg(0), Some("/websocket"));
//! ```

mod ast;
mod config;
mod include;
mod lexer;
mod parser;
mod small_str;

pub use ast::{Block, Comment, Directive, FileId, ParsedFile, Quote, Word};
pub use config::{Children, Config, Visit};
pub use include::{normalize_path, FileSystem, Limits, Loader, MemoryFs, RealFs};
pub use lexer::NGX_CONF_BUFFER;
pub use parser::{parse, MAX_NESTING};
pub use small_str::SmallStr;
