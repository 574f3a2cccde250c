//! What a compose service's image holds from the repo: the Dockerfile it is built from, its
//! base image, and the files its final stage copies in with `COPY` or `ADD`.
//!
//! Source: the Dockerfile reference (<https://docs.docker.com/reference/dockerfile/>):
//! instructions are case-insensitive and a line ending in `\` continues on the next; a
//! `FROM` starts a stage and only the last stage is the image; `COPY`/`ADD` take flags
//! (`--chown`, `--chmod`, `--link`, `--from`), then sources relative to the build context
//! and a destination, in shell or JSON form; a destination ending in `/`, or one of several
//! sources, is a directory; a source directory's contents, not the directory, are copied; a
//! relative destination is below `WORKDIR`. `ADD` also fetches URLs and unpacks local tar
//! archives, which are not files of the repo as they are and are skipped.
//!
//! Only what can be read for certain is kept: sources with wildcards, `COPY --from` (another
//! stage or image), and variables (`$VAR`) are skipped.

use crate::formats::compose::{Project, Service};
use crate::workspace::Workspace;

/// A Dockerfile larger than this is not read (the repo reader's cap).
const MAX_INSTRUCTIONS: usize = 4096;

/// The Dockerfile a service is built from, read from the repo.
pub(crate) struct Dockerfile {
    /// Repo-relative path of the build context (`""` for the repo root).
    pub context: String,
    /// Repo-relative path of the Dockerfile.
    pub path: String,
    pub text: String,
}

/// One copy of a repo path into the image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Copied {
    /// Repo-relative source path (file or directory).
    pub from: String,
    /// Absolute container path: the file, or the directory the source's contents land in.
    pub to: String,
    /// Whether `to` is a directory receiving the source's contents (a source folder, or a
    /// file copied into a folder, in which case `to` already names the file).
    pub contents: bool,
    /// The Dockerfile (repo-relative) and the 1-based line of the instruction.
    pub dockerfile: String,
    pub line: usize,
}

/// The Dockerfile of a service built from the repo: `build.context` (relative to the
/// project's first compose file) and `build.dockerfile` (default `Dockerfile`), read only
/// inside the repo.
pub(crate) fn of_service(
    workspace: &Workspace,
    project: &Project,
    service: &Service,
) -> Option<Dockerfile> {
    let build = service.build.as_ref()?;
    let context = build.context.as_ref().filter(|c| !c.unresolved)?;
    let dockerfile = build
        .dockerfile
        .as_ref()
        .filter(|d| !d.unresolved)
        .map_or("Dockerfile", |d| d.value.as_str());
    let (_, first) = project.compose_files().next()?;
    let base = first
        .source
        .name
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir);
    // An absolute context or Dockerfile lies outside what ipai reads.
    if context.value.starts_with('/') || dockerfile.starts_with('/') {
        return None;
    }
    let context = crate::workspace::join_in_repo(base, &context.value)?;
    let path = crate::workspace::join_in_repo(&context, dockerfile)?;
    let text = crate::workspace::read_in_repo(&workspace.root, &path)?;
    Some(Dockerfile {
        context,
        path,
        text,
    })
}

impl Dockerfile {
    /// The instructions of the file: keyword (upper case), arguments and 1-based line, with
    /// continuation lines joined and comments dropped.
    fn instructions(&self) -> Vec<(String, String, usize)> {
        let mut found = Vec::new();
        let mut pending: Option<(String, usize)> = None;
        for (index, raw) in self.text.lines().enumerate() {
            let line = raw.trim();
            if pending.is_none() && (line.is_empty() || line.starts_with('#')) {
                continue;
            }
            if pending.is_some() && line.starts_with('#') {
                continue;
            }
            let (mut text, start) = pending.take().unwrap_or((String::new(), index + 1));
            match line.strip_suffix('\\') {
                Some(head) => {
                    text.push_str(head);
                    text.push(' ');
                    pending = Some((text, start));
                }
                None => {
                    text.push_str(line);
                    let (keyword, rest) = text
                        .split_once(char::is_whitespace)
                        .unwrap_or((text.as_str(), ""));
                    found.push((keyword.to_ascii_uppercase(), rest.trim().to_string(), start));
                    if found.len() >= MAX_INSTRUCTIONS {
                        break;
                    }
                }
            }
        }
        found
    }

    /// The image the final stage builds on (`odoo:18.0`), followed through the stages it
    /// names (`FROM base AS prod` after `FROM odoo:18.0 AS base`); `--platform` skipped.
    pub fn base_image(&self) -> Option<String> {
        let mut stages: Vec<(String, String)> = Vec::new();
        for (keyword, args, _) in self.instructions() {
            if keyword != "FROM" {
                continue;
            }
            let mut words = args.split_whitespace().filter(|w| !w.starts_with("--"));
            let Some(image) = words.next() else { continue };
            let name = match (words.next(), words.next()) {
                (Some(as_), Some(name)) if as_.eq_ignore_ascii_case("as") => {
                    name.to_ascii_lowercase()
                }
                _ => String::new(),
            };
            let image = stages
                .iter()
                .rev()
                .find(|(stage, _)| !stage.is_empty() && stage.eq_ignore_ascii_case(image))
                .map_or_else(|| image.to_string(), |(_, base)| base.clone());
            stages.push((name, image));
        }
        stages.pop().map(|(_, image)| image)
    }

    /// The repo files the image's final stage copies in, in instruction order.
    pub fn copies(&self) -> Vec<Copied> {
        let mut copies = Vec::new();
        let mut workdir = String::from("/");
        for (keyword, args, line) in self.instructions() {
            match keyword.as_str() {
                "FROM" => {
                    copies.clear();
                    workdir = String::from("/");
                }
                "WORKDIR" if !args.contains('$') => {
                    workdir = container_path(&workdir, args.trim_matches('"'));
                }
                "COPY" | "ADD" => {
                    copies.extend(self.copy(&keyword, &args, &workdir, line));
                }
                _ => {}
            }
        }
        copies
    }

    fn copy(&self, keyword: &str, args: &str, workdir: &str, line: usize) -> Vec<Copied> {
        let words = words(args);
        let mut words = words.iter().map(String::as_str).peekable();
        while let Some(flag) = words.next_if(|w| w.starts_with("--")) {
            if flag.starts_with("--from") || flag.starts_with("--parents") {
                return Vec::new();
            }
        }
        let words: Vec<&str> = words.collect();
        let Some((dest, sources)) = words.split_last() else {
            return Vec::new();
        };
        if sources.is_empty() || dest.contains('$') {
            return Vec::new();
        }
        let into_dir = dest.ends_with('/') || sources.len() > 1;
        let to = container_path(workdir, dest);
        let mut copies = Vec::new();
        for source in sources {
            if source.contains(['*', '?', '[', '$']) || source.contains("://") {
                continue;
            }
            if keyword == "ADD" && is_archive(source) {
                continue;
            }
            // Sources are relative to the context, which they cannot leave.
            let Some(inside) = normalize(source.trim_start_matches('/')) else {
                continue;
            };
            let from = join(&self.context, &inside);
            let from = from.trim_end_matches('/').to_string();
            let is_dir = source.ends_with('/') || source.ends_with("/.") || *source == ".";
            let (to, contents) = match (is_dir, into_dir) {
                (true, _) => (to.clone(), true),
                (false, true) => {
                    let name = from.rsplit('/').next().unwrap_or(&from);
                    (container_path(&to, name), false)
                }
                (false, false) => (to.clone(), false),
            };
            copies.push(Copied {
                from,
                to,
                contents,
                dockerfile: self.path.clone(),
                line,
            });
        }
        copies
    }
}

/// Words of a `COPY`/`ADD` argument list: the JSON array form, or whitespace-separated.
fn words(args: &str) -> Vec<String> {
    let trimmed = args.trim();
    if trimmed.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(trimmed) {
            return list;
        }
    }
    trimmed.split_whitespace().map(str::to_string).collect()
}

/// Whether `ADD` unpacks this local source (a tar archive, compressed or not).
fn is_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// `base/path` for a relative path, `path` for an absolute one, normalised.
fn container_path(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", base.trim_end_matches('/'))
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

fn join(base: &str, path: &str) -> String {
    if base.is_empty() || path.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// A repo-relative path without `.` and `..` parts; none when it is absolute or climbs out
/// of the repo.
fn normalize(path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    crate::workspace::join_in_repo("", path)
}

/// The repo path the image shows at a container path, through the copies (a later copy
/// overrides an earlier one). A folder that several copies fill is none of theirs alone:
/// none. `exists` says whether a repo path exists, so a deeper path is looked for in the
/// copy that holds it.
pub(crate) fn baked<'c>(
    copies: &'c [Copied],
    container: &str,
    exists: impl Fn(&str) -> bool,
) -> Option<(String, &'c Copied)> {
    let container = container_path("/", container);
    let mut filling = copies
        .iter()
        .filter(|c| c.contents && c.to == container)
        .peekable();
    if let Some(first) = filling.next() {
        return filling
            .peek()
            .is_none()
            .then(|| (first.from.clone(), first));
    }
    copies.iter().rev().find_map(|copy| {
        if copy.to == container && !copy.contents {
            return Some((copy.from.clone(), copy));
        }
        let rest = container
            .strip_prefix(copy.to.trim_end_matches('/'))?
            .strip_prefix('/')?;
        if !copy.contents || rest.is_empty() {
            return None;
        }
        let path = join(&copy.from, rest);
        exists(&path).then_some((path, copy))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dockerfile(text: &str) -> Dockerfile {
        Dockerfile {
            context: "odoo".into(),
            path: "odoo/Dockerfile".into(),
            text: text.into(),
        }
    }

    #[test]
    fn the_final_stage_s_copies_are_read() {
        let file = dockerfile(
            "FROM python:3.12 AS build\nCOPY tools/ /opt/tools/\n\nFROM odoo:18.0\nUSER root\nCOPY --chown=odoo:odoo \\\n    config/odoo.conf /etc/odoo/odoo.conf\nCOPY addons/ /mnt/extra-addons/\nCOPY --from=build /opt/tools /opt/tools\nADD vendor.tar.gz /opt/\nCOPY [\"a.txt\", \"b.txt\", \"/srv/\"]\nWORKDIR /srv/app\nCOPY run.sh .\n",
        );
        let copies = file.copies();
        let pairs: Vec<(&str, &str, bool, usize)> = copies
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str(), c.contents, c.line))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("odoo/config/odoo.conf", "/etc/odoo/odoo.conf", false, 6),
                ("odoo/addons", "/mnt/extra-addons", true, 8),
                ("odoo/a.txt", "/srv/a.txt", false, 11),
                ("odoo/b.txt", "/srv/b.txt", false, 11),
                ("odoo/run.sh", "/srv/app", false, 13),
            ]
        );
    }

    #[test]
    fn the_base_image_is_the_final_stage_s_through_stage_names() {
        let file = dockerfile(
            "FROM --platform=linux/amd64 odoo:18.0 AS base\nFROM python:3.12 AS tools\nfrom Base as prod\nCOPY x /x\n",
        );
        assert_eq!(file.base_image().as_deref(), Some("odoo:18.0"));
        assert_eq!(
            dockerfile("FROM odoo:17.0\nFROM python:3.12\n")
                .base_image()
                .as_deref(),
            Some("python:3.12")
        );
    }

    #[test]
    fn a_container_path_is_found_in_the_copy_that_holds_it() {
        let file = dockerfile(
            "FROM odoo:18.0\nCOPY custom/ /mnt/extra-addons/\nCOPY mine/ /mnt/extra-addons/\nCOPY odoo.conf /etc/odoo/\n",
        );
        let copies = file.copies();
        let exists = |p: &str| p == "odoo/custom/sale_x";
        let (path, copy) = baked(&copies, "/mnt/extra-addons/sale_x", exists).unwrap();
        assert_eq!((path.as_str(), copy.line), ("odoo/custom/sale_x", 2));
        // The folder two copies fill is neither's alone.
        assert!(baked(&copies, "/mnt/extra-addons", exists).is_none());
        let (conf, _) = baked(&copies, "/etc/odoo/odoo.conf", exists).unwrap();
        assert_eq!(conf, "odoo/odoo.conf");
        // Nothing outside the repo, nothing copied by pattern.
        let outside = dockerfile(
            "FROM odoo\nCOPY ../../etc/passwd /etc/odoo/odoo.conf\nCOPY *.conf /etc/odoo/\n",
        );
        assert!(outside.copies().is_empty());
    }
}
