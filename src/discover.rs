//! Finding the repo root and the files to lint, and telling what each file is.

use std::path::{Path, PathBuf};

/// Files or directories that mark a repo root, nearest first.
pub const ROOT_MARKERS: [&str; 3] = ["stack.yaml", "ipai.toml", ".git"];

/// Directories never walked, ignored or not.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// What a file is, as far as ipai is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Nginx,
    OdooConf,
    Compose,
    Zone,
    DotEnv,
    /// The repo's `stack.yaml`, read so findings can point at a fact.
    Stack,
    /// A shell script (`*.sh`, `*.bash`, a `sh`/`bash` shebang), read for the commands it
    /// runs.
    Shell,
    /// An Odoo module's `__manifest__.py` (or legacy `__openerp__.py`).
    Manifest,
    /// The repo's `.gitmodules`.
    GitModules,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Nginx => "nginx",
            FileKind::OdooConf => "odoo.conf",
            FileKind::Compose => "compose",
            FileKind::Zone => "zone",
            FileKind::DotEnv => "env",
            FileKind::Stack => "stack.yaml",
            FileKind::Shell => "shell",
            FileKind::Manifest => "manifest",
            FileKind::GitModules => ".gitmodules",
        }
    }
}

/// The nearest ancestor of `path` (itself included, for a directory) holding a root marker;
/// failing that, the directory itself (or the file's directory).
pub fn repo_root(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    let absolute = std::fs::canonicalize(&start).unwrap_or_else(|_| start.clone());
    absolute
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|marker| dir.join(marker).exists()))
        .map(Path::to_path_buf)
        .unwrap_or(absolute)
}

/// The nearest ancestor of `dir` (itself included) that is a git work tree's root: it holds
/// `.git` (a directory, or a file in a linked work tree).
pub fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Every file under `root`, honouring `.gitignore`, `.ignore` and `.git/info/exclude`, in a
/// stable order. Hidden files are included: `.env` matters.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .parents(false)
        .git_global(false)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.iter().any(|skip| entry.file_name() == *skip))
        })
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// The repo-relative name of a path, with `/` separators.
pub fn relative_name(root: &Path, path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = path.strip_prefix(root).unwrap_or(&path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Classifies a file by its name, then by a look at its first bytes.
pub fn classify(name: &str, head: &[u8]) -> Option<FileKind> {
    if name == "stack.yaml" {
        return Some(FileKind::Stack);
    }
    if name == ".gitmodules" {
        return Some(FileKind::GitModules);
    }
    let file_name = name.rsplit('/').next().unwrap_or(name);
    if file_name == "__manifest__.py" || file_name == "__openerp__.py" {
        return Some(FileKind::Manifest);
    }
    let lower = file_name.to_ascii_lowercase();
    if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        return Some(FileKind::DotEnv);
    }
    if let Some(rendered) = crate::formats::template::rendered_name(&lower) {
        return classify_template(rendered, head);
    }
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) {
        return Some(FileKind::Compose);
    }
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    if yaml && !lower.starts_with(".gitlab-ci") && looks_like_compose(&text) {
        return Some(FileKind::Compose);
    }
    if lower.ends_with(".zone")
        || (lower.starts_with("db.") && !has_code_extension(&lower))
        || looks_like_zone(&text)
    {
        return Some(FileKind::Zone);
    }
    let conf = lower.ends_with(".conf")
        || lower.ends_with(".cfg")
        || lower.ends_with(".ini")
        || lower.ends_with(".odoorc");
    if conf && starts_with_ini_section(&text) {
        return Some(FileKind::OdooConf)
            .filter(|_| has_options_section(&text) || named_as_odoo_conf(&lower));
    }
    // An odoo.conf whose `[options]` header is missing: Odoo refuses it at start
    // (MissingSectionHeaderError), so it is linted to say so.
    if conf && named_as_odoo_conf(&lower) && starts_with_odoo_option(&text) {
        return Some(FileKind::OdooConf);
    }
    if lower == "nginx.conf" || (lower.ends_with(".conf") && looks_like_nginx(&text)) {
        return Some(FileKind::Nginx);
    }
    if is_shell_script(&lower, head) {
        return Some(FileKind::Shell);
    }
    None
}

/// A shell script: `*.sh` or `*.bash`, or a name without an extension whose first line
/// is a `sh`/`bash` shebang (`bin/deploy`).
fn is_shell_script(lower: &str, head: &[u8]) -> bool {
    lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || (!lower.contains('.') && crate::formats::shell::has_shell_shebang(head))
}

/// A script or playbook that may rewrite a configuration before deployment: Python, shell,
/// PowerShell, YAML (Ansible), `Makefile`, `Jenkinsfile`.
pub fn is_script(name: &str) -> bool {
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let lower = file_name.to_ascii_lowercase();
    const ENDINGS: [&str; 7] = [".py", ".sh", ".bash", ".ps1", ".yml", ".yaml", ".mk"];
    ENDINGS.iter().any(|e| lower.ends_with(e)) || matches!(file_name, "Makefile" | "Jenkinsfile")
}

/// A template (`odoo_nginx.conf.j2`, `nginx.conf.tmpl`) is read as the file it renders to
/// when that is an nginx configuration; other templates are not read.
fn classify_template(rendered: &str, head: &[u8]) -> Option<FileKind> {
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let text = crate::formats::template::stand_in(&text);
    let nginx = rendered == "nginx.conf"
        || (rendered.ends_with(".conf")
            && !starts_with_ini_section(&text)
            && !starts_with_odoo_option(&text)
            && looks_like_nginx(&text));
    nginx.then_some(FileKind::Nginx)
}

/// Whether a file of this kind is read as a template's stand-in: its name has a template
/// suffix.
pub fn is_template(name: &str, kind: FileKind) -> bool {
    kind == FileKind::Nginx && crate::formats::template::rendered_name(name).is_some()
}

fn meaningful_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
}

fn starts_with_ini_section(text: &str) -> bool {
    meaningful_lines(text)
        .next()
        .is_some_and(|l| l.starts_with('[') && l.ends_with(']'))
}

/// A name Odoo's configuration goes by (`odoo.conf`, `odoo-prod.conf`, `openerp-server.conf`,
/// `.odoorc`), as opposed to another tool's file that mentions Odoo (`checklog-odoo.cfg`).
fn named_as_odoo_conf(lower: &str) -> bool {
    lower.ends_with(".odoorc")
        || ((lower.starts_with("odoo") || lower.starts_with("openerp"))
            && (lower.ends_with(".conf") || lower.ends_with(".cfg")))
}

/// Source and data files whose names may start with `db.` (`db.js`, `db.py`) but are no
/// zone files.
fn has_code_extension(lower: &str) -> bool {
    const CODE: [&str; 16] = [
        ".js", ".ts", ".py", ".json", ".md", ".css", ".scss", ".html", ".xml", ".sql", ".sh",
        ".yml", ".yaml", ".txt", ".go", ".rs",
    ];
    CODE.iter().any(|ext| lower.ends_with(ext))
}

/// Whether the first meaningful line is `key = value` (or `key: value`) for a key some
/// Odoo series declares (`db_host = db`), as no nginx directive or other INI reads.
fn starts_with_odoo_option(text: &str) -> bool {
    meaningful_lines(text).next().is_some_and(|line| {
        line.split_once(['=', ':']).is_some_and(|(key, _)| {
            let key = key.trim();
            crate::formats::odoo_conf::OdooVersion::ALL
                .iter()
                .any(|&v| crate::formats::odoo_conf::options::spec(key, v).is_some())
        })
    })
}

fn has_options_section(text: &str) -> bool {
    meaningful_lines(text).any(|l| l.eq_ignore_ascii_case("[options]"))
}

/// A YAML file with a top-level `services:` mapping whose first entry is a service
/// (`odoo:` on its own line), under a name Compose does not pick by default
/// (`deploy/odoo.bundle.yml`, run with `-f`). A GitLab CI `services:` is a list.
fn looks_like_compose(text: &str) -> bool {
    let mut lines = meaningful_lines_raw(text);
    while let Some(line) = lines.next() {
        if line.trim_end() != "services:" {
            continue;
        }
        return lines.next().is_some_and(|first| {
            let key = first.trim_start();
            first.len() > key.len()
                && key.strip_suffix(':').is_some_and(|name| {
                    !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                })
        });
    }
    false
}

/// The lines that are not blank or comments, indentation kept.
fn meaningful_lines_raw(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

fn looks_like_zone(text: &str) -> bool {
    text.lines().take(64).any(|line| {
        let upper = line.to_ascii_uppercase();
        upper.starts_with("$ORIGIN")
            || upper.starts_with("$TTL")
            || upper.contains(" IN SOA ")
            || upper.contains("\tIN\tSOA\t")
    })
}

fn looks_like_nginx(text: &str) -> bool {
    const BLOCKS: [&str; 8] = [
        "server", "upstream", "location", "http", "events", "map", "stream", "include",
    ];
    meaningful_lines(text).take(64).any(|line| {
        let word = line
            .split(|c: char| c.is_whitespace() || c == '{' || c == ';')
            .next()
            .unwrap_or("");
        BLOCKS.contains(&word) || line.ends_with(';') || line.ends_with('{')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_stack_files() {
        assert_eq!(
            classify("config/odoo.conf", b"[options]\nworkers = 2\n"),
            Some(FileKind::OdooConf)
        );
        assert_eq!(
            classify("config/odoo.conf", b"[Options]\nworkers = 2\n"),
            Some(FileKind::OdooConf)
        );
        // The header missing: still Odoo's file, which Odoo refuses.
        assert_eq!(
            classify("config/odoo.conf", b"; prod\ndb_host = db\nworkers = 2\n"),
            Some(FileKind::OdooConf)
        );
        assert_eq!(
            classify("nginx/odoo.conf", b"server {\n listen 80;\n}\n"),
            Some(FileKind::Nginx)
        );
        assert_eq!(classify("tools/odoo.cfg", b"name = report\n"), None);
        // Another tool's settings that name Odoo, and code named `db.*`.
        assert_eq!(
            classify("addons/x/checklog-odoo.cfg", b"[checklog-odoo]\nignore=\n"),
            None
        );
        assert_eq!(
            classify(
                "static/src/js/db.js",
                b"odoo.define('x', [], function () {});\n"
            ),
            None
        );
        assert_eq!(classify("dns/db.example.net", b""), Some(FileKind::Zone));
        assert_eq!(
            classify(
                "deploy/nginx/erp.conf",
                b"upstream odoo {\n server odoo:8069;\n}\n"
            ),
            Some(FileKind::Nginx)
        );
        assert_eq!(
            classify("deploy/docker-compose.yml", b"services: {}\n"),
            Some(FileKind::Compose)
        );
        assert_eq!(
            classify("dns/insightpulseai.net.zone", b""),
            Some(FileKind::Zone)
        );
        assert_eq!(
            classify("dns/export.txt", b"$ORIGIN example.net.\n"),
            Some(FileKind::Zone)
        );
        assert_eq!(
            classify(
                "deploy/odoo.bundle.yml",
                b"version: '3'\nservices:\n  odoo:\n    image: odoo:18.0\n"
            ),
            Some(FileKind::Compose)
        );
        assert_eq!(
            classify(".gitlab-ci.yml", b"services:\n  - postgres:16\n"),
            None
        );
        assert_eq!(
            classify("ci/pipeline.yml", b"services:\n  - postgres:16\n"),
            None
        );
        assert_eq!(
            classify(
                ".github/workflows/ci.yml",
                b"jobs:\n  test:\n    services:\n      db:\n"
            ),
            None
        );
        assert_eq!(classify(".env.example", b"A=1\n"), Some(FileKind::DotEnv));
        // Templates, read as the nginx file they render to; other templates are not read.
        assert_eq!(
            classify(
                "ansible/odoo_nginx.conf.j2",
                b"server {\n  server_name {{ domain }};\n}\n"
            ),
            Some(FileKind::Nginx)
        );
        assert_eq!(
            classify(
                "nginx/templates/nginx.conf.tmpl",
                b"{{ $h := getenv \"H\" }}\n"
            ),
            Some(FileKind::Nginx)
        );
        assert_eq!(
            classify("ansible/odoo.conf.j2", b"[options]\ndb_host = {{ db }}\n"),
            None
        );
        assert_eq!(classify("agents/model.py.j2", b"class {{ name }}:\n"), None);
        assert_eq!(classify("setup.cfg", b"[metadata]\nname = x\n"), None);
        assert_eq!(classify("README.md", b"# hi\n"), None);
    }
}
