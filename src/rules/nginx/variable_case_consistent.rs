use super::at;
use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::formats::nginx::{Directive, Quote};
use crate::hash::{FastHashMap, FastHashSet};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that each variable is spelled with one case throughout an nginx
    /// configuration: `$target_backend` set in one place and `$Target_Backend` read in
    /// another are reported. Regular expressions (of `location`, `rewrite`, `if`, `map`
    /// and any argument starting with `~`), where `$` anchors the end, and Lua code are
    /// not read.
    ///
    /// ## Why is this bad?
    /// nginx folds variable names to lower case: `$Target_Backend` and `$target_backend`
    /// are one variable, and `$HTTP_HOST` is `$http_host`. A reader who takes them for two
    /// (a default and an override, a header and a copy of it) misjudges what the
    /// configuration sends where, and an edit meant for one changes both.
    ///
    /// ## Example
    /// ```nginx
    /// set $Upstream_Host "odoo-prod";
    /// if ($http_x_env = "staging") { set $upstream_host "odoo-staging"; }
    /// proxy_pass http://$Upstream_Host:8069;
    /// ```
    ///
    /// ## Fix
    /// Spell every use of a variable the same way, in lower case as nginx's own variables
    /// are.
    ///
    /// ## Source
    /// nginx source `ngx_http_get_variable_index` and `ngx_http_add_variable`, which compare
    /// names with `ngx_strncasecmp` and store them lower-cased
    /// (<https://github.com/nginx/nginx/blob/master/src/http/ngx_http_variables.c>);
    /// nginx variables (<https://nginx.org/en/docs/varindex.html>); gixy-next plugin
    /// `mixed_case_variable`.
    pub struct VariableCaseConsistent {
        code: "NGX032",
        name: "variable-case-consistent",
        severity: Info,
        peers: ["gixy-next/mixed_case_variable"],
    }
}

/// The arguments of a directive that are regular expressions, not values: `$` there is an
/// anchor. (A `map` key is its entry's name, never read here.)
fn is_regex_argument(d: &Directive, index: usize) -> bool {
    let arg = |i: usize| d.arg(i).unwrap_or("");
    if d.is("location") || (d.is("rewrite") && index == 0) || arg(index).starts_with('~') {
        return true;
    }
    if d.is("if") && index > 0 {
        let operator = arg(index - 1).trim_start_matches('(');
        return matches!(operator, "~" | "~*" | "!~" | "!~*");
    }
    false
}

impl Rule for VariableCaseConsistent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            // Lower-cased name → the first spelling met and where; spellings reported.
            let mut first: FastHashMap<String, (String, Location)> = FastHashMap::default();
            let mut reported: FastHashSet<(String, String)> = FastHashSet::default();
            config.walk(|visit| {
                let d = visit.directive;
                for (index, word) in d.args.iter().enumerate() {
                    if word.quote == Quote::LuaBlock || is_regex_argument(d, index)
                    {
                        continue;
                    }
                    for name in super::variables(word.as_str()) {
                        if !name.bytes().any(|b| b.is_ascii_alphabetic()) {
                            continue;
                        }
                        let lower = name.to_ascii_lowercase();
                        let Some((spelling, where_first)) = first.get(&lower) else {
                            first.insert(lower, (name.to_owned(), at(config, d, word.span)));
                            continue;
                        };
                        if spelling == name
                            || !reported.insert((lower.clone(), name.to_owned()))
                        {
                            continue;
                        }
                        findings.push(
                            Finding::new(
                                &Self::META,
                                at(config, d, word.span),
                                format!(
                                    "`${name}` is `${spelling}` spelled another way: nginx folds variable names to lower case, so both are the same variable"
                                ),
                            )
                            .related(where_first.clone(), format!("`${spelling}` first used here"))
                            .help(format!("spell it `${lower}` everywhere")),
                        );
                    }
                }
            });
        }
    }
}
