//! Zone files with their `$INCLUDE`s followed inside the repo, as BIND would read them with
//! the checkout as its `directory`.
//!
//! A relative path is looked for beside the including file, then at the repo root. Nothing
//! outside the repo is read: an absolute path, a `..` that climbs out, or a symbolic link
//! that leads out is kept as "not followed" (SYN004 says so at the directive), as is a file
//! larger than [`MAX_FILE_BYTES`]. A file another zone includes is read only through that
//! zone, with that zone's origin, as nginx's included files are: the zones linted are those
//! no other zone includes (and, in a ring of files including each other, the first by name).

use super::{FileId, ParsedZone, SyntaxIssue, Workspace, WorkspaceFile, MAX_FILE_BYTES};
use crate::discover::FileKind;
use crate::formats::nginx::normalize_path;
use crate::formats::zone::{self, IncludeReader};
use crate::hash::FastHashSet;
use crate::source::SourceFile;
use std::io::{self, Read};
use std::path::{Component, Path};

/// Serves a zone's `$INCLUDE`d files from the workspace, else (for a repo on disk) from the
/// disk, never from outside the repo, and at most [`MAX_FILE_BYTES`] of them per zone.
struct RepoZoneReader<'w> {
    workspace: &'w Workspace,
    /// The repo root, absolute and normalised, as the parser's paths are.
    root: &'w Path,
    /// The root with symbolic links resolved, for a repo on disk.
    real_root: Option<&'w Path>,
    /// Bytes of included text this zone may still read.
    budget: u64,
}

impl RepoZoneReader<'_> {
    /// The repo-relative name of a path inside the repo.
    fn name(&self, path: &Path) -> Option<String> {
        let rest = path.strip_prefix(self.root).ok()?;
        let mut parts = Vec::new();
        for component in rest.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_str()?),
                _ => return None,
            }
        }
        // The root itself reads as `.`, a folder.
        Some(if parts.is_empty() {
            ".".to_owned()
        } else {
            parts.join("/")
        })
    }

    fn take_budget(&mut self, bytes: u64, name: &str) -> io::Result<()> {
        if bytes > self.budget {
            return Err(io::Error::other(format!(
                "{name} would take the zone's included files past the {MAX_FILE_BYTES} bytes ipai reads"
            )));
        }
        self.budget -= bytes;
        Ok(())
    }
}

impl IncludeReader for RepoZoneReader<'_> {
    fn refuses(&mut self, path: &Path) -> Option<String> {
        let Some(name) = self.name(path) else {
            return Some("outside the repo".to_owned());
        };
        if self.workspace.find(&name).is_some() {
            return None;
        }
        let real_root = self.real_root?;
        // A missing file is for `read` to report; a link that leads out is not followed.
        let real = path.canonicalize().ok()?;
        if !real.starts_with(real_root) {
            return Some("outside the repo (a symbolic link leads out of it)".to_owned());
        }
        let size = std::fs::metadata(&real).ok()?.len();
        (size > MAX_FILE_BYTES)
            .then(|| format!("{size} bytes is more than the {MAX_FILE_BYTES} bytes ipai reads"))
    }

    fn read(&mut self, path: &Path) -> io::Result<SourceFile> {
        let Some(name) = self.name(path) else {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "outside the repo",
            ));
        };
        if let Some((_, file)) = self.workspace.find(&name) {
            self.take_budget(file.source.text.len() as u64, &name)?;
            let mut source = file.source.clone();
            source.path = path.to_path_buf();
            return Ok(source);
        }
        let missing = || io::Error::new(io::ErrorKind::NotFound, format!("no such file: {name}"));
        if self.real_root.is_none() {
            return Err(missing());
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing()),
            Err(e) => return Err(e),
        };
        if !meta.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{name} is not a regular file"),
            ));
        }
        // Read at most one byte past the limit: the file may have grown since `metadata`.
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(io::Error::other(format!(
                "{name} is larger than the {MAX_FILE_BYTES} bytes ipai reads"
            )));
        }
        self.take_budget(bytes.len() as u64, &name)?;
        Ok(SourceFile::from_vec(name, path, bytes))
    }
}

impl Workspace {
    /// Parses every zone file with its includes, keeps as zones those no other zone
    /// includes, and records their syntax errors in the file each is in.
    pub(super) fn load_zones(&mut self, on_disk: bool) {
        let ids: Vec<FileId> = self.of_kind(FileKind::Zone).map(|(id, _)| id).collect();
        if ids.is_empty() {
            return;
        }
        let root =
            normalize_path(&std::path::absolute(&self.root).unwrap_or_else(|_| self.root.clone()));
        let real_root = if on_disk {
            self.root.canonicalize().ok()
        } else {
            None
        };
        let opts = zone::ParseOptions {
            include_fallback_dir: Some(root.clone()),
            ..zone::ParseOptions::default()
        };
        let mut loaded = Vec::with_capacity(ids.len());
        for id in ids {
            // The parser resolves includes from the file's path: the repo's, whatever the
            // path the walk gave.
            let path = root.join(&self.files[id].source.name);
            let walked = std::mem::replace(&mut self.files[id].source.path, path);
            let source = &self.files[id].source;
            let origin = super::zone_origin(source);
            let mut reader = RepoZoneReader {
                workspace: self,
                root: &root,
                real_root: real_root.as_deref(),
                budget: MAX_FILE_BYTES,
            };
            let zone = zone::load(source, &origin, &opts, &mut reader);
            self.files[id].source.path = walked;
            loaded.push((id, zone));
        }
        for (id, zone) in roots(&self.files, loaded) {
            self.adopt_zone(id, zone);
        }
    }

    /// Adds a zone: its included files become workspace files (so findings in them have
    /// lines and suppressions), its errors syntax issues of the file they are in.
    fn adopt_zone(&mut self, id: FileId, zone: zone::Zone) {
        let mut files = Vec::with_capacity(zone.includes.len() + 1);
        files.push(id);
        for included in &zone.includes {
            let file = match self.find(&included.source.name) {
                Some((file, _)) => file,
                None => self.push_file(WorkspaceFile {
                    source: included.source.clone(),
                    kind: FileKind::Zone,
                    template: None,
                }),
            };
            files.push(file);
        }
        for error in &zone.errors {
            self.syntax.push(SyntaxIssue {
                file: files.get(error.file.0 as usize).copied().unwrap_or(id),
                kind: FileKind::Zone,
                error: error.error.clone(),
            });
        }
        self.zones.push(ParsedZone::new(id, zone));
    }
}

/// The zones to lint, in file order: those no other zone includes, then, for files that
/// only include each other in a ring, the first of each ring not yet read through another.
fn roots(files: &[WorkspaceFile], loaded: Vec<(FileId, zone::Zone)>) -> Vec<(FileId, zone::Zone)> {
    let included_names = |zone: &zone::Zone| -> Vec<String> {
        zone.includes
            .iter()
            .map(|f| f.source.name.clone())
            .collect()
    };
    let included: FastHashSet<String> =
        loaded.iter().flat_map(|(_, z)| included_names(z)).collect();
    if included.is_empty() {
        return loaded;
    }
    let name = |id: FileId| files[id].source.name.as_str();
    let mut reached: FastHashSet<String> = loaded
        .iter()
        .filter(|(id, _)| !included.contains(name(*id)))
        .flat_map(|(_, z)| included_names(z))
        .collect();
    let mut roots = Vec::new();
    for (id, zone) in loaded {
        let own = name(id);
        if !included.contains(own) {
            roots.push((id, zone));
        } else if !reached.contains(own) {
            reached.extend(included_names(&zone));
            roots.push((id, zone));
        }
    }
    roots
}
