use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that the official Odoo image runs the stack's Odoo series. For services using
    /// `odoo`, `library/odoo` or `docker.io/library/odoo`, the major version at the start of
    /// the tag (`18.0`, `18`, `18.0-20251118`) must equal `odoo.version` of the stack facts
    /// (`18.0` for the snapshot). Tags without a version (`latest`, none) are DCK005's
    /// concern; custom images are not judged, since their tags are the builder's own.
    ///
    /// ## Why is this bad?
    /// A series is a different product: modules, `odoo.conf` options (`longpolling_port`
    /// versus `gevent_port`) and the nginx routes (`/longpolling` versus `/websocket`) differ
    /// between 16, 17 and 18, and every other check ipai runs assumes the facts' series.
    /// Starting 17.0 code on an 18.0 database, or the reverse, fails the upgrade check at
    /// boot or corrupts the database.
    ///
    /// ## Example
    /// ```yaml
    ///   odoo-prod:
    ///     image: odoo:17.0      # the stack runs Odoo 18.0
    /// ```
    ///
    /// ## Fix
    /// Use the stack's series (`image: odoo:18.0`), or update `odoo.version` in
    /// `stack.yaml` after a real migration.
    ///
    /// ## Source
    /// The official Odoo image's tags (<https://hub.docker.com/_/odoo>); Odoo documentation,
    /// "Upgrade" (a database is migrated from one series to the next,
    /// <https://www.odoo.com/documentation/18.0/administration/upgrade.html>).
    pub struct OdooImageSeries {
        code: "DCK006",
        name: "odoo-image-series",
        severity: Error,
    }
}

impl Rule for OdooImageSeries {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        // Facts read from a repo whose images disagree name no series: none can be wrong.
        if cx.stack.known_odoo_version().is_none() {
            return;
        }
        let wanted = cx.stack.odoo.version.as_str();
        let Some(wanted_major) = major(wanted) else {
            return;
        };
        for project in projects(cx) {
            for service in &project.model.services {
                let Some(image) = &service.image else {
                    continue;
                };
                let Some(tag) = &image.tag else { continue };
                if !is_official_odoo(&image.name.value) || tag.unresolved {
                    continue;
                }
                let Some(series) = major(&tag.value) else {
                    continue;
                };
                if series == wanted_major {
                    continue;
                }
                findings.push(
                    finding(
                        &Self::META,
                        project,
                        tag.loc,
                        format!(
                            "`{}` runs Odoo {series} (`{}:{}`), but the stack runs Odoo {wanted}",
                            service.name, image.name.value, tag.value
                        ),
                    )
                    .help(format!(
                        "use `{}:{wanted}`, or update odoo.version in stack.yaml after migrating the database",
                        image.name.value
                    )),
                );
            }
        }
    }
}

/// `odoo`, `library/odoo`, `docker.io/library/odoo`: the Docker Official Image.
fn is_official_odoo(name: &str) -> bool {
    let name = name
        .strip_prefix("docker.io/")
        .or_else(|| name.strip_prefix("index.docker.io/"))
        .unwrap_or(name);
    name.strip_prefix("library/").unwrap_or(name) == "odoo"
}

/// The leading major version of a tag or series: `18` for `18.0`, `18`, `18.0-20251118`.
fn major(tag: &str) -> Option<&str> {
    let end = tag.find(|c: char| !c.is_ascii_digit()).unwrap_or(tag.len());
    (end > 0).then(|| &tag[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_and_official_names() {
        assert_eq!(major("18.0-20251118"), Some("18"));
        assert_eq!(major("17"), Some("17"));
        assert_eq!(major("latest"), None);
        assert!(is_official_odoo("odoo") && is_official_odoo("docker.io/library/odoo"));
        assert!(!is_official_odoo("ghcr.io/acme/odoo") && !is_official_odoo("bitnami/odoo"));
    }
}
