use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::compose::{ListForm, MountKind, VolumeMount};
use crate::rule::{Context, Rule, RuleMeta};

/// certbot's configuration directory: accounts, keys and certificates.
const LETSENCRYPT_DIR: &str = "/etc/letsencrypt";

declare_rule! {
    /// ## What it does
    /// Checks that the nginx service mounts `/etc/letsencrypt` read-only. The service is
    /// `nginx.service` of the stack facts (`nginx-prod-v2` for the snapshot); it must mount the
    /// host's `/etc/letsencrypt` (or a directory in it), and every such mount must be
    /// read-only: `:ro` in the short syntax, `read_only: true` in the long one. A mount
    /// counts when its host path or its container path is `/etc/letsencrypt` or below it.
    /// Skipped when nginx does not run in compose. A missing mount is reported only when
    /// nginx is known to need one: the facts list certificates, or a vhost's
    /// `ssl_certificate` lies under `/etc/letsencrypt` (certificates kept elsewhere, such
    /// as `./certs:/etc/nginx/certs`, need none).
    ///
    /// ## Why is this bad?
    /// `/etc/letsencrypt` holds the private keys of every certificate and the ACME account
    /// key. nginx only reads them; a writable mount lets a compromised nginx worker replace a
    /// certificate or steal the account, and lets a mistaken `chown -R` inside the container
    /// break certbot's renewals on the host. Without the mount, nginx cannot load the
    /// certificates at all.
    ///
    /// ## Example
    /// ```yaml
    ///   nginx-prod-v2:
    ///     volumes:
    ///       - /etc/letsencrypt:/etc/letsencrypt
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///       - /etc/letsencrypt:/etc/letsencrypt:ro
    /// ```
    /// or, in the long syntax, `read_only: true`.
    ///
    /// ## Source
    /// Compose Specification, "volumes" (`ro` access mode and `read_only`,
    /// <https://docs.docker.com/reference/compose-file/services/#volumes>); certbot
    /// documentation, "Where are my certificates?" (private keys live under
    /// `/etc/letsencrypt` and must stay secret,
    /// <https://eff-certbot.readthedocs.io/en/stable/using.html#where-are-my-certificates>);
    /// CANONICAL_ODOO_STACK_SNAPSHOT.md §2 ("mounted read-only to nginx container").
    pub struct LetsencryptReadOnly {
        code: "DCK007",
        name: "letsencrypt-read-only",
        severity: Error,
    }
}

impl Rule for LetsencryptReadOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let Some(nginx) = cx.stack.nginx.service.as_deref() else {
            return;
        };
        for project in projects(cx) {
            let Some(service) = project.model.service(nginx) else {
                continue;
            };
            let mounts: Vec<&VolumeMount> = service
                .volumes
                .iter()
                .filter(|m| is_letsencrypt_mount(m))
                .collect();
            if mounts.is_empty() {
                if !needs_letsencrypt(cx, project, service) {
                    continue;
                }
                findings.push(
                    finding(
                        &Self::META,
                        project,
                        service.key,
                        format!(
                            "`{nginx}` does not mount {LETSENCRYPT_DIR}, so nginx cannot read the stack's certificates"
                        ),
                    )
                    .help(format!(
                        "add `- {LETSENCRYPT_DIR}:{LETSENCRYPT_DIR}:ro` to its volumes"
                    )),
                );
                continue;
            }
            for mount in mounts.into_iter().filter(|m| !m.read_only) {
                let help = match mount.syntax {
                    ListForm::Short => {
                        "append `:ro` to the volume (`/etc/letsencrypt:/etc/letsencrypt:ro`)"
                    }
                    ListForm::Long => "set `read_only: true` on the volume",
                };
                let loc = mount.read_only_at.unwrap_or(mount.loc);
                findings.push(
                    finding(
                        &Self::META,
                        project,
                        loc,
                        format!(
                            "`{nginx}` mounts {LETSENCRYPT_DIR} writable: nginx only reads certificates, and the private keys are in there"
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

/// Whether nginx is known to read certificates from `/etc/letsencrypt`: the facts list
/// certificates, or a vhost's `ssl_certificate` or `ssl_certificate_key` lies below it. A
/// stack keeping its certificates elsewhere (`./certs:/etc/nginx/certs`) needs no mount.
/// Whether the proxy's nginx reads certificates below /etc/letsencrypt: the facts list
/// certificates, or a server of the repo's nginx files it mounts (of any repo nginx file,
/// when it mounts none) names one there.
fn needs_letsencrypt(
    cx: &Context<'_>,
    project: &crate::formats::compose::Project,
    service: &crate::formats::compose::Service,
) -> bool {
    if !cx.stack.certificates.is_empty() {
        return true;
    }
    let proxy = crate::rules::deployment::Deployed { project, service };
    let mounted: Vec<String> = service
        .volumes
        .iter()
        .filter_map(|m| match proxy.host_source(cx, m) {
            Some(crate::rules::deployment::HostSource::Repo(path)) => Some(path),
            _ => None,
        })
        .collect();
    let servers = crate::rules::nginx::servers(cx);
    let read_by_it = |name: &str| {
        mounted.iter().any(|m| {
            name == m
                || name
                    .strip_prefix(m.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    };
    let own: Vec<_> = servers
        .iter()
        .filter(|s| read_by_it(&s.config.root().source.name))
        .collect();
    let judged: Vec<_> = if own.is_empty() {
        servers.iter().collect()
    } else {
        own
    };
    judged.into_iter().any(|server| {
        ["ssl_certificate", "ssl_certificate_key"]
            .iter()
            .any(|name| {
                server
                    .effective(name)
                    .and_then(|d| d.arg(0))
                    .is_some_and(|path| {
                        path.strip_prefix(LETSENCRYPT_DIR)
                            .is_some_and(|rest| rest.starts_with('/'))
                    })
            })
    })
}

fn is_letsencrypt_mount(mount: &VolumeMount) -> bool {
    let under = |path: &str| {
        let path = path.trim_end_matches('/');
        path == LETSENCRYPT_DIR
            || path
                .strip_prefix(LETSENCRYPT_DIR)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let source =
        mount.kind == MountKind::Bind && mount.source.as_ref().is_some_and(|s| under(&s.value));
    let target = mount.target.as_ref().is_some_and(|t| under(&t.value));
    source || target
}
