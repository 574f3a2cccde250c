use super::{at, each_directive};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that `valid_referers` lists neither `none` nor `blocked`.
    ///
    /// ## Why is this bad?
    /// `valid_referers` sets `$invalid_referer` for a request whose `Referer` is not in the
    /// list, to refuse hotlinking or cross-site use of a location. `none` accepts a request
    /// without `Referer`, and `blocked` one whose `Referer` has no scheme, as a proxy or a
    /// privacy extension leaves it. Any page can make the browser send no `Referer` at all
    /// (`<meta name="referrer" content="no-referrer">`, `rel="noreferrer"`), so with
    /// `none` or `blocked` the check stops nobody.
    ///
    /// ## Example
    /// ```nginx
    /// valid_referers none blocked server_names;
    /// if ($invalid_referer) { return 403; }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// valid_referers server_names;
    /// ```
    /// or protect the resource with authentication: a `Referer` is only a hint.
    ///
    /// ## Source
    /// nginx `valid_referers` (<https://nginx.org/en/docs/http/ngx_http_referer_module.html#valid_referers>);
    /// Referrer Policy, W3C (<https://www.w3.org/TR/referrer-policy/#referrer-policy-no-referrer>);
    /// gixy-next plugin `valid_referers`.
    pub struct ValidReferersStrict {
        code: "NGX017",
        name: "valid-referers-strict",
        severity: Warning,
        peers: ["gixy-next/valid_referers"],
    }
}

impl Rule for ValidReferersStrict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        each_directive(cx, |config, visit| {
            let d = visit.directive;
            if !d.is("valid_referers") {
                return;
            }
            for word in &d.args {
                let value = word.as_str();
                let reason = if value.eq_ignore_ascii_case("none") {
                    "accepts requests without a Referer, which any page can ask the browser for"
                } else if value.eq_ignore_ascii_case("blocked") {
                    "accepts any Referer without a scheme, as proxies and privacy tools rewrite it"
                } else {
                    continue;
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, word.span),
                        format!(
                            "`valid_referers {value}` {reason}: the referer check stops nobody"
                        ),
                    )
                    .help(format!(
                        "drop `{value}` from valid_referers, or require authentication instead"
                    )),
                );
            }
        });
    }
}
