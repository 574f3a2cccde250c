//! Comparing rendered files with what is on disk, showing the difference, and writing them:
//! each through a temporary file in the target's own directory and a rename, so a reader
//! sees the old file or the new one, never half of one. Symbolic links are followed, so a
//! link (nginx's `sites-enabled/x -> ../sites-available/x`) keeps pointing at the new file.

use super::header::{self, Provenance};
use super::render::RenderedFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a rendered file relates to the file at its path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileState {
    Missing,
    UpToDate,
    /// Differs; the header of the file on disk says whether ipai-gen wrote it untouched.
    Changed(Provenance),
    Unreadable(String),
}

impl FileState {
    /// Whether writing would replace something a person wrote.
    pub fn needs_force(&self) -> bool {
        matches!(
            self,
            FileState::Changed(Provenance::HandEdited | Provenance::Unmanaged)
        )
    }

    pub fn describe(&self) -> &'static str {
        match self {
            FileState::Missing => "missing",
            FileState::UpToDate => "up to date",
            FileState::Changed(Provenance::Managed) => "out of date",
            FileState::Changed(Provenance::HandEdited) => {
                "edited by hand (its checksum no longer matches)"
            }
            FileState::Changed(Provenance::Unmanaged) => "not managed by ipai-gen (no header)",
            FileState::Unreadable(_) => "unreadable",
        }
    }
}

/// A rendered file next to its target on disk.
#[derive(Clone, Debug)]
pub struct Planned {
    pub file: RenderedFile,
    pub target: PathBuf,
    pub state: FileState,
    /// The current contents, when the file exists and is text.
    pub existing: Option<String>,
}

/// Looks at the target of every file under `dir`.
pub fn survey(files: Vec<RenderedFile>, dir: &Path) -> Vec<Planned> {
    files
        .into_iter()
        .map(|file| {
            let target = dir.join(&file.path);
            let (state, existing) = match std::fs::read(&target) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) if text == file.contents => (FileState::UpToDate, Some(text)),
                    Ok(text) => (FileState::Changed(header::provenance(&text)), Some(text)),
                    Err(_) => (FileState::Changed(Provenance::Unmanaged), None),
                },
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    (FileState::Missing, None)
                }
                Err(err) => (FileState::Unreadable(err.to_string()), None),
            };
            Planned {
                file,
                target,
                state,
                existing,
            }
        })
        .collect()
}

/// A unified diff (`a/` → `b/`) of every file that would change.
pub fn unified_diff(planned: &[Planned]) -> String {
    let mut out = String::new();
    for p in planned {
        if p.state == FileState::UpToDate {
            continue;
        }
        let old = p.existing.as_deref().unwrap_or("");
        let old_name = if p.state == FileState::Missing {
            "/dev/null".to_string()
        } else {
            format!("a/{}", p.file.path)
        };
        let diff = similar::TextDiff::from_lines(old, p.file.contents.as_str());
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&old_name, &format!("b/{}", p.file.path))
                .to_string(),
        );
    }
    out
}

/// Writes one file atomically. The target's symbolic links are followed; missing parent
/// directories are created. A new file is 0644 (0755 for a script); an existing one keeps
/// its mode.
pub fn write_atomic(target: &Path, contents: &[u8], executable: bool) -> std::io::Result<()> {
    let real = resolve_target(target)?;
    let dir = real
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let mode = std::fs::metadata(&real).ok().map(|m| permissions_of(&m));
    let mut temp = tempfile::Builder::new()
        .prefix(".ipai-gen-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    temp.write_all(contents)?;
    set_mode(temp.as_file(), mode, executable)?;
    temp.as_file().sync_all()?;
    temp.persist(&real).map_err(|err| err.error)?;
    // Make the rename itself durable; a failure here loses nothing already written.
    if let Ok(handle) = std::fs::File::open(&dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// The file a path finally names: symbolic links followed, including one whose target
/// does not exist yet (a bounded number of hops, like the kernel's).
fn resolve_target(target: &Path) -> std::io::Result<PathBuf> {
    let mut path = target.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return std::fs::canonicalize(&path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                // A new file: canonicalize the directory it goes in, if it exists.
                let name = path.file_name().map(|n| n.to_os_string());
                return Ok(match (path.parent().map(std::fs::canonicalize), name) {
                    (Some(Ok(dir)), Some(name)) => dir.join(name),
                    _ => path,
                });
            }
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        target.display()
    )))
}

#[cfg(unix)]
fn permissions_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn permissions_of(_meta: &std::fs::Metadata) -> u32 {
    0o644
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, existing: Option<u32>, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = existing.unwrap_or(if executable { 0o755 } else { 0o644 });
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(
    _file: &std::fs::File,
    _existing: Option<u32>,
    _executable: bool,
) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ipai-sync-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlinks_and_keeps_modes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("symlink");
        std::fs::create_dir_all(dir.join("sites-available")).unwrap();
        std::fs::create_dir_all(dir.join("sites-enabled")).unwrap();
        std::fs::write(dir.join("sites-available/erp.conf"), "old\n").unwrap();
        std::os::unix::fs::symlink(
            "../sites-available/erp.conf",
            dir.join("sites-enabled/erp.conf"),
        )
        .unwrap();
        write_atomic(&dir.join("sites-enabled/erp.conf"), b"new\n", false).unwrap();
        let link = std::fs::symlink_metadata(dir.join("sites-enabled/erp.conf")).unwrap();
        assert!(link.file_type().is_symlink(), "the link is kept");
        assert_eq!(
            std::fs::read_to_string(dir.join("sites-available/erp.conf")).unwrap(),
            "new\n"
        );

        write_atomic(&dir.join("scripts/x.sh"), b"#!/bin/sh\n", true).unwrap();
        let mode = std::fs::metadata(dir.join("scripts/x.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
        let leftovers: Vec<_> = std::fs::read_dir(dir.join("scripts"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".ipai-gen-"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left behind");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
