use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a `try_files` with several candidates (`$uri $uri/ /index.php`) runs
    /// where `open_file_cache` is on: set in its block or one around it, and not `off`.
    /// One candidate and a fallback (`try_files $uri =404;`) costs no more than serving the
    /// file and is left alone.
    ///
    /// ## Why is this bad?
    /// `try_files` asks the filesystem about each of its candidates, in order, on every
    /// request it handles: `$uri`, `$uri/`, then the fallback, each an `open()` or
    /// `stat()` system call. Without `open_file_cache` nothing of that is remembered, and
    /// a front controller (`try_files $uri $uri/ /index.php?$args`) costs several system
    /// calls for each request, most of them for files that do not exist.
    ///
    /// ## Example
    /// ```nginx
    /// location / {
    ///     try_files $uri $uri/ /index.php?$args;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// open_file_cache max=10000 inactive=30s;
    /// open_file_cache_errors on;
    /// location / {
    ///     try_files $uri $uri/ /index.php?$args;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx `try_files` ("Checks the existence of files in the specified order",
    /// <https://nginx.org/en/docs/http/ngx_http_core_module.html#try_files>) and
    /// `open_file_cache` (<https://nginx.org/en/docs/http/ngx_http_core_module.html#open_file_cache>);
    /// gixy-next plugin `try_files_is_evil_too`.
    pub struct TryFilesCached {
        code: "NGX041",
        name: "try-files-cached",
        severity: Info,
        peers: ["gixy-next/try_files_is_evil_too"],
    }
}

impl Rule for TryFilesCached {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // Each block's own `open_file_cache`, looked up once however many `try_files` ask.
        let mut own: FastHashMap<*const Directive, Option<bool>> = FastHashMap::default();
        let mut top: FastHashMap<*const crate::formats::nginx::Config, Option<bool>> =
            FastHashMap::default();
        let cache_in = |directives: &mut dyn Iterator<Item = &Directive>| {
            directives
                .filter(|d| d.is("open_file_cache"))
                .last()
                .map(|d| d.arg(0) != Some("off"))
        };
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            // One candidate and a fallback (`try_files $uri =404;`) costs the one `open()`
            // that serving the file costs anyway.
            if !d.is("try_files") || d.args.len() < 3 {
                return;
            }
            let mut cached = None;
            for block in visit.ancestors.iter().rev() {
                let found = *own
                    .entry(std::ptr::from_ref(*block))
                    .or_insert_with(|| cache_in(&mut config.children(block)));
                if found.is_some() {
                    cached = found;
                    break;
                }
            }
            if cached.is_none() {
                cached = *top
                    .entry(std::ptr::from_ref(config))
                    .or_insert_with(|| cache_in(&mut config.top_level()));
            }
            if cached == Some(true) {
                return;
            }
            let why = match cached {
                Some(_) => "`open_file_cache` is off here",
                None => "no `open_file_cache` is set here",
            };
            findings.push(
                Finding::new(
                    &Self::META,
                    at(config, d, d.name.span),
                    format!(
                        "`try_files` checks the filesystem for each candidate on every request, and {why}: every check is a system call"
                    ),
                )
                .help("set `open_file_cache max=10000 inactive=30s;` at the http or server level"),
            );
        });
    }
}
