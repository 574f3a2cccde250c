use super::at;
use super::regex::capture_groups;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::{Config, Directive, Quote};
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a numbered capture (`$1`…`$9`) has a regular expression to come from:
    ///
    /// - in a `rewrite` replacement, the `rewrite`'s own pattern must have that many groups;
    /// - inside an `if ($var ~ regex)`, that regex must have them; inside an
    ///   `if ($var !~ regex)`, whose body runs when the regex did not match, the captures
    ///   come from the regexes around it;
    /// - in a `map` value, the entry's own regular expression key must have them (static
    ///   and `default` entries are left alone);
    /// - anywhere else, some regular expression of the server (a `location ~`, `rewrite`,
    ///   `if` or `server_name ~`, or a `map` key) must have that many groups.
    ///
    /// nginx reads one digit after `$`: `$12` is `$1` followed by `2`. Where a pattern
    /// uses a construct whose groups ipai does not number with certainty (`(?>`, `(?|`,
    /// `(?(`), nothing is said about what relies on it.
    ///
    /// ## Why is this bad?
    /// A capture no regular expression sets is empty, or holds what an unrelated regular
    /// expression matched earlier: `proxy_pass http://backend/$1;` in a prefix location
    /// sends every request to the backend's root, and `return 301 /new/$2;` with one group
    /// in the pattern drops the part the redirect was written to keep.
    ///
    /// ## Example
    /// ```nginx
    /// rewrite ^/shop/(.*)$ /store/$2 permanent;
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// rewrite ^/shop/(.*)$ /store/$1 permanent;
    /// ```
    ///
    /// ## Source
    /// nginx `rewrite` ("The replacement string can contain references to captures")
    /// and regular expressions in `location`
    /// (<https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#rewrite>,
    /// <https://nginx.org/en/docs/http/ngx_http_core_module.html#location>); nginx source
    /// `ngx_http_script_compile`, one digit after `$`
    /// (<https://github.com/nginx/nginx/blob/master/src/http/ngx_http_script.c>); gixy-next
    /// plugin `invalid_regex`.
    pub struct CaptureReferenceExists {
        code: "NGX043",
        name: "capture-reference-exists",
        severity: Warning,
        peers: ["gixy-next/invalid_regex"],
    }
}

/// The number of groups of a pattern, or `None` when ipai cannot number them for sure.
fn groups(pattern: &str) -> Option<usize> {
    if ["(?>", "(?|", "(?("].iter().any(|c| pattern.contains(c)) {
        return None;
    }
    Some(capture_groups(pattern).len())
}

/// The highest numbered capture a value reads, nginx's way: one digit after `$` (or
/// `${N}`).
fn highest_capture(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    let mut highest = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'$' {
            continue;
        }
        let digit = match bytes.get(i + 1) {
            Some(b'{') => bytes.get(i + 2).filter(|_| bytes.get(i + 3) == Some(&b'}')),
            other => other,
        };
        if let Some(d @ b'1'..=b'9') = digit.copied() {
            let n = usize::from(d - b'0');
            highest = Some(highest.map_or(n, |h: usize| h.max(n)));
        }
    }
    highest
}

/// What the regular expressions of one scope (a server, or a configuration outside its
/// servers) provide: the most groups one has, and whether one could not be read.
#[derive(Clone, Copy, Default)]
struct Provided {
    most: usize,
    unsure: bool,
}

impl Provided {
    fn add(&mut self, pattern: &str) {
        match groups(pattern) {
            Some(n) => self.most = self.most.max(n),
            None => self.unsure = true,
        }
    }

    fn covers(self, n: usize) -> bool {
        self.unsure || self.most >= n
    }
}

/// The regular expression a directive matches, if it has one.
fn regex_of(d: &Directive) -> Option<&str> {
    match d.name() {
        "location" => match &*d.args {
            [modifier, uri] if matches!(modifier.as_str(), "~" | "~*") => Some(uri.as_str()),
            _ => None,
        },
        "rewrite" => d.arg(0),
        "if" => {
            let condition = d.if_condition()?;
            match condition.as_slice() {
                [_, "~" | "~*" | "!~" | "!~*", regex] => Some(regex),
                _ => None,
            }
        }
        _ => None,
    }
}

impl Rule for CaptureReferenceExists {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            check_config(config, findings);
        }
    }
}

fn check_config(config: &Config, findings: &mut Vec<Finding>) {
    // First pass: what each server's regular expressions provide, and the map keys.
    let mut by_server: FastHashMap<*const Directive, Provided> = FastHashMap::default();
    // The same without the regular expressions of negative `if`s, for their bodies, which
    // run when those did not match.
    let mut positive_by_server: FastHashMap<*const Directive, Provided> = FastHashMap::default();
    let mut maps = Provided::default();
    let mut everything = Provided::default();
    config.walk(|visit| {
        let d = visit.directive;
        let server = visit.enclosing("server").or(d.is("server").then_some(d));
        let mut pattern = regex_of(d);
        if visit.parent().is_some_and(|p| p.is("map")) && d.name().starts_with('~') {
            pattern = Some(d.name().trim_start_matches("~*").trim_start_matches('~'));
            maps.add(pattern.unwrap_or(""));
        }
        if d.is("server_name") {
            for name in d.arg_values().filter(|n| n.starts_with('~')) {
                let key = std::ptr::from_ref(visit.parent().unwrap_or(d));
                by_server
                    .entry(key)
                    .or_default()
                    .add(name.trim_start_matches('~'));
                positive_by_server
                    .entry(key)
                    .or_default()
                    .add(name.trim_start_matches('~'));
            }
        }
        if let Some(pattern) = pattern {
            everything.add(pattern);
            if let Some(server) = server {
                let key = std::ptr::from_ref(server);
                by_server.entry(key).or_default().add(pattern);
                let negative = d.is("if")
                    && d.if_condition()
                        .is_some_and(|c| c.get(1).is_some_and(|op| op.starts_with('!')));
                if !negative {
                    positive_by_server.entry(key).or_default().add(pattern);
                }
            }
        }
    });
    // Second pass: every reference.
    config.walk(|visit| {
        let d = visit.directive;
        let in_map = visit.parent().is_some_and(|p| p.is("map"));
        for (index, word) in d.args.iter().enumerate() {
            if word.quote == Quote::LuaBlock
                || word.as_str().starts_with('~')
                || d.is("location")
                || d.is("if")
                || d.is("map")
                || (d.is("rewrite") && index == 0)
            {
                continue;
            }
            let Some(n) = highest_capture(word.as_str()) else {
                continue;
            };
            let (covered, from) = if d.is("rewrite") {
                (
                    d.arg(0).and_then(groups).is_none_or(|g| g >= n),
                    "this rewrite's pattern has fewer groups",
                )
            } else if in_map {
                if !d.name().starts_with('~') {
                    continue;
                }
                let key = d.name().trim_start_matches("~*").trim_start_matches('~');
                (groups(key).is_none_or(|g| g >= n), "this map entry's pattern has fewer groups")
            } else if let Some((regex, negative)) = enclosing_if(visit.ancestors) {
                if negative {
                    (
                        scope(visit, &positive_by_server, maps, everything).covers(n),
                        "no regular expression around this negative `if` has that many groups (its body runs when its own did not match)",
                    )
                } else {
                    (groups(regex).is_none_or(|g| g >= n), "the `if`'s pattern has fewer groups")
                }
            } else {
                (
                    scope(visit, &by_server, maps, everything).covers(n),
                    "no regular expression of this server has that many groups",
                )
            };
            if covered {
                continue;
            }
            findings.push(
                Finding::new(
                    &CaptureReferenceExists::META,
                    at(config, d, word.span),
                    format!(
                        "`${n}` reads capture {n}, but {from}: it is empty or holds what another pattern matched"
                    ),
                )
                .help("reference a group the pattern has, or add the group"),
            );
        }
    });
}

/// The innermost `if` with a regular expression around a directive, and whether it is a
/// negative match (`!~`).
fn enclosing_if<'a>(ancestors: &[&'a Directive]) -> Option<(&'a str, bool)> {
    let d = ancestors.iter().rev().find(|a| a.is("if"))?;
    let condition = d.if_condition()?;
    match condition.as_slice() {
        [_, op @ ("~" | "~*" | "!~" | "!~*"), _] => Some((regex_of(d)?, op.starts_with('!'))),
        _ => None,
    }
}

/// What the regular expressions in scope of a directive provide: its server's and the
/// configuration's `map` keys, or, outside any server, all of the configuration's.
fn scope(
    visit: &crate::formats::nginx::Visit<'_, '_>,
    by_server: &FastHashMap<*const Directive, Provided>,
    maps: Provided,
    everything: Provided,
) -> Provided {
    match visit.enclosing("server") {
        Some(server) => {
            let own = by_server
                .get(&std::ptr::from_ref(server))
                .copied()
                .unwrap_or_default();
            Provided {
                most: own.most.max(maps.most),
                unsure: own.unsure || maps.unsure,
            }
        }
        None => everything,
    }
}

#[cfg(test)]
mod tests {
    use super::{groups, highest_capture};

    #[test]
    fn one_digit_references() {
        assert_eq!(highest_capture("/x/$12"), Some(1));
        assert_eq!(highest_capture("/$2/$1"), Some(2));
        assert_eq!(highest_capture("${3}x"), Some(3));
        assert_eq!(highest_capture("$host$0"), None);
        assert_eq!(groups("^(?>a+)(b+)$"), None);
        assert_eq!(groups("^/(?<rest>.*)$"), Some(1));
    }
}
