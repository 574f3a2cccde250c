use super::{finding, projects};
use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that every `image:` is pinned to a version. An image is pinned when it has a digest
    /// (`@sha256:…`), or a tag that contains a digit and is not `latest` (`18.0`,
    /// `16-alpine`, `7.4.1`, `1.27-alpine`). It is floating when it has no tag (Docker then
    /// pulls `latest`), or a tag without a digit: `latest`, `alpine`, `stable`, `mainline`,
    /// `bookworm`. Services that also have `build:` are skipped (the image names what is
    /// built), and so are images whose tag comes from a variable that is not set.
    ///
    /// ## Why is this bad?
    /// A floating tag moves: the next `docker compose pull`, or a droplet rebuilt from the
    /// repo, silently runs a new major version (`redis:alpine` went from Redis 6 to 7 under
    /// the same tag; `nginx:alpine` follows mainline). Rollbacks cannot name what ran before.
    ///
    /// ## Example
    /// ```yaml
    ///   redis:
    ///     image: redis:alpine
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    ///   redis:
    ///     image: redis:7.4-alpine
    /// ```
    /// or pin the digest `docker image inspect` reports (`redis@sha256:…`).
    ///
    /// ## Source
    /// Docker docs, "Building best practices — Pin base image versions"
    /// (<https://docs.docker.com/build/building/best-practices/#pin-base-image-versions>);
    /// `docker image tag` reference (a missing tag means `latest`,
    /// <https://docs.docker.com/reference/cli/docker/image/tag/>).
    pub struct ImagePinned {
        code: "DCK005",
        name: "image-pinned",
        severity: Warning,
    }
}

impl Rule for ImagePinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for project in projects(cx) {
            for service in &project.model.services {
                let Some(image) = &service.image else {
                    continue;
                };
                if service.build.is_some() || image.digest.is_some() || image.text.unresolved {
                    continue;
                }
                let name = &image.name.value;
                let (loc, message, pin) = match &image.tag {
                    None => (
                        image.text.loc,
                        format!(
                            "`{}` uses `{name}` without a tag, so Docker pulls whatever `latest` is",
                            service.name
                        ),
                        format!("{name}:<version>"),
                    ),
                    Some(tag) if !is_version(&tag.value) => (
                        tag.loc,
                        format!(
                            "`{}` uses the floating tag `{name}:{}`, which moves to new releases",
                            service.name, tag.value
                        ),
                        if tag.value == "latest" {
                            format!("{name}:<version>")
                        } else {
                            format!("{name}:<version>-{}", tag.value)
                        },
                    ),
                    Some(_) => continue,
                };
                findings.push(
                    finding(&Self::META, project, loc, message).help(format!(
                        "pin a version such as `{pin}` (the one `docker image inspect` shows running), or a digest `{name}@sha256:…`"
                    )),
                );
            }
        }
    }
}

/// A tag that names a version: it contains a digit and is not `latest`.
fn is_version(tag: &str) -> bool {
    tag != "latest" && tag.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_tags_have_a_digit() {
        for tag in ["18.0", "16-alpine", "7.4.1", "1.27-alpine", "18.0-20251118"] {
            assert!(super::is_version(tag), "{tag}");
        }
        for tag in ["latest", "alpine", "stable", "mainline", "bookworm", ""] {
            assert!(!super::is_version(tag), "{tag}");
        }
    }
}
