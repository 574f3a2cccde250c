//! Facts read from the repo itself, for a repo without a `stack.yaml` that is not the
//! InsightPulse stack: its domain from its zone, its sites from its vhosts' `server_name`s,
//! the Odoo and nginx versions from its compose images. Whatever the files do not say stays
//! unknown (no hosts, certificates, firewall rules, required services or variables), and
//! the rules that would need it say nothing rather than judge against another stack's facts.

use super::{Environment, Nginx, Odoo, Site, Stack};
use crate::formats::compose::Service;
use crate::hash::FastHashSet;
use crate::workspace::Workspace;

/// The InsightPulse stack's domain: a repo whose files name it is that stack, and the
/// embedded facts apply to it.
pub const INSIGHTPULSE_DOMAIN: &str = "insightpulseai.net";

/// Whether the repo holds the InsightPulse stack itself: one of its files names the
/// InsightPulse domain, and one of its compose projects defines a service the snapshot
/// runs in production (`odoo-prod` or `nginx-prod-v2`). A repo of the same organisation that
/// runs other layouts, or only a staging copy, is judged by its own files.
pub fn is_insightpulse(workspace: &Workspace) -> bool {
    let names_domain = || {
        workspace
            .files
            .iter()
            .any(|file| file.source.text.contains(INSIGHTPULSE_DOMAIN))
    };
    let defines_its_services = || {
        workspace
            .compose
            .iter()
            .flat_map(|project| &project.model.services)
            .any(|service| SNAPSHOT_SERVICES.contains(&service.name.as_str()))
    };
    defines_its_services() && names_domain()
}

/// The snapshot's production services, whose names no other stack is likely to share.
const SNAPSHOT_SERVICES: [&str; 2] = ["odoo-prod", "nginx-prod-v2"];

impl Stack {
    /// Fills what a version 2 stack.yaml leaves unstated (the domain, the sites, the Odoo
    /// and nginx versions) from the repo's own files, as [`Stack::infer`] reads them.
    pub fn fill_from_repo(&mut self, workspace: &Workspace) {
        let repo = Stack::infer(workspace);
        if self.domain.is_empty() {
            self.domain = repo.domain;
        }
        if self.sites.is_empty() {
            self.sites = repo.sites;
            self.site_index = Default::default();
        }
        if self.odoo.version.is_empty() {
            self.odoo.version = repo.odoo.version;
        }
        if self.nginx.version.is_empty() {
            self.nginx = repo.nginx;
        }
        self.inferred = true;
    }

    /// The facts the repo's own files state; see the module doc.
    pub fn infer(workspace: &Workspace) -> Stack {
        let sites = server_names(workspace)
            .into_iter()
            .map(|fqdn| Site {
                environment: environment_of_name(&fqdn),
                fqdn,
                upstream: None,
                redirect_to: None,
                port: None,
                description: Some("a server_name of the repo's nginx".into()),
            })
            .collect();
        let services = || workspace.compose.iter().flat_map(|p| &p.model.services);
        let nginx = services().find(|s| image_repository(s) == Some("nginx"));
        // The series the deployed compose projects run: development and per-version
        // variants beside them say nothing about it.
        let scope = crate::workspace::scope::Scope::classify(workspace, &[]).unwrap_or_default();
        let deployed_series = workspace
            .compose
            .iter()
            .filter(|project| {
                project.compose_files().next().is_none_or(|(_, file)| {
                    workspace
                        .find(&file.source.name)
                        .is_none_or(|(id, _)| scope.of(id).is_deployed())
                })
            })
            .flat_map(|project| {
                project
                    .model
                    .services
                    .iter()
                    .filter_map(move |service| series_of(workspace, project, service))
            });
        Stack {
            version: 1,
            domain: zone_apex(workspace).unwrap_or_default(),
            hosts: Vec::new(),
            sites,
            certificates: Vec::new(),
            odoo: Odoo {
                version: one_series(deployed_series).unwrap_or_default(),
                environments: Vec::new(),
            },
            nginx: Nginx {
                version: nginx.and_then(nginx_version).unwrap_or_default(),
                service: nginx.map(|s| s.name.clone()),
                from_image: true,
            },
            mail: None,
            firewall: Default::default(),
            env: Default::default(),
            compose: Default::default(),
            policy: None,
            lint: None,
            layout: Default::default(),
            scope: Vec::new(),
            site_index: Default::default(),
            inferred: true,
        }
    }
}

/// The apex of the first zone file, without its trailing dot.
fn zone_apex(workspace: &Workspace) -> Option<String> {
    let parsed = workspace.zones.first()?;
    let apex = parsed.zone.name(parsed.zone.origin).trim_end_matches('.');
    (!apex.is_empty()).then(|| apex.to_ascii_lowercase())
}

/// Every literal `server_name` of every nginx file, lower-cased, in order, once each:
/// wildcards, regular expressions, `_`, `localhost`, addresses and variables are not sites.
fn server_names(workspace: &Workspace) -> Vec<String> {
    let mut seen = FastHashSet::default();
    let mut names = Vec::new();
    for config in &workspace.nginx {
        for directive in config.all_directives().filter(|d| d.is("server_name")) {
            for word in directive.args.iter() {
                let name = word.as_str().trim_end_matches('.').to_ascii_lowercase();
                let literal = name.contains('.')
                    && !name.contains(['*', '~', '$', '/'])
                    && name.parse::<std::net::IpAddr>().is_err()
                    && super::hostname_problem(&name).is_none();
                if literal && seen.insert(name.clone()) {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// Staging or development by the name's labels (`staging.erp.example.com`,
/// `erp-dev.example.com`), production otherwise.
fn environment_of_name(fqdn: &str) -> Environment {
    let labels = fqdn.split(['.', '-']);
    let mut environment = Environment::Production;
    for label in labels {
        match label {
            "staging" | "stage" | "stg" | "preprod" | "uat" | "test" | "qa" => {
                environment = Environment::Staging;
            }
            "dev" | "develop" | "development" | "local" | "localhost" => {
                return Environment::Development;
            }
            _ => {}
        }
    }
    environment
}

/// The last path segment of a service's image repository (`nginx` for `docker.io/nginx`).
fn image_repository(service: &Service) -> Option<&str> {
    let image = service.image.as_ref()?;
    image.name.value.rsplit('/').next()
}

/// The one series all the repo's Odoo images run; none when they disagree (a repo keeping
/// files for several versions says nothing about which one is deployed).
fn one_series(mut series: impl Iterator<Item = String>) -> Option<String> {
    let first = series.next()?;
    series.all(|s| s == first).then_some(first)
}

/// The Odoo series a service runs: its `odoo:<series>` image tag, or for a service built
/// from a Dockerfile in the repo, that file's `FROM odoo:<series>`. A series outside
/// 16.0–19.0 is returned as written (`15.0`): known, and not one ipai judges.
pub(crate) fn series_of(
    workspace: &Workspace,
    project: &crate::formats::compose::Project,
    service: &Service,
) -> Option<String> {
    if service.build.is_none() {
        return series_with(service, None);
    }
    let dockerfile = super::dockerfile::of_service(workspace, project, service)?;
    series_with(service, Some(&dockerfile))
}

/// [`series_of`] with the service's Dockerfile already read (none for a pulled image).
pub(crate) fn series_with(
    service: &Service,
    dockerfile: Option<&super::dockerfile::Dockerfile>,
) -> Option<String> {
    if service.build.is_none() {
        let image = service.image.as_ref()?;
        return odoo_tag_series(
            &image.name.value,
            image.tag.as_ref().map(|t| t.value.as_str()),
        )
        .or_else(|| series_in_image_name(&image.name.value));
    }
    image_series(&dockerfile?.base_image()?)
}

/// The series of an image reference (`odoo:18.0`, `docker.io/library/odoo:17`); none when
/// it is not Docker Hub's `odoo` image.
fn image_series(image: &str) -> Option<String> {
    let reference = image.split('@').next().unwrap_or(image);
    let last_slash = reference.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match reference[last_slash..].rfind(':') {
        Some(colon) => (
            &reference[..last_slash + colon],
            Some(&reference[last_slash + colon + 1..]),
        ),
        None => (reference, None),
    };
    odoo_tag_series(name, tag)
}

/// The series a custom image names after Odoo (`registry.example.com/acme/odoo19-ce`,
/// `acme/odoo-18`, `odoo_17_enterprise`): `odoo`, an optional `-` or `_`, and the major
/// version as a whole number.
fn series_in_image_name(name: &str) -> Option<String> {
    let last = name.rsplit('/').next()?.to_ascii_lowercase();
    let rest = &last[last.find("odoo")? + 4..];
    let rest = rest.strip_prefix(['-', '_']).unwrap_or(rest);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let major: u32 = digits.parse().ok()?;
    (8..=30).contains(&major).then(|| format!("{major}.0"))
}

/// `16.0` … `19.0` (or an older series as written) from an `odoo:<series>…` reference.
fn odoo_tag_series(name: &str, tag: Option<&str>) -> Option<String> {
    if name.rsplit('/').next() != Some("odoo") {
        return None;
    }
    let major: u32 = tag?.split(['.', '-']).next()?.parse().ok()?;
    (8..=30).contains(&major).then(|| format!("{major}.0"))
}

/// Whether a service runs Docker Hub's `odoo` image at a moving tag (`latest`, or none),
/// pulled as it is: Docker Hub points that tag at the newest Odoo series, 16.0 or later
/// since October 2022 and 19.0 or later since September 2025.
pub(crate) fn runs_moving_odoo_tag(service: &Service) -> bool {
    service.build.is_none()
        && image_is_odoo(service)
        && service
            .image
            .as_ref()
            .and_then(|i| i.tag.as_ref())
            .is_none_or(|t| t.value == "latest")
}

/// Whether a service runs Docker Hub's `odoo` image.
pub(crate) fn image_is_odoo(service: &Service) -> bool {
    image_repository(service) == Some("odoo")
}

/// The nginx version an `nginx` image runs: its numeric tag (`1.18`, `1.25.3-alpine`), or
/// the current release line for the moving tags (`latest`, `alpine`, `stable`, `mainline`,
/// none), which are all past 1.25.1. An unknown tag gives no version.
fn nginx_version(service: &Service) -> Option<String> {
    let tag = service
        .image
        .as_ref()?
        .tag
        .as_ref()
        .map_or("latest", |t| t.value.as_str());
    let head = tag.split('-').next().unwrap_or(tag);
    if head.starts_with(|c: char| c.is_ascii_digit()) {
        return head
            .parse::<super::NginxVersion>()
            .is_ok()
            .then(|| head.to_string());
    }
    matches!(
        head,
        "latest" | "alpine" | "stable" | "mainline" | "perl" | "alpine3" | "bookworm" | "trixie"
    )
    .then(|| CURRENT_NGINX.to_string())
}

/// A release line every moving nginx image tag has reached (stable 1.28 and mainline 1.29
/// in 2026): past 1.25.1, where `http2 on;` replaced `listen … http2`.
const CURRENT_NGINX: &str = "1.27";

#[cfg(test)]
mod tests {
    use super::environment_of_name;
    use crate::stack::Environment;

    #[test]
    fn environments_by_name() {
        assert_eq!(
            environment_of_name("erp.example.com"),
            Environment::Production
        );
        assert_eq!(
            environment_of_name("staging.erp.example.com"),
            Environment::Staging
        );
        assert_eq!(
            environment_of_name("erp-dev.example.com"),
            Environment::Development
        );
    }

    #[test]
    fn custom_images_named_after_a_series() {
        use super::series_in_image_name as named;
        assert_eq!(
            named("registry.digitalocean.com/acme/odoo19-ce").as_deref(),
            Some("19.0")
        );
        assert_eq!(named("acme/odoo-18").as_deref(), Some("18.0"));
        assert_eq!(named("odoo_17_enterprise").as_deref(), Some("17.0"));
        assert_eq!(named("acme/odoo-saas"), None);
        assert_eq!(named("acme/odoo2go"), None);
        assert_eq!(named("acme/odoo17x"), None);
    }
}
