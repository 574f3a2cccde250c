//! A loaded configuration: the main file and every file its `include`s pulled in, with
//! read-only queries that see through includes the way nginx does.

use super::ast::{Directive, FileId, ParsedFile};
use crate::formats::SyntaxError;
use crate::source::SourceFile;

/// The main file (always [`FileId`] 0) and the files it includes, each parsed once.
///
/// A file included from several places is stored once and referenced from each `include`
/// directive; the queries below expand it at every place, in that place's context.
#[derive(Clone, Debug)]
pub struct Config {
    files: Vec<ParsedFile>,
    base_context: Vec<String>,
}

impl Config {
    /// A configuration made of one file (its includes, if any, are not followed).
    pub fn from_file(file: ParsedFile) -> Self {
        let mut file = file;
        file.id = FileId(0);
        Config {
            files: vec![file],
            base_context: Vec::new(),
        }
    }

    pub(crate) fn from_files(files: Vec<ParsedFile>, base_context: Vec<String>) -> Option<Self> {
        (!files.is_empty()).then_some(Config {
            files,
            base_context,
        })
    }

    /// The context the main file is read in, outermost first: empty for a full
    /// `nginx.conf`, `["http"]` for a site file that nginx includes inside `http { }`.
    pub fn base_context(&self) -> &[String] {
        &self.base_context
    }

    /// Sets the context the main file is read in (see [`Config::base_context`]).
    pub fn with_base_context<S: Into<String>>(
        mut self,
        context: impl IntoIterator<Item = S>,
    ) -> Self {
        self.base_context = context.into_iter().map(Into::into).collect();
        self
    }

    /// The main file.
    pub fn root(&self) -> &ParsedFile {
        // `files` is never empty: every constructor puts the main file first.
        &self.files[0]
    }

    /// All files, the main one first, then in the order nginx would first open them.
    pub fn files(&self) -> &[ParsedFile] {
        &self.files
    }

    pub fn file(&self, id: FileId) -> Option<&ParsedFile> {
        self.files.get(id.index())
    }

    /// The source a directive was read from.
    pub fn source_of(&self, directive: &Directive) -> Option<&SourceFile> {
        self.file(directive.file).map(|file| &file.source)
    }

    /// Every syntax and include error, file by file, each with the file it points into.
    pub fn errors(&self) -> impl Iterator<Item = (&ParsedFile, &SyntaxError)> {
        self.files
            .iter()
            .flat_map(|file| file.errors.iter().map(move |error| (file, error)))
    }

    pub fn has_errors(&self) -> bool {
        self.files.iter().any(|file| !file.errors.is_empty())
    }

    /// The main file's top-level directives, with included files expanded in place (the
    /// `include` directive itself comes first, then what it included).
    pub fn top_level(&self) -> Children<'_> {
        Children::new(self, &self.root().directives)
    }

    /// The directives of `directive`'s block, with included files expanded in place.
    pub fn children<'a>(&'a self, directive: &'a Directive) -> Children<'a> {
        Children::new(self, directive.children())
    }

    /// The directives named `name` directly in `directive`'s block, includes expanded.
    pub fn find<'a>(
        &'a self,
        directive: &'a Directive,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Directive> + 'a {
        self.children(directive).filter(move |child| child.is(name))
    }

    /// The top-level directives named `name`, includes expanded.
    pub fn find_top_level<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.top_level().filter(move |child| child.is(name))
    }

    /// Every directive in document order, blocks entered and includes expanded.
    pub fn all_directives(&self) -> impl Iterator<Item = &Directive> + '_ {
        let mut stack = vec![self.top_level()];
        std::iter::from_fn(move || loop {
            let top = stack.last_mut()?;
            match top.next() {
                Some(directive) => {
                    if directive.block.is_some() {
                        stack.push(self.children(directive));
                    }
                    return Some(directive);
                }
                None => {
                    stack.pop();
                }
            }
        })
    }

    /// Calls `visit` for every directive in document order, blocks entered and includes
    /// expanded, with the block directives enclosing it (`http`, `server`, `location`, ...).
    pub fn walk<'a>(&'a self, mut visit: impl FnMut(&Visit<'_, 'a>)) {
        let mut ancestors: Vec<&'a Directive> = Vec::new();
        let mut stack = vec![self.top_level()];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some(directive) => {
                    visit(&Visit {
                        directive,
                        ancestors: &ancestors,
                        base: &self.base_context,
                    });
                    if directive.block.is_some() {
                        ancestors.push(directive);
                        stack.push(self.children(directive));
                    }
                }
                None => {
                    stack.pop();
                    ancestors.pop();
                }
            }
        }
    }
}

/// One directive met by [`Config::walk`], with its context.
#[derive(Clone, Copy, Debug)]
pub struct Visit<'c, 'a> {
    pub directive: &'a Directive,
    /// The enclosing block directives, outermost first.
    pub ancestors: &'c [&'a Directive],
    base: &'a [String],
}

impl<'a> Visit<'_, 'a> {
    /// The enclosing block directive, if any.
    pub fn parent(&self) -> Option<&'a Directive> {
        self.ancestors.last().copied()
    }

    /// The context names, outermost first: the configuration's base context, then the names
    /// of the enclosing blocks (`http`, `server`, `location`).
    pub fn context(&self) -> impl Iterator<Item = &str> + '_ {
        self.base
            .iter()
            .map(String::as_str)
            .chain(self.ancestors.iter().map(|d| d.name()))
    }

    /// Whether the context is exactly `path` (`&["http", "server"]`).
    pub fn in_context(&self, path: &[&str]) -> bool {
        self.base.len() + self.ancestors.len() == path.len()
            && self
                .context()
                .zip(path)
                .all(|(name, wanted)| name == *wanted)
    }

    /// The innermost enclosing block named `name`.
    pub fn enclosing(&self, name: &str) -> Option<&'a Directive> {
        self.ancestors.iter().rev().find(|d| d.is(name)).copied()
    }
}

const MAX_EXPANSION_NESTING: usize = 1024;

/// The directives of one block, with the files of `include` directives expanded in place.
pub struct Children<'a> {
    config: &'a Config,
    first: std::slice::Iter<'a, Directive>,
    included: Vec<std::slice::Iter<'a, Directive>>,
}

impl<'a> Children<'a> {
    fn new(config: &'a Config, directives: &'a [Directive]) -> Self {
        Children {
            config,
            first: directives.iter(),
            included: Vec::new(),
        }
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = &'a Directive;

    fn next(&mut self) -> Option<&'a Directive> {
        loop {
            let top = match self.included.last_mut() {
                Some(iter) => iter,
                None => &mut self.first,
            };
            match top.next() {
                Some(directive) => {
                    // Pushed in reverse so that the first included file comes out first. The
                    // loader keeps the include graph acyclic and shallow; the bound guards
                    // against hand-built trees.
                    let room = self.included.len() < MAX_EXPANSION_NESTING;
                    for id in directive.includes().iter().rev().filter(|_| room) {
                        if let Some(file) = self.config.file(*id) {
                            self.included.push(file.directives.iter());
                        }
                    }
                    return Some(directive);
                }
                None => {
                    let _exhausted = self.included.pop()?;
                }
            }
        }
    }
}
