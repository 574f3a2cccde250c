//! Following `include` the way nginx does (`ngx_conf_include()` in
//! `src/core/ngx_conf_file.c`; <https://nginx.org/en/docs/ngx_core_module.html#include>):
//!
//! - A relative path or pattern is resolved against the directory of the **main**
//!   configuration file (nginx's configuration prefix, the directory of `-c`), never against
//!   the including file's directory.
//! - A path containing `*`, `?` or `[` is a glob: its matches are included in sorted (byte)
//!   order, a `*` does not match a leading dot, and a glob that matches nothing is fine.
//! - Any other path must open, or nginx fails with `open() "..." failed`.
//!
//! Unlike nginx, each file is parsed once even when included from several places (the
//! queries of [`Config`] expand it at each place), include cycles are reported instead of
//! followed, and depth, file size, file count and the expanded size are bounded.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::ast::{Directive, FileId, ParsedFile};
use super::config::Config;
use super::lexer::MAX_ERRORS;
use super::parser::parse_as;
use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// Where the loader reads files from: the disk ([`RealFs`]) or memory ([`MemoryFs`]).
pub trait FileSystem {
    /// The bytes of the file at `path`; a file larger than `limit` bytes is an error of kind
    /// [`io::ErrorKind::FileTooLarge`], detected without reading it all.
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;

    /// The paths matching a glob pattern, in byte order; no match is an empty list.
    fn glob(&self, pattern: &Path) -> io::Result<Vec<PathBuf>>;

    /// A key identifying the file behind `path`, so that two spellings of one file are
    /// parsed once and cycles through them are seen.
    fn identity(&self, path: &Path) -> PathBuf {
        normalize_path(path)
    }

    /// Where the file an include names really is: the path itself, unless the file system
    /// shows another path there (a container path bind-mounted from the repo).
    fn locate(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// How nginx's glob(3) call matches: case-sensitive, `*` stops at `/` and at a leading dot.
const GLOB_OPTIONS: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: true,
};

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let file = std::fs::File::open(path)?;
        let declared = file.metadata()?.len();
        if declared > limit {
            return Err(too_large(limit));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(limit));
        }
        Ok(bytes)
    }

    fn glob(&self, pattern: &Path) -> io::Result<Vec<PathBuf>> {
        let pattern = pattern.to_str().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the pattern is not valid UTF-8",
            )
        })?;
        let matches = glob::glob_with(pattern, GLOB_OPTIONS)
            .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err.to_string()))?;
        // Like glob(3) without GLOB_ERR, unreadable directories are skipped.
        let mut paths: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
        sort_paths(&mut paths);
        Ok(paths)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| normalize_path(path))
    }
}

/// Files held in memory, for tests and for checking generated output before it is written.
#[derive(Clone, Debug, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }

    /// Adds (or replaces) a file; `path` should be absolute, like the loader's lookups.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(normalize_path(&path.into()), bytes.into());
    }

    pub fn with(mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        self.insert(path, bytes);
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let bytes = self
            .files
            .get(&normalize_path(path))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "No such file or directory"))?;
        if bytes.len() as u64 > limit {
            return Err(too_large(limit));
        }
        Ok(bytes.clone())
    }

    fn glob(&self, pattern: &Path) -> io::Result<Vec<PathBuf>> {
        let text = pattern.to_str().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the pattern is not valid UTF-8",
            )
        })?;
        let pattern = glob::Pattern::new(text)
            .map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err.to_string()))?;
        let mut paths: Vec<PathBuf> = self
            .files
            .keys()
            .filter(|path| pattern.matches_path_with(path, GLOB_OPTIONS))
            .cloned()
            .collect();
        sort_paths(&mut paths);
        Ok(paths)
    }
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than {limit} bytes"),
    )
}

/// glob(3) in the C locale sorts whole paths by bytes.
fn sort_paths(paths: &mut [PathBuf]) {
    paths.sort_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
}

/// `a/./b/../c` → `a/c`, without touching the disk.
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Bounds on the work of one load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Longest chain of includes from the main file.
    pub max_include_depth: usize,
    /// Most files loaded, the main one included.
    pub max_files: usize,
    /// Most directives the expanded configuration may hold (a file included `n` times
    /// counts `n` times), which bounds every walk over it.
    pub max_expanded_directives: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 64 << 20,
            max_include_depth: 32,
            max_files: 4096,
            max_expanded_directives: 4_000_000,
        }
    }
}

/// Loads a main configuration file and everything it includes.
///
/// ```no_run
/// use ipai::formats::nginx::Loader;
/// let config = Loader::new().load("deploy/nginx/nginx.conf".as_ref())?;
/// for (file, error) in config.errors() {
///     eprintln!("{}: {}", file.source.name, error.message);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Loader<F = RealFs> {
    fs: F,
    conf_dir: Option<PathBuf>,
    name_root: Option<PathBuf>,
    limits: Limits,
    base_context: Vec<String>,
}

impl Loader<RealFs> {
    pub fn new() -> Self {
        Loader::with_fs(RealFs)
    }
}

impl Default for Loader<RealFs> {
    fn default() -> Self {
        Loader::new()
    }
}

impl<F: FileSystem> Loader<F> {
    pub fn with_fs(fs: F) -> Self {
        Loader {
            fs,
            conf_dir: None,
            name_root: None,
            limits: Limits::default(),
            base_context: Vec::new(),
        }
    }

    /// The directory relative includes are resolved against; by default the main file's
    /// directory, as with `nginx -c`. Set it when the main file is a site file that nginx
    /// includes from elsewhere (e.g. `/etc/nginx` for a file of `conf.d/`).
    pub fn conf_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.conf_dir = Some(dir.into());
        self
    }

    /// File names ([`SourceFile::name`]) are relative to this directory when they are inside
    /// it; by default the configuration directory.
    pub fn name_root(mut self, dir: impl Into<PathBuf>) -> Self {
        self.name_root = Some(dir.into());
        self
    }

    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The context the main file is read in: empty for a full `nginx.conf`, `["http"]` for a
    /// site file (see [`Config::base_context`]). It is only recorded; no context is checked.
    pub fn base_context<S: Into<String>>(mut self, context: impl IntoIterator<Item = S>) -> Self {
        self.base_context = context.into_iter().map(Into::into).collect();
        self
    }

    /// Reads and parses `main` and follows its includes. Only a main file that cannot be
    /// read is an `Err`; everything else is a [`SyntaxError`] in the returned [`Config`].
    pub fn load(&self, main: &Path) -> io::Result<Config> {
        let bytes = self.fs.read(main, self.limits.max_file_size)?;
        let conf_dir = self.conf_dir_for(main);
        let mut session = Session::new(self, conf_dir);
        let name = session.display_name(main);
        let source = SourceFile::from_bytes(name, main, &bytes);
        drop(bytes);
        session.add_file(source, self.fs.identity(main));
        Ok(session.finish())
    }

    /// Parses a main file already in memory (generated output, for instance) and follows its
    /// includes; [`SourceFile::path`] gives its directory unless [`Loader::conf_dir`] is set.
    pub fn load_source(&self, source: SourceFile) -> Config {
        let conf_dir = self.conf_dir_for(&source.path);
        let identity = self.fs.identity(&source.path);
        let mut session = Session::new(self, conf_dir);
        session.add_file(source, identity);
        session.finish()
    }

    fn conf_dir_for(&self, main: &Path) -> PathBuf {
        match &self.conf_dir {
            Some(dir) => dir.clone(),
            None => main.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }
}

/// One `include` directive found in a file being loaded.
struct Site {
    span: Span,
    /// The pattern, or the number of arguments when it is not exactly one.
    pattern: Result<String, usize>,
}

struct Session<'l, F> {
    loader: &'l Loader<F>,
    conf_dir: PathBuf,
    files: Vec<Option<ParsedFile>>,
    /// Per file, how many directives it expands to (itself and everything it includes).
    expanded: Vec<usize>,
    /// Per file, its display name.
    names: Vec<String>,
    ids: HashMap<PathBuf, FileId>,
    identities: HashMap<PathBuf, PathBuf>,
    globs: HashMap<PathBuf, Result<Vec<PathBuf>, String>>,
    /// Files that could not be read, by identity, with the message.
    unreadable: HashMap<PathBuf, String>,
    /// The files being loaded, the main file first: the current include chain.
    chain: Vec<FileId>,
}

impl<'l, F: FileSystem> Session<'l, F> {
    fn new(loader: &'l Loader<F>, conf_dir: PathBuf) -> Self {
        Session {
            loader,
            conf_dir,
            files: Vec::new(),
            expanded: Vec::new(),
            names: Vec::new(),
            ids: HashMap::new(),
            identities: HashMap::new(),
            globs: HashMap::new(),
            unreadable: HashMap::new(),
            chain: Vec::new(),
        }
    }

    fn finish(self) -> Config {
        let files: Vec<ParsedFile> = self.files.into_iter().flatten().collect();
        let base_context = self.loader.base_context.clone();
        match Config::from_files(files, base_context) {
            Some(config) => config,
            // Unreachable: the main file is always added before `finish`.
            None => Config::from_file(parse_as(SourceFile::from_text("", ""), FileId(0))),
        }
    }

    /// The path relative to the name root, `/`-separated; the full path outside it.
    fn display_name(&self, path: &Path) -> String {
        let root = self.loader.name_root.as_deref().unwrap_or(&self.conf_dir);
        match path.strip_prefix(root) {
            Ok(relative) if !root.as_os_str().is_empty() => relative
                .components()
                .map(|component| component.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            _ => path.to_string_lossy().into_owned(),
        }
    }

    fn identity(&mut self, path: &Path) -> PathBuf {
        if let Some(identity) = self.identities.get(path) {
            return identity.clone();
        }
        let identity = self.loader.fs.identity(path);
        self.identities.insert(path.to_path_buf(), identity.clone());
        identity
    }

    /// Parses one file, then follows its includes depth-first, in document order, as nginx
    /// does while it reads the file.
    fn add_file(&mut self, source: SourceFile, identity: PathBuf) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(None);
        self.expanded.push(0);
        self.names.push(source.name.clone());
        self.ids.insert(identity, id);
        let mut parsed = parse_as(source, id);

        let mut sites = Vec::new();
        let mut own = 0usize;
        for directive in parsed.all_directives() {
            own += 1;
            if directive.is("include") {
                let pattern = match &*directive.args {
                    [arg] => Ok(arg.value.to_string()),
                    args => Err(args.len()),
                };
                sites.push(Site {
                    span: directive.span,
                    pattern,
                });
            }
        }

        self.chain.push(id);
        let mut total = own;
        let mut errors = Vec::new();
        let resolved: Vec<Vec<FileId>> = sites
            .iter()
            .map(|site| self.resolve(site, &mut total, &mut errors))
            .collect();
        self.chain.pop();

        if !resolved.iter().all(Vec::is_empty) {
            assign_includes(&mut parsed.directives, resolved);
        }
        if !errors.is_empty() {
            parsed.errors.extend(errors);
            parsed.errors.sort_by_key(|error| error.span.start());
        }
        self.expanded[id.index()] = total;
        self.files[id.index()] = Some(parsed);
        id
    }

    fn resolve(
        &mut self,
        site: &Site,
        total: &mut usize,
        errors: &mut Vec<SyntaxError>,
    ) -> Vec<FileId> {
        let pattern = match &site.pattern {
            Ok(pattern) => pattern,
            Err(_) => {
                report(
                    errors,
                    SyntaxError::new(
                        site.span,
                        "invalid number of arguments in \"include\" directive",
                    ),
                );
                return Vec::new();
            }
        };
        let full = self.loader.fs.locate(&self.conf_dir.join(pattern));
        let paths = if pattern.contains(['*', '?', '[']) {
            match self.glob(&full) {
                Ok(paths) => paths,
                Err(reason) => {
                    let message = format!("glob() \"{}\" failed ({reason})", full.display());
                    report(errors, SyntaxError::new(site.span, message));
                    return Vec::new();
                }
            }
        } else {
            vec![full]
        };

        let limits = self.loader.limits;
        let mut ids = Vec::new();
        for path in paths {
            let id = match self.include_one(&path, site.span) {
                Ok(id) => id,
                Err(error) => {
                    report(errors, error);
                    continue;
                }
            };
            let cost = 1 + self.expanded[id.index()];
            if total.saturating_add(cost) > limits.max_expanded_directives {
                let message = format!(
                    "including \"{}\" here would expand the configuration beyond {} directives",
                    path.display(),
                    limits.max_expanded_directives
                );
                report(errors, SyntaxError::new(site.span, message));
                break;
            }
            *total += cost;
            ids.push(id);
        }
        ids
    }

    /// The file at `path`, loaded now or earlier, or why it cannot be included here.
    fn include_one(&mut self, path: &Path, span: Span) -> Result<FileId, SyntaxError> {
        let identity = self.identity(path);
        if let Some(&id) = self.ids.get(&identity) {
            return match self.files[id.index()] {
                Some(_) => Ok(id),
                None => Err(self.cycle_error(id, span)),
            };
        }
        if let Some(message) = self.unreadable.get(&identity) {
            return Err(SyntaxError::new(span, message.clone()));
        }
        let limits = self.loader.limits;
        if self.chain.len() > limits.max_include_depth {
            let message = format!(
                "includes nested more than {} levels deep",
                limits.max_include_depth
            );
            return Err(SyntaxError::new(span, message)
                .with_help(format!("\"{}\" is not read", path.display())));
        }
        if self.files.len() >= limits.max_files {
            let message = format!(
                "more than {} files included; \"{}\" is not read",
                limits.max_files,
                path.display()
            );
            return Err(SyntaxError::new(span, message));
        }
        let bytes = match self.loader.fs.read(path, limits.max_file_size) {
            Ok(bytes) => bytes,
            Err(err) => {
                let message = if err.kind() == io::ErrorKind::FileTooLarge {
                    format!(
                        "\"{}\" is larger than {} bytes",
                        path.display(),
                        limits.max_file_size
                    )
                } else {
                    format!("open() \"{}\" failed ({})", path.display(), describe(&err))
                };
                self.unreadable.insert(identity, message.clone());
                return Err(SyntaxError::new(span, message));
            }
        };
        let source = SourceFile::from_bytes(self.display_name(path), path, &bytes);
        drop(bytes);
        Ok(self.add_file(source, identity))
    }

    fn cycle_error(&self, target: FileId, span: Span) -> SyntaxError {
        let position = self.chain.iter().position(|&id| id == target).unwrap_or(0);
        let name = |id: &FileId| self.names.get(id.index()).map_or("?", String::as_str);
        let mut names: Vec<&str> = self.chain[position..].iter().map(name).collect();
        names.push(name(&target));
        SyntaxError::new(span, format!("include cycle: {}", names.join(" -> ")))
            .with_help("nginx would include these files forever; remove one of the includes")
    }

    fn glob(&mut self, pattern: &Path) -> Result<Vec<PathBuf>, String> {
        if let Some(cached) = self.globs.get(pattern) {
            return cached.clone();
        }
        let result = self.loader.fs.glob(pattern).map_err(|err| describe(&err));
        self.globs.insert(pattern.to_path_buf(), result.clone());
        result
    }
}

/// Keeps an include error, up to [`MAX_ERRORS`] for one file.
fn report(errors: &mut Vec<SyntaxError>, error: SyntaxError) {
    if errors.len() < MAX_ERRORS {
        errors.push(error);
    }
}

/// Stores the resolved files on the `include` directives, visited in the same document
/// order as when they were collected.
fn assign_includes(directives: &mut [Directive], resolved: Vec<Vec<FileId>>) {
    let mut resolved = resolved.into_iter();
    let mut stack: Vec<std::slice::IterMut<'_, Directive>> = vec![directives.iter_mut()];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(directive) => {
                if directive.is("include") {
                    directive.set_includes(resolved.next().unwrap_or_default());
                }
                if let Some(block) = directive.block.as_deref_mut() {
                    stack.push(block.directives.iter_mut());
                }
            }
            None => {
                stack.pop();
            }
        }
    }
}

/// An I/O error the way nginx prints one: `2: No such file or directory`.
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => {
            let text = text.split(" (os error").next().unwrap_or(&text);
            format!("{code}: {text}")
        }
        None => text,
    }
}
