//! Docker Compose files: a spanned YAML tree, interpolation, override merging, and a typed
//! view of the fields policy rules look at.
//!
//! The pipeline follows compose-go's loader (`parsing.md` in compose-spec/compose-go), which
//! `docker compose` uses:
//!
//! 1. read each file's YAML with anchors and `<<` merge keys applied ([`yaml`]);
//! 2. interpolate every value of each file with the project environment ([`interpolation`]);
//! 3. resolve `extends` and `include` ([`project`]);
//! 4. merge the files in order, honouring `!reset` and `!override`, then drop duplicates of
//!    unique items such as ports and volume targets ([`merge`]);
//! 5. read the typed view ([`model`], [`service`]).
//!
//! Every node and every typed value keeps the file ([`FileId`]) and byte [`Span`] it was written
//! at, and, when it was reached through an alias or `<<`, the span inside the anchor too
//! ([`Loc::defined`]). Each file's own tree is kept as well, so a rule can look at the base file
//! alone or at the merged project. Primary sources: the Compose specification
//! (compose-spec/compose-spec `05-services.md`, `10-fragments.md`, `12-interpolation.md`,
//! `13-merge.md`, `14-include.md`, `15-profiles.md`) and compose-go.

pub mod interpolation;
pub mod merge;
pub mod model;
pub mod project;
pub mod service;
pub mod spec;
pub mod yaml;

mod text;

pub use interpolation::{interpolate, Environment, Interpolated, Operator, VarRef, VarState};
pub use merge::{MergeNote, MergeNoteKind};
pub use model::{ComposeModel, Include, Resource};
pub use project::{load_project, FileRole, LoadOptions, Project, ProjectFile};
pub use service::{
    Build, Command, Dependency, EnvFile, Expose, Healthcheck, Image, KeyValue, ListForm, MountKind,
    Port, PortRange, PortSyntax, Service, ServiceNetwork, ServiceSecret, VolumeMount,
};
pub use text::Text;
pub use yaml::{parse_yaml, Entry, Node, Scalar, ScalarKind, ScalarStyle, Value, YamlFile};

use crate::formats::SyntaxError;
use crate::source::{SourceFile, Span};

/// A value quoted in a message: at most 40 characters, so that messages stay short and a long
/// value (maybe a secret) is not echoed whole. The span points at the full value.
pub(crate) fn excerpt(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

/// Which file of a project a node came from: an index into [`Project::files`] (or whatever
/// list the caller keeps when parsing files one by one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Where a value is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    /// Where the value is used: the text itself, or the `*alias` / `<<` site that brought it.
    pub span: Span,
    /// Where the value is written, when that differs from `span` (inside an anchor).
    pub defined: Option<Span>,
}

impl Loc {
    pub fn new(file: FileId, span: Span) -> Self {
        Loc {
            file,
            span,
            defined: None,
        }
    }

    /// The span of the text itself: inside the anchor for aliased values.
    pub fn written(&self) -> Span {
        self.defined.unwrap_or(self.span)
    }

    /// Whether the value reached this place through an alias or a merge key.
    pub fn is_aliased(&self) -> bool {
        self.defined.is_some()
    }
}

/// A comment: the text after `#`, and the span from `#` to the end of the line. Suppressions
/// (`# ipai-lint: ignore[CODE] -- reason`) are read from these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

/// A syntax error in a given file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub file: FileId,
    pub error: SyntaxError,
}

/// One compose file on its own: parsed, merge keys applied, interpolated. This is what
/// per-file rules see; [`Project`] holds the merged view.
#[derive(Clone, Debug)]
pub struct ComposeFile {
    pub id: FileId,
    /// The root mapping, all YAML documents of the file merged in order; `None` when the YAML
    /// could not be read.
    pub root: Option<Node>,
    pub comments: Vec<Comment>,
    pub errors: Vec<SyntaxError>,
}

impl ComposeFile {
    /// Reads one compose file and interpolates it with `env`.
    pub fn parse(source: &SourceFile, id: FileId, env: &Environment) -> ComposeFile {
        let yaml = parse_yaml(source, id);
        let mut errors = yaml.errors;
        let mut root: Option<Node> = None;
        for mut doc in yaml.documents {
            if doc.is_null() {
                continue;
            }
            yaml::interpolate_tree(&mut doc, env, &mut errors);
            if doc.as_map().is_none() {
                errors.push(SyntaxError::new(
                    doc.loc.span,
                    format!(
                        "a compose file must be a mapping at the top level, not {}",
                        doc.kind_name()
                    ),
                ));
                continue;
            }
            root = Some(match root {
                None => doc,
                Some(base) => {
                    let mut notes = Vec::new();
                    let mut merge_errors = Vec::new();
                    let merged = merge::merge_files(base, doc, &mut notes, &mut merge_errors);
                    errors.extend(merge_errors.into_iter().map(|e| e.error));
                    merged
                }
            });
        }
        if root.is_none() && errors.is_empty() {
            // An empty file: an empty project, as far as the model goes.
            root = Some(Node {
                value: Value::Map(Vec::new()),
                loc: Loc::new(id, Span::at(0)),
                tag: None,
            });
        }
        ComposeFile {
            id,
            root,
            comments: yaml.comments,
            errors,
        }
    }

    /// The typed view of this file alone.
    pub fn model(&self) -> ComposeModel {
        match &self.root {
            Some(root) => ComposeModel::from_node(root),
            None => ComposeModel::default(),
        }
    }
}
