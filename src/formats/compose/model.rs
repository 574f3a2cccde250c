//! The typed view of a compose file or project: services and top-level resources.
//!
//! `x-` extension keys are ignored here, as Compose ignores them (`11-extension.md`); they stay
//! in [`ComposeModel::keys`] and in the nodes. Source: the Compose specification
//! `02-model.md`..`09-secrets.md` and `14-include.md`.

use super::service::{self, Errors, Service};
use super::text::Text;
use super::yaml::{Node, Value};
use super::{FileError, Loc};

/// The compose model: what `docker compose config` would describe, with spans.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComposeModel {
    /// Every top-level key as written (`x-` extensions included).
    pub keys: Vec<Text>,
    /// The obsolete top-level `version`.
    pub version: Option<Text>,
    pub name: Option<Text>,
    pub services: Vec<Service>,
    pub volumes: Vec<Resource>,
    pub networks: Vec<Resource>,
    pub secrets: Vec<Resource>,
    pub configs: Vec<Resource>,
    /// `include:` entries as written (a loaded [`super::Project`] has them resolved).
    pub include: Vec<Include>,
    /// Values of the wrong type and unparsable ports or volumes.
    pub errors: Vec<FileError>,
}

/// A top-level volume, network, secret or config.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub name: Text,
    pub loc: Loc,
    /// `external: true`: created outside Compose.
    pub external: bool,
    pub driver: Option<Text>,
    /// Secrets and configs: the file holding the value.
    pub file: Option<Text>,
    /// Secrets and configs: the variable holding the value.
    pub environment: Option<Text>,
    /// The top-level section: `volumes`, `networks`, `secrets` or `configs`.
    pub section: &'static str,
}

impl Resource {
    /// The resource's mapping in `root` (the tree this model was read from).
    pub fn node_in<'a>(&self, root: &'a Node) -> Option<&'a Node> {
        root.get(self.section)?.get(&self.name.value)
    }
}

/// An `include:` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Include {
    pub loc: Loc,
    pub paths: Vec<Text>,
    pub project_directory: Option<Text>,
    pub env_files: Vec<Text>,
}

impl ComposeModel {
    /// Reads the typed view of a root mapping.
    pub fn from_node(root: &Node) -> ComposeModel {
        let mut model = ComposeModel::default();
        let mut errors = Vec::new();
        let mut e = Errors(&mut errors);
        let Some(entries) = root.as_map() else {
            e.expected(root, "the top level", "a mapping");
            model.errors = errors;
            return model;
        };
        for entry in entries {
            if let Some(key) = Text::from_node(&entry.key) {
                model.keys.push(key);
            }
            let v = &entry.value;
            match entry.name() {
                "version" => model.version = service::scalar(v, "version", &mut e),
                "name" => model.name = service::scalar(v, "name", &mut e),
                "services" => model.services = services(v, &mut e),
                "volumes" => model.volumes = resources(v, "volumes", &mut e),
                "networks" => model.networks = resources(v, "networks", &mut e),
                "secrets" => model.secrets = resources(v, "secrets", &mut e),
                "configs" => model.configs = resources(v, "configs", &mut e),
                "include" => model.include = includes(v, &mut e),
                _ => {}
            }
        }
        model.errors = errors;
        model
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The services that run with these profiles enabled.
    pub fn enabled_services(&self, active_profiles: &[&str]) -> Vec<&Service> {
        self.services
            .iter()
            .filter(|s| s.is_enabled(active_profiles))
            .collect()
    }
}

fn services(node: &Node, errors: &mut Errors) -> Vec<Service> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .filter(|e| !e.name().starts_with("x-"))
            .map(|e| Service::from_entry(&e.key, &e.value, errors))
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            errors.expected(node, "services", "a mapping");
            Vec::new()
        }
    }
}

fn resources(node: &Node, field: &'static str, errors: &mut Errors) -> Vec<Resource> {
    let Some(entries) = node.as_map() else {
        if !node.is_null() {
            errors.expected(node, field, "a mapping");
        }
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| !e.name().starts_with("x-"))
        .filter_map(|e| {
            let name = Text::from_node(&e.key)?;
            let v = &e.value;
            let get = |key: &str, errors: &mut Errors| {
                v.get(key).and_then(|n| service::scalar(n, key, errors))
            };
            let external = match v.get("external") {
                Some(n) if n.as_map().is_some() => true,
                Some(n) => Text::from_node(n)
                    .and_then(|t| t.as_bool())
                    .unwrap_or(false),
                None => false,
            };
            Some(Resource {
                loc: e.key.loc,
                name,
                external,
                driver: get("driver", errors),
                file: get("file", errors),
                environment: get("environment", errors),
                section: field,
            })
        })
        .collect()
}

pub(crate) fn includes(node: &Node, errors: &mut Errors) -> Vec<Include> {
    service::items(node, "include", errors)
        .filter_map(|item| match &item.value {
            Value::Scalar(_) => Text::from_node(item).map(|path| Include {
                loc: item.loc,
                paths: vec![path],
                project_directory: None,
                env_files: Vec::new(),
            }),
            Value::Map(_) => {
                let paths = item
                    .get("path")
                    .map(|p| service::strings(p, "path", errors))
                    .unwrap_or_default();
                if paths.is_empty() {
                    errors.at(item.loc, "an `include` entry needs a `path`");
                }
                Some(Include {
                    loc: item.loc,
                    paths,
                    project_directory: item
                        .get("project_directory")
                        .and_then(|p| service::scalar(p, "project_directory", errors)),
                    env_files: item
                        .get("env_file")
                        .map(|p| service::strings(p, "env_file", errors))
                        .unwrap_or_default(),
                })
            }
            _ => {
                errors.expected(item, "include", "a list of paths or mappings");
                None
            }
        })
        .collect()
}
