//! The nginx servers the workspace holds, found once a run: every `server` block with what
//! encloses it, the `upstream` blocks by name, and the helpers that read a server the way
//! nginx resolves it. Rules look servers and upstreams up here instead of walking every
//! configuration for every server, so a `conf.d` of 10,000 vhosts costs 10,000 visits, not
//! 10,000 squared.
//!
//! A directive set in a `server` applies to its locations unless a location sets its own;
//! array-like directives (`proxy_set_header`, `add_header`) are inherited only by a level that
//! has none of its own (<https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header>).

use super::Workspace;
use crate::finding::Location;
use crate::formats::nginx::{Config, Directive, Word};
use crate::hash::FastHashMap;
use crate::source::Span;
use std::sync::Arc;

/// The directives of one block by name, in order.
type ByName<'a> = FastHashMap<&'a str, Vec<&'a Directive>>;

/// The top-level simple directives of the site files of one directory, by name, in order.
pub type HttpLevel<'a> = FastHashMap<&'a str, Vec<&'a Directive>>;

/// Every server of every nginx configuration, and each configuration's upstreams by name.
pub struct NginxView<'a> {
    servers: Vec<Server<'a>>,
    /// `(address of the Config, upstream name)` → the first `upstream` block of that name
    /// (nginx refuses a second one, "duplicate upstream").
    upstreams: FastHashMap<(usize, &'a str), &'a Directive>,
}

impl<'a> NginxView<'a> {
    /// Every `server` block of every nginx configuration in the workspace (in `http`, or at
    /// the top of a site file nginx includes inside `http`), and every `upstream` block.
    pub fn build(workspace: &'a Workspace) -> Self {
        // nginx includes the site files of one directory into one `http` block, so a
        // top-level simple directive of one (`server_tokens off;`) applies to the servers of
        // all of them: gather those once per directory.
        let mut gathered: FastHashMap<&'a str, HttpLevel<'a>> = FastHashMap::default();
        for config in &workspace.nginx {
            let level = gathered
                .entry(parent_dir(&config.root().source.name))
                .or_default();
            for directive in config.top_level().filter(|d| !d.has_block()) {
                level.entry(directive.name()).or_default().push(directive);
            }
        }
        let http_level_of: FastHashMap<&'a str, Arc<HttpLevel<'a>>> = gathered
            .into_iter()
            .map(|(dir, level)| (dir, Arc::new(level)))
            .collect();
        let none = Arc::new(HttpLevel::default());
        let mut servers = Vec::new();
        let mut upstreams = FastHashMap::default();
        let mut blocks: FastHashMap<*const Directive, Arc<ByName<'a>>> = FastHashMap::default();
        for config in &workspace.nginx {
            let key = config_key(config);
            let http_level = &http_level_of[parent_dir(&config.root().source.name)];
            config.walk(|visit| {
                let directive = visit.directive;
                if !directive.has_block() {
                    return;
                }
                if directive.is("upstream") {
                    if let Some(name) = directive.arg(0) {
                        upstreams.entry((key, name)).or_insert(directive);
                    }
                    return;
                }
                let top_or_http = visit.ancestors.iter().all(|a| a.is("http"));
                if directive.is("server") && top_or_http {
                    let in_http = visit.ancestors.iter().any(|a| a.is("http"));
                    let own_by_name = by_name(config, directive);
                    servers.push(Server {
                        config,
                        directive,
                        ancestors_by_name: visit
                            .ancestors
                            .iter()
                            .map(|&a| {
                                Arc::clone(
                                    blocks
                                        .entry(std::ptr::from_ref(a))
                                        .or_insert_with(|| Arc::new(by_name(config, a))),
                                )
                            })
                            .collect(),
                        http_level: Arc::clone(if in_http { &none } else { http_level }),
                        unseen_include: false,
                        locations: Server::find_locations(config, &own_by_name),
                        own_by_name,
                        fronts_odoo_cache: std::sync::OnceLock::new(),
                        proxied_cache: std::sync::OnceLock::new(),
                        site_cache: std::sync::OnceLock::new(),
                    });
                }
            });
        }
        for server in &mut servers {
            server.unseen_include = server.finds_unseen_include();
        }
        NginxView { servers, upstreams }
    }

    /// Every server, in workspace order.
    pub fn servers(&self) -> &[Server<'a>] {
        &self.servers
    }

    /// The `upstream` block of `config` named `name`.
    pub fn upstream(&self, config: &Config, name: &str) -> Option<&'a Directive> {
        self.upstreams.get(&(config_key(config), name)).copied()
    }

    /// The host and port a `proxy_pass` reaches, through an `upstream` block when it names
    /// one: `(host, port, the directive or upstream server word that says so)`.
    pub fn proxy_targets(
        &self,
        config: &'a Config,
        proxy_pass: &'a Directive,
    ) -> Vec<(String, Option<u16>, &'a Directive, &'a Word)> {
        let Some(url) = proxy_pass.args.first() else {
            return Vec::new();
        };
        let rest = url
            .as_str()
            .split_once("://")
            .map_or(url.as_str(), |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        if let Some(block) = self.upstream(config, authority) {
            return config
                .find(block, "server")
                .filter_map(|server| {
                    let word = server.args.first()?;
                    let (host, port) = split_host_port(word.as_str());
                    Some((host, port.or(Some(80)), server, word))
                })
                .collect();
        }
        let (host, port) = split_host_port(authority);
        let default_port = if url.as_str().starts_with("https://") {
            443
        } else {
            80
        };
        vec![(host, port.or(Some(default_port)), proxy_pass, url)]
    }
}

fn config_key(config: &Config) -> usize {
    std::ptr::from_ref(config) as usize
}

fn parent_dir(name: &str) -> &str {
    name.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// One `server { }` block with what encloses it.
pub struct Server<'a> {
    pub config: &'a Config,
    pub directive: &'a Directive,
    /// For a server in a site file (no `http` block in the repo): the top-level simple
    /// directives of the site files beside it. nginx includes them all into one `http`
    /// block, so a `server_tokens off;` at the top of one applies to every server.
    pub http_level: Arc<HttpLevel<'a>>,
    /// The server's own directives by name, built once: a rule asking for a server-level
    /// directive once per location then costs a lookup, not a scan of every location.
    own_by_name: ByName<'a>,
    /// The directives of each enclosing block (`http`, when the repo's nginx.conf is the
    /// root), outermost first, by name; shared by the servers of one block.
    ancestors_by_name: Vec<Arc<ByName<'a>>>,
    locations: Vec<Loc<'a>>,
    /// An `include` in it, its locations or the blocks around it reads a file outside the
    /// repo that ipai cannot see (`include snippets/proxy.conf;` on the host).
    unseen_include: bool,
    /// Whether it fronts Odoo, decided on first use (`rules::nginx`): several rules ask.
    pub fronts_odoo_cache: std::sync::OnceLock<bool>,
    /// Every host and port its `proxy_pass`es reach, found on first use.
    pub proxied_cache: std::sync::OnceLock<Vec<(String, Option<u16>)>>,
    /// The index of its site in the facts' `sites`, found on first use.
    pub site_cache: std::sync::OnceLock<Option<usize>>,
}

/// Where a directive of `config` is, as a finding location.
pub fn at(config: &Config, directive: &Directive, span: Span) -> Location {
    let file = config
        .source_of(directive)
        .map_or_else(String::new, |s| s.name.clone());
    Location::new(file, span)
}

/// One `listen` directive, read.
pub struct Listen<'a> {
    pub directive: &'a Directive,
    pub ssl: bool,
    pub http2: Option<&'a Word>,
}

impl<'a> Server<'a> {
    pub fn at(&self, directive: &Directive, span: Span) -> Location {
        at(self.config, directive, span)
    }

    /// The `server` keyword: where findings about the whole block point.
    pub fn head(&self) -> Location {
        self.at(self.directive, self.directive.name.span)
    }

    pub fn children(&self) -> impl Iterator<Item = &'a Directive> + 'a {
        self.config.children(self.directive)
    }

    pub fn own(&self, name: &str) -> impl Iterator<Item = &'a Directive> + '_ {
        self.own_by_name.get(name).into_iter().flatten().copied()
    }

    /// The `server_name` words, in order.
    pub fn names(&self) -> Vec<&'a Word> {
        self.own("server_name")
            .flat_map(|d| d.args.iter())
            .filter(|w| !w.as_str().is_empty())
            .collect()
    }

    /// Where one of this server's names is.
    pub fn name_at(&self, word: &Word) -> Location {
        let directive = self
            .own("server_name")
            .find(|d| d.args.iter().any(|w| std::ptr::eq(w, word)));
        match directive {
            Some(d) => self.at(d, word.span),
            None => self.head(),
        }
    }

    /// Where the server's names are, or its head.
    pub fn names_location(&self) -> Location {
        match self.own("server_name").next() {
            Some(d) => self.at(d, d.span),
            None => self.head(),
        }
    }

    pub fn listens(&self) -> Vec<Listen<'a>> {
        self.own("listen")
            .map(|directive| {
                let ssl = directive.args.iter().skip(1).any(|w| w.as_str() == "ssl");
                let http2 = directive
                    .args
                    .iter()
                    .skip(1)
                    .find(|w| w.as_str() == "http2");
                Listen {
                    directive,
                    ssl,
                    http2,
                }
            })
            .collect()
    }

    /// Whether nginx serves TLS here (a server that rejects every handshake does not).
    pub fn is_tls(&self) -> bool {
        self.listens().iter().any(|l| l.ssl) && !self.rejects_handshake()
    }

    /// Whether this server takes plain HTTP: a `listen` without `ssl`, or no `listen` at
    /// all (nginx then listens on 80).
    pub fn is_plain_http(&self) -> bool {
        let listens = self.listens();
        listens.is_empty() || listens.iter().any(|l| !l.ssl)
    }

    /// A single-value directive as the server sees it: its own, else the nearest enclosing
    /// block's.
    pub fn effective(&self, name: &str) -> Option<&'a Directive> {
        self.own(name)
            .last()
            .or_else(|| {
                self.ancestors_by_name
                    .iter()
                    .rev()
                    .find_map(|a| a.get(name).and_then(|all| all.last().copied()))
            })
            .or_else(|| {
                self.http_level
                    .get(name)
                    .and_then(|all| all.last().copied())
            })
    }

    /// A catch-all TLS server that refuses every handshake (`ssl_reject_handshake on`,
    /// nginx 1.19.4): it serves nothing, so certificate and header rules do not apply.
    pub fn rejects_handshake(&self) -> bool {
        self.effective("ssl_reject_handshake")
            .is_some_and(|d| d.arg(0) == Some("on"))
    }

    /// An array directive (`proxy_set_header`, `add_header`) as the server level sees it:
    /// its own if it has any, else those of the nearest enclosing block that has some.
    pub fn effective_all(&self, name: &'a str) -> Vec<&'a Directive> {
        let own: Vec<_> = self.own(name).collect();
        if !own.is_empty() {
            return own;
        }
        for ancestor in self.ancestors_by_name.iter().rev() {
            if let Some(inherited) = ancestor.get(name).filter(|all| !all.is_empty()) {
                return inherited.clone();
            }
        }
        self.http_level.get(name).cloned().unwrap_or_default()
    }

    /// Whether an `include` in this server, its locations or the blocks around it reads a
    /// file outside the repo that ipai cannot see: rules that report something missing say
    /// nothing about such a server. The stock files that set nothing those rules look for
    /// (`mime.types`, the `*_params` of other modules, certbot's `options-ssl-nginx.conf`)
    /// do not count.
    pub fn has_unseen_include(&self) -> bool {
        self.unseen_include
    }

    fn finds_unseen_include(&self) -> bool {
        let unseen = |include: &&'a Directive| self.is_unseen_include(include);
        let own = self.own("include").any(|d| unseen(&d));
        let around = self
            .ancestors_by_name
            .iter()
            .chain(std::iter::once(&self.http_level))
            .any(|block| {
                block
                    .get("include")
                    .is_some_and(|all| all.iter().any(unseen))
            });
        let in_locations = self
            .locations
            .iter()
            .any(|l| self.location_has_unseen_include(l));
        own || around || in_locations
    }

    /// Whether an `include` reads a file on the host ipai cannot see (not a stock file).
    fn is_unseen_include(&self, include: &Directive) -> bool {
        include.includes().iter().any(|&id| {
            self.config.file(id).is_some_and(|file| {
                let name = file.source.name.as_str();
                name.starts_with('/') && !is_stock_file(name)
            })
        })
    }

    /// Whether a location itself (not the server around it) includes a file ipai cannot
    /// see, which may set any directive in it.
    pub fn location_has_unseen_include(&self, location: &Loc<'a>) -> bool {
        self.config
            .find(location.directive, "include")
            .any(|d| self.is_unseen_include(d))
    }

    /// Every `location`, nested ones included, with the locations enclosing it; found once
    /// when the view is built.
    pub fn locations(&self) -> &[Loc<'a>] {
        &self.locations
    }

    fn find_locations(config: &'a Config, own: &ByName<'a>) -> Vec<Loc<'a>> {
        let mut found = Vec::new();
        let mut stack: Vec<(&'a Directive, Vec<&'a Directive>)> = own
            .get("location")
            .into_iter()
            .flatten()
            .filter(|d| d.has_block())
            .map(|d| (*d, Vec::new()))
            .collect();
        stack.reverse();
        while let Some((directive, parents)) = stack.pop() {
            let mut chain = parents.clone();
            chain.push(directive);
            let mut nested: Vec<_> = config
                .children(directive)
                .filter(|d| d.is("location") && d.has_block())
                .map(|d| (d, chain.clone()))
                .collect();
            nested.reverse();
            stack.extend(nested);
            found.push(Loc { directive, parents });
        }
        found
    }
}

/// One `location` block and the locations around it.
pub struct Loc<'a> {
    pub directive: &'a Directive,
    /// Enclosing locations, outermost first.
    pub parents: Vec<&'a Directive>,
}

impl<'a> Loc<'a> {
    /// The location's match: (modifier, uri), e.g. `("~*", "/web/static/")` or `("", "/")`.
    pub fn pattern(&self) -> (&'a str, &'a str) {
        match &*self.directive.args {
            [modifier, uri, ..] => (modifier.as_str(), uri.as_str()),
            [uri] => ("", uri.as_str()),
            [] => ("", ""),
        }
    }

    /// Whether a request for `path` (or a path below it) can land here: a prefix match
    /// either way, an exact match, or a regular expression that matches it.
    pub fn matches_path(&self, path: &str) -> bool {
        let (modifier, uri) = self.pattern();
        match modifier {
            "" | "^~" => path.starts_with(uri) || uri.starts_with(path),
            "=" => uri == path,
            "~" | "~*" => location_regex_matches(uri, modifier == "~*", path),
            _ => false,
        }
    }

    pub fn own(&self, config: &'a Config, name: &'a str) -> Vec<&'a Directive> {
        config.find(self.directive, name).collect()
    }

    pub fn proxy_pass(&self) -> Option<&'a Directive> {
        self.directive.find_first("proxy_pass")
    }

    /// An array directive as this location sees it, following nginx's inheritance through
    /// enclosing locations, the server and its ancestors.
    pub fn effective_all(&self, server: &Server<'a>, name: &'a str) -> Vec<&'a Directive> {
        let own = self.own(server.config, name);
        if !own.is_empty() {
            return own;
        }
        for parent in self.parents.iter().rev() {
            let inherited: Vec<_> = server.config.find(parent, name).collect();
            if !inherited.is_empty() {
                return inherited;
            }
        }
        server.effective_all(name)
    }

    /// A single-value directive as this location sees it.
    pub fn effective(&self, server: &Server<'a>, name: &'a str) -> Option<&'a Directive> {
        self.own(server.config, name).last().copied().or_else(|| {
            self.parents
                .iter()
                .rev()
                .find_map(|p| server.config.find(p, name).last())
                .or_else(|| server.effective(name))
        })
    }
}

/// A file nginx packages ship that sets nothing a "missing" rule looks for.
pub(crate) fn is_stock_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "mime.types"
            | "fastcgi_params"
            | "fastcgi.conf"
            | "uwsgi_params"
            | "scgi_params"
            | "koi-utf"
            | "koi-win"
            | "win-utf"
            | "fastcgi-php.conf"
            | "options-ssl-nginx.conf"
    )
}

/// The children of `block` (includes expanded) by directive name, in order.
fn by_name<'a>(config: &'a Config, block: &'a Directive) -> ByName<'a> {
    let mut found = ByName::default();
    for child in config.children(block) {
        found
            .entry(child.name.value.as_str())
            .or_default()
            .push(child);
    }
    found
}

fn split_host_port(text: &str) -> (String, Option<u16>) {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').unwrap_or((rest, ""));
        return (
            host.to_string(),
            after.strip_prefix(':').and_then(|p| p.parse().ok()),
        );
    }
    match text.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => (host.to_string(), port.parse().ok()),
        _ => (text.to_string(), None),
    }
}

/// Whether an `add_header`/`proxy_set_header` list sets `header` (case-insensitive).
pub fn sets_header<'a>(directives: &[&'a Directive], header: &str) -> Option<&'a Directive> {
    directives
        .iter()
        .copied()
        .find(|d| d.arg(0).is_some_and(|h| h.eq_ignore_ascii_case(header)))
}

/// Whether a location's regular expression matches `path` (or a file below it).
fn location_regex_matches(pattern: &str, case_insensitive: bool, path: &str) -> bool {
    compiled_regex(pattern, case_insensitive)
        .is_some_and(|re| re.is_match(path) || re.is_match(&format!("{path}x.js")))
}

/// A regular expression of an nginx file, compiled once per run and thread however many
/// times rules ask about it (the same locations are asked about many times); `None` when
/// the regex crate cannot read it (a PCRE-only construct) or it is too large.
pub(crate) fn compiled_regex(pattern: &str, case_insensitive: bool) -> Option<regex::Regex> {
    thread_local! {
        static COMPILED: std::cell::RefCell<crate::hash::FastHashMap<(String, bool), Option<regex::Regex>>> =
            std::cell::RefCell::new(crate::hash::FastHashMap::default());
    }
    COMPILED.with(|cache| {
        cache
            .borrow_mut()
            .entry((pattern.to_string(), case_insensitive))
            .or_insert_with(|| {
                regex::RegexBuilder::new(pattern)
                    .case_insensitive(case_insensitive)
                    .size_limit(1 << 20)
                    .build()
                    .ok()
            })
            .clone()
    })
}
