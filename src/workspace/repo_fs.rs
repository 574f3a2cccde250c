//! The file system nginx's `include`s see while linting: the repo, and nothing outside it.

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
}

impl RepoFs {
    pub fn new(root: &Path, disk: bool) -> Self {
        RepoFs {
            root: root.to_path_buf(),
            memory: MemoryFs::new(),
            disk,
        }
    }

    pub fn insert(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.memory.insert(path, bytes);
    }

    fn inside(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }
}

impl FileSystem for &RepoFs {
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
