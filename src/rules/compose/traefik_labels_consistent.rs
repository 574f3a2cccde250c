use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::KeyValue;
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Reads the Traefik labels of each compose service (`traefik.http.routers.<name>.…`,
    /// `traefik.http.middlewares.<name>.…`) and reports two mistakes Traefik accepts
    /// silently:
    /// - a router that only options name (`tls.certresolver`, `middlewares`, …) and no
    ///   label gives a `rule`, while the service writes rules for its other routers: a
    ///   misspelt router name, most often;
    /// - a `redirectscheme.scheme` that is neither `http` nor `https` (an entry point's
    ///   name such as `websecure`).
    ///
    /// ## Why is this bad?
    /// Traefik creates a router for every name it sees. One with no `rule` gets the
    /// provider's default rule (`Host(` the service's name `)`), so the option set on it
    /// reaches no real request, and the router it was meant for runs without it: no
    /// certificate resolver means Traefik's self-signed default certificate. A redirect
    /// scheme is written into the `Location` header as is: `websecure://erp.example.com/`
    /// is no URL a browser follows.
    ///
    /// ## Example
    /// ```yaml
    /// labels:
    ///   - traefik.http.routers.odoo-secure.rule=Host(`erp.example.com`)
    ///   - traefik.http.routers.oodoo-securee.tls.certresolver=le
    ///   - traefik.http.middlewares.odoo-https.redirectscheme.scheme=websecure
    /// ```
    ///
    /// ## Fix
    /// Spell the router as the one with the rule (`routers.odoo-secure.tls.certresolver=le`),
    /// and redirect to `https` (`redirectscheme.scheme=https`).
    ///
    /// ## Source
    /// Traefik, "Routers" (a router's `rule`) and the Docker provider's `defaultRule`
    /// (<https://doc.traefik.io/traefik/routing/providers/docker/>,
    /// <https://doc.traefik.io/traefik/providers/docker/#defaultrule>); Traefik,
    /// "RedirectScheme", `scheme` (<https://doc.traefik.io/traefik/middlewares/http/redirectscheme/>).
    pub struct TraefikLabelsConsistent {
        code: "DCK017",
        name: "traefik-labels-consistent",
        severity: Error,
    }
}

impl Rule for TraefikLabelsConsistent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            for service in &project.model.services {
                let labels: Vec<(&KeyValue, Vec<&str>)> = service
                    .labels
                    .iter()
                    .filter_map(|kv| {
                        let rest = kv.key.value.strip_prefix("traefik.http.")?;
                        Some((kv, rest.split('.').collect()))
                    })
                    .collect();
                // Router name → (has a rule, its first option label).
                let mut routers: FastHashMap<&str, (bool, Option<&KeyValue>)> =
                    FastHashMap::default();
                for (kv, parts) in &labels {
                    if let ["routers", name, option, ..] = parts.as_slice() {
                        let entry = routers.entry(name).or_insert((false, None));
                        if *option == "rule" {
                            entry.0 = true;
                        } else if entry.1.is_none() {
                            entry.1 = Some(kv);
                        }
                    }
                    if let ["middlewares", name, "redirectscheme", "scheme"] = parts.as_slice() {
                        let scheme = kv.value.as_ref().map_or("", |v| v.value.as_str());
                        let written = kv.value.as_ref().is_some_and(|v| !v.unresolved);
                        if written && !matches!(scheme, "http" | "https") {
                            findings.push(
                                finding(
                                    &Self::META,
                                    project,
                                    kv.loc,
                                    format!(
                                        "middleware `{name}` redirects to the scheme `{scheme}`: browsers get a `{scheme}://…` Location they cannot follow"
                                    ),
                                )
                                .help(format!(
                                    "traefik.http.middlewares.{name}.redirectscheme.scheme=https"
                                )),
                            );
                        }
                    }
                }
                let with_rule: Vec<&str> = routers
                    .iter()
                    .filter(|(_, (rule, _))| *rule)
                    .map(|(name, _)| *name)
                    .collect();
                if with_rule.is_empty() {
                    continue;
                }
                let mut ruleless: Vec<(&str, &KeyValue)> = routers
                    .iter()
                    .filter_map(|(name, (rule, first))| (!rule).then_some((*name, (*first)?)))
                    .collect();
                ruleless.sort_by_key(|(name, _)| *name);
                for (name, kv) in ruleless {
                    let closest = with_rule
                        .iter()
                        .map(|other| (edit_distance(name, other), *other))
                        .min();
                    let hint = match closest {
                        Some((distance, other)) if distance <= 3 => {
                            format!(": did you mean `{other}`?")
                        }
                        _ => String::new(),
                    };
                    findings.push(
                        finding(
                            &Self::META,
                            project,
                            kv.loc,
                            format!(
                                "router `{name}` has options but no `rule`: Traefik gives it the default rule, so its settings reach no request{hint}"
                            ),
                        )
                        .help("set the option on the router that has the rule, or give this one a rule"),
                    );
                }
            }
        }
    }
}

/// Levenshtein distance, for the "did you mean" of a misspelt router name.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("oodoo-securee", "odoo-secure"), 2);
        assert_eq!(super::edit_distance("odoo", "odoo"), 0);
        assert_eq!(super::edit_distance("", "abc"), 3);
    }
}
