//! The file system nginx's `include`s see while linting: the repo, and nothing outside it,
//! except the container paths a compose proxy service bind-mounts from the repo
//! (`./nginx/snippets:/etc/nginx/snippets`), which read as the repo files they show.

use crate::formats::nginx::{FileSystem, MemoryFs, RealFs};
use std::io;
use std::path::{Path, PathBuf};

/// Reads files of the repo: from memory when the workspace holds them, else (for a repo on
/// disk) from the disk. Paths outside the repo read as empty and globs there match nothing:
/// `include /etc/nginx/mime.types;` refers to the server, which ipai cannot see, and is
/// neither followed nor an error.
pub(crate) struct RepoFs {
    root: PathBuf,
    memory: MemoryFs,
    disk: bool,
    /// Container path → the repo path mounted there, for the proxy's absolute includes.
    mounts: Vec<(PathBuf, PathBuf)>,
}

impl RepoFs {
    pub fn new(root: &Path, disk: bool) -> Self {
        RepoFs {
            root: root.to_path_buf(),
            memory: MemoryFs::new(),
            disk,
            mounts: Vec::new(),
        }
    }

    /// Shows the repo path `source` (absolute, inside the repo) at the container path
    /// `target`. The deepest target wins, as the kernel resolves nested mounts.
    pub fn mount(&mut self, target: PathBuf, source: PathBuf) {
        if source.starts_with(&self.root) && target.is_absolute() {
            self.mounts.push((target, source));
        }
    }

    /// A path outside the repo as the repo path a mount shows there, if one does.
    fn mapped(&self, path: &Path) -> Option<PathBuf> {
        let (target, source) = self
            .mounts
            .iter()
            .filter(|(target, _)| path.starts_with(target))
            .max_by_key(|(target, _)| target.components().count())?;
        let rest = path.strip_prefix(target).ok()?;
        let mapped = if rest.as_os_str().is_empty() {
            source.clone()
        } else {
            source.join(rest)
        };
        // `..` in the rest could climb out of the mounted folder: not followed.
        let climbs = rest
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir));
        (!climbs).then_some(mapped)
    }

    pub fn insert(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.memory.insert(path, bytes);
    }

    fn inside(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }
}

impl FileSystem for &RepoFs {
    fn locate(&self, path: &Path) -> PathBuf {
        if self.inside(path) {
            return path.to_path_buf();
        }
        self.mapped(path).unwrap_or_else(|| path.to_path_buf())
    }

    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        if !self.inside(path) {
            return Ok(Vec::new());
        }
        match self.memory.read(path, limit) {
            Err(err) if err.kind() == io::ErrorKind::NotFound && self.disk => {
                RealFs.read(path, limit)
            }
            other => other,
        }
    }

    fn glob(&self, pattern: &Path) -> io::Result<Vec<PathBuf>> {
        if !self.inside(pattern) {
            return Ok(Vec::new());
        }
        if self.disk {
            RealFs.glob(pattern)
        } else {
            self.memory.glob(pattern)
        }
    }
}

/// `path` below the repo-relative folder `base`, as a repo-relative path without `.` and
/// `..` parts; none when `..` climbs out of the repo.
pub(crate) fn join_in_repo(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// A repo file's text, read only when its real path stays inside the repo (no `..` or
/// symlink leads out) and it is a regular file of at most 64 KiB.
pub(crate) fn read_in_repo(root: &std::path::Path, relative: &str) -> Option<String> {
    const LIMIT: u64 = 64 * 1024;
    if relative.starts_with('/') || relative.contains('\0') {
        return None;
    }
    let root = root.canonicalize().ok()?;
    let path = root
        .join(relative.trim_start_matches('/'))
        .canonicalize()
        .ok()?;
    if !path.starts_with(&root) {
        return None;
    }
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > LIMIT {
        return None;
    }
    std::fs::read_to_string(&path).ok()
}
