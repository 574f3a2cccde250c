//! Merging compose files the way `docker compose -f base.yaml -f override.yaml` does.
//!
//! Sources: the Compose specification `13-merge.md`, and compose-go `override/merge.go`,
//! `override/uncity.go` and `loader/reset.go`, which `docker compose` runs:
//!
//! - mappings merge key by key; a scalar in the later file replaces the earlier one; a null
//!   in the later file keeps the earlier value; sequences are appended;
//! - `command`, `entrypoint`, `healthcheck.test` and `ulimits.*` are replaced, not merged;
//! - `environment`, `labels`, `annotations`, `build.args`, `sysctls`... (list or mapping) merge
//!   by key; `depends_on` and `networks` given as lists become mappings; `build: ./dir` is
//!   `build: {context: ./dir}`; `logging` options merge only for the same driver;
//! - `!reset` removes the value from the earlier files, `!override` replaces it wholesale;
//! - after all files are merged, items that must be unique collapse, the later one taking the
//!   place of the earlier: ports (by the whole short string, or host IP/published/target/
//!   protocol for the long form), volumes by target, secrets and configs by target,
//!   environment and labels by key, `env_file` by path, and so on.
//!
//! Every node keeps the file and span it was written at; a [`MergeNote`] records each reset,
//! override and collapsed duplicate, so a rule can tell what an override file changed.

use std::collections::HashMap;

use super::yaml::{Entry, Node, Value};
use super::{FileError, Loc};
use crate::formats::SyntaxError;

/// Something the merge did that a rule may want to know about.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeNote {
    pub kind: MergeNoteKind,
    /// The dotted path (`services.odoo.ports`).
    pub path: String,
    /// The tag, or the item that won.
    pub loc: Loc,
    /// The earlier value that was dropped, if there was one.
    pub replaced: Option<Loc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeNoteKind {
    /// `!reset`: the value was removed.
    Reset,
    /// `!override`: the value replaced the earlier one instead of merging with it.
    Override,
    /// A later item of a unique sequence replaced an equal earlier one.
    Superseded,
}

type Path = Vec<String>;

fn matches(path: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split('.');
    let mut i = 0;
    for part in parts.by_ref() {
        match path.get(i) {
            Some(seg) if part == "*" || part == seg => i += 1,
            _ => return false,
        }
    }
    i == path.len()
}

fn matches_any(path: &[String], patterns: &[&str]) -> bool {
    patterns.iter().any(|p| matches(path, p))
}

/// Replaced, not merged.
const OVERRIDE: &[&str] = &[
    "services.*.command",
    "services.*.entrypoint",
    "services.*.healthcheck.test",
    "services.*.ulimits.*",
];

/// List-or-mapping fields that merge by key.
const KEY_VALUE: &[&str] = &[
    "networks.*.labels",
    "volumes.*.labels",
    "services.*.annotations",
    "services.*.build.args",
    "services.*.build.additional_contexts",
    "services.*.build.labels",
    "services.*.deploy.labels",
    "services.*.environment",
    "services.*.labels",
    "services.*.volumes.*.volume.labels",
    "services.*.sysctls",
];

/// String-or-list fields that are appended as lists.
const STRING_OR_LIST: &[&str] = &[
    "services.*.dns",
    "services.*.dns_opt",
    "services.*.dns_search",
    "services.*.env_file",
    "services.*.label_file",
    "services.*.tmpfs",
];

/// Lists of names that merge as mappings.
const NAMES_TO_MAP: &[&str] = &[
    "services.*.depends_on",
    "services.*.networks",
    "services.*.models",
];

const EXTRA_HOSTS: &[&str] = &["services.*.extra_hosts", "services.*.build.extra_hosts"];

/// Merges `over` (a later file) into `base`, honouring `!reset` and `!override`.
pub(crate) fn merge_files(
    mut base: Node,
    mut over: Node,
    notes: &mut Vec<MergeNote>,
    errors: &mut Vec<FileError>,
) -> Node {
    let mut tagged = Vec::new();
    take_tags(&mut over, &mut Vec::new(), &mut tagged);
    for (path, loc, kind) in tagged {
        let replaced = remove_path(&mut base, &path);
        notes.push(MergeNote {
            kind,
            path: path.join("."),
            loc,
            replaced,
        });
    }
    merge_value(base, over, &mut Vec::new(), errors)
}

/// Removes `!reset` values (and records `!override` ones) of a single file, as Compose does
/// for the first file too.
pub(crate) fn strip_tags(node: &mut Node, notes: &mut Vec<MergeNote>) {
    let mut tagged = Vec::new();
    take_tags(node, &mut Vec::new(), &mut tagged);
    for (path, loc, kind) in tagged {
        notes.push(MergeNote {
            kind,
            path: path.join("."),
            loc,
            replaced: None,
        });
    }
}

/// Merges a service into the service it `extends`: `base` first, `service` wins.
pub(crate) fn extend_service(base: Node, service: Node, errors: &mut Vec<FileError>) -> Node {
    let mut path = vec!["services".to_owned(), "x".to_owned()];
    merge_value(base, service, &mut path, errors)
}

fn take_tags(node: &mut Node, path: &mut Path, out: &mut Vec<(Path, Loc, MergeNoteKind)>) {
    let Value::Map(entries) = &mut node.value else {
        return;
    };
    entries.retain_mut(|entry| {
        path.push(entry.name().to_owned());
        let keep = if entry.value.has_tag("!reset") {
            out.push((path.clone(), entry.value.loc, MergeNoteKind::Reset));
            false
        } else if entry.value.has_tag("!override") {
            out.push((path.clone(), entry.value.loc, MergeNoteKind::Override));
            true
        } else {
            take_tags(&mut entry.value, path, out);
            true
        };
        path.pop();
        keep
    });
}

fn remove_path(node: &mut Node, path: &[String]) -> Option<Loc> {
    let (last, parents) = path.split_last()?;
    let mut current = node;
    for key in parents {
        let Value::Map(entries) = &mut current.value else {
            return None;
        };
        current = &mut entries.iter_mut().find(|e| e.name() == key)?.value;
    }
    let Value::Map(entries) = &mut current.value else {
        return None;
    };
    let index = entries.iter().position(|e| e.name() == last)?;
    Some(entries.remove(index).value.loc)
}

fn cannot_override(over: &Node, base: &Node, path: &[String]) -> FileError {
    FileError {
        file: over.loc.file,
        error: SyntaxError::new(
            over.loc.span,
            format!(
                "cannot override {} ({}) with {}",
                path.join("."),
                base.kind_name(),
                over.kind_name()
            ),
        ),
    }
}

fn merge_value(base: Node, over: Node, path: &mut Path, errors: &mut Vec<FileError>) -> Node {
    if matches_any(path, OVERRIDE) {
        return over;
    }
    if over.is_null() {
        return base;
    }
    if matches(path, "services.*.build") {
        return merge_maps_of(build_mapping(base), build_mapping(over), path, errors);
    }
    if matches_any(path, NAMES_TO_MAP) {
        return merge_maps_of(names_to_map(base), names_to_map(over), path, errors);
    }
    if matches(path, "services.*.logging") {
        let driver = |n: &Node| n.get("driver").and_then(Node::as_str).map(str::to_owned);
        let (d_base, d_over) = (driver(&base), driver(&over));
        if d_base.is_some() && d_over.is_some() && d_base != d_over {
            return over;
        }
    }
    if matches_any(path, KEY_VALUE) {
        if base.as_map().is_some() && over.as_map().is_some() {
            return merge_maps_of(base, over, path, errors);
        }
        return concat(key_value_list(base), key_value_list(over));
    }
    if matches_any(path, EXTRA_HOSTS) {
        if base.as_map().is_some() && over.as_map().is_some() {
            return merge_maps_of(base, over, path, errors);
        }
        let base = key_value_list(base);
        let over = key_value_list(over);
        let existing: Vec<Node> = base.as_seq().map(<[Node]>::to_vec).unwrap_or_default();
        let Node { value, loc, tag } = over;
        let fresh = match value {
            Value::Seq(items) => items
                .into_iter()
                .filter(|i| !existing.iter().any(|e| e.same_value(i)))
                .collect(),
            other => vec![Node {
                value: other,
                loc,
                tag,
            }],
        };
        return concat(
            base,
            Node {
                value: Value::Seq(fresh),
                loc,
                tag: None,
            },
        );
    }
    if matches_any(path, STRING_OR_LIST) {
        return concat(as_list(base), as_list(over));
    }
    if matches(path, "networks.*.ipam.config") {
        return merge_by_subnet(base, over, path, errors);
    }
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_maps_of(base, over, path, errors),
        (Value::Map(_), _) | (Value::Seq(_), Value::Map(_) | Value::Scalar(_)) => {
            errors.push(cannot_override(&over, &base, path));
            base
        }
        (Value::Seq(_), Value::Seq(_)) => concat(base, over),
        _ => over,
    }
}

fn merge_maps_of(base: Node, over: Node, path: &mut Path, errors: &mut Vec<FileError>) -> Node {
    let Node {
        value: base_value,
        loc,
        tag,
    } = base;
    let Value::Map(mut entries) = base_value else {
        // Not a mapping after normalisation: the later value wins.
        return over;
    };
    let Value::Map(over_entries) = over.value else {
        return Node {
            value: Value::Map(entries),
            loc,
            tag,
        };
    };
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name().to_owned(), i))
        .collect();
    for entry in over_entries {
        match index.get(entry.name()).and_then(|&i| entries.get_mut(i)) {
            Some(slot) => {
                path.push(entry.name().to_owned());
                let placeholder = Node {
                    value: Value::Null,
                    loc,
                    tag: None,
                };
                let earlier = std::mem::replace(&mut slot.value, placeholder);
                slot.value = merge_value(earlier, entry.value, path, errors);
                path.pop();
            }
            None => {
                index.insert(entry.name().to_owned(), entries.len());
                entries.push(entry);
            }
        }
    }
    Node {
        value: Value::Map(entries),
        loc,
        tag,
    }
}

fn concat(base: Node, over: Node) -> Node {
    let Node { value, loc, tag } = base;
    let mut items = match value {
        Value::Seq(items) => items,
        Value::Null => Vec::new(),
        other => vec![Node {
            value: other,
            loc,
            tag: tag.clone(),
        }],
    };
    match over.value {
        Value::Seq(more) => items.extend(more),
        Value::Null => {}
        other => items.push(Node {
            value: other,
            ..over
        }),
    }
    Node {
        value: Value::Seq(items),
        loc,
        tag,
    }
}

fn as_list(node: Node) -> Node {
    match node.value {
        Value::Seq(_) | Value::Null => node,
        _ => {
            let loc = node.loc;
            Node {
                value: Value::Seq(vec![node]),
                loc,
                tag: None,
            }
        }
    }
}

/// A list-or-mapping as a list: mapping entries become one-entry mappings, keeping their spans.
fn key_value_list(node: Node) -> Node {
    let Node { value, loc, tag } = node;
    match value {
        Value::Map(entries) => {
            let items = entries
                .into_iter()
                .map(|e| {
                    let item_loc = e.key.loc;
                    Node {
                        value: Value::Map(vec![e]),
                        loc: item_loc,
                        tag: None,
                    }
                })
                .collect();
            Node {
                value: Value::Seq(items),
                loc,
                tag,
            }
        }
        other => as_list(Node {
            value: other,
            loc,
            tag,
        }),
    }
}

/// `build: ./dir` is `build: {context: ./dir}`.
fn build_mapping(node: Node) -> Node {
    match &node.value {
        Value::Scalar(_) => {
            let loc = node.loc;
            let key = Node::synthetic_str("context", loc);
            Node {
                value: Value::Map(vec![Entry {
                    key,
                    value: node,
                    merged_by: None,
                }]),
                loc,
                tag: None,
            }
        }
        _ => node,
    }
}

/// `[a, b]` is `{a: null, b: null}`; the names keep their spans.
fn names_to_map(node: Node) -> Node {
    let Node { value, loc, tag } = node;
    match value {
        Value::Seq(items) => {
            let entries = items
                .into_iter()
                .map(|item| {
                    let value = Node {
                        value: Value::Null,
                        loc: item.loc,
                        tag: None,
                    };
                    Entry {
                        key: item,
                        value,
                        merged_by: None,
                    }
                })
                .collect();
            Node {
                value: Value::Map(entries),
                loc,
                tag,
            }
        }
        other => Node {
            value: other,
            loc,
            tag,
        },
    }
}

fn merge_by_subnet(base: Node, over: Node, path: &mut Path, errors: &mut Vec<FileError>) -> Node {
    let Node { value, loc, tag } = base;
    let Value::Seq(mut items) = value else {
        return over;
    };
    let Value::Seq(more) = over.value else {
        return Node {
            value: Value::Seq(items),
            loc,
            tag,
        };
    };
    let subnet = |n: &Node| n.get("subnet").and_then(Node::as_str).map(str::to_owned);
    for item in more {
        match items
            .iter()
            .position(|i| subnet(i).is_some() && subnet(i) == subnet(&item))
        {
            Some(i) => {
                let earlier = items.remove(i);
                items.insert(i, merge_maps_of(earlier, item, path, errors));
            }
            None => items.push(item),
        }
    }
    Node {
        value: Value::Seq(items),
        loc,
        tag,
    }
}

#[derive(Clone, Copy)]
enum Indexer {
    KeyValue,
    Volume,
    Device,
    Expose,
    Mount(&'static str),
    Port,
    EnvFile,
}

const UNIQUE: &[(&str, Indexer)] = &[
    ("networks.*.labels", Indexer::KeyValue),
    ("networks.*.ipam.options", Indexer::KeyValue),
    ("services.*.annotations", Indexer::KeyValue),
    ("services.*.build.args", Indexer::KeyValue),
    ("services.*.build.additional_contexts", Indexer::KeyValue),
    ("services.*.build.platforms", Indexer::KeyValue),
    ("services.*.build.tags", Indexer::KeyValue),
    ("services.*.build.labels", Indexer::KeyValue),
    ("services.*.cap_add", Indexer::KeyValue),
    ("services.*.cap_drop", Indexer::KeyValue),
    ("services.*.devices", Indexer::Device),
    ("services.*.configs", Indexer::Mount("")),
    ("services.*.deploy.labels", Indexer::KeyValue),
    ("services.*.dns", Indexer::KeyValue),
    ("services.*.dns_opt", Indexer::KeyValue),
    ("services.*.dns_search", Indexer::KeyValue),
    ("services.*.environment", Indexer::KeyValue),
    ("services.*.env_file", Indexer::EnvFile),
    ("services.*.expose", Indexer::Expose),
    ("services.*.labels", Indexer::KeyValue),
    ("services.*.links", Indexer::KeyValue),
    ("services.*.networks.*.aliases", Indexer::KeyValue),
    ("services.*.networks.*.link_local_ips", Indexer::KeyValue),
    ("services.*.ports", Indexer::Port),
    ("services.*.profiles", Indexer::KeyValue),
    ("services.*.secrets", Indexer::Mount("/run/secrets")),
    ("services.*.sysctls", Indexer::KeyValue),
    ("services.*.tmpfs", Indexer::KeyValue),
    ("services.*.volumes", Indexer::Volume),
];

/// Collapses repeated items of unique sequences (compose-go `EnforceUnicity`).
pub(crate) fn enforce_unicity(node: &mut Node, notes: &mut Vec<MergeNote>) {
    unicity(node, &mut Vec::new(), notes);
}

fn unicity(node: &mut Node, path: &mut Path, notes: &mut Vec<MergeNote>) {
    match &mut node.value {
        Value::Map(entries) => {
            for entry in entries {
                path.push(entry.name().to_owned());
                unicity(&mut entry.value, path, notes);
                path.pop();
            }
        }
        Value::Seq(items) => {
            let Some(&(_, indexer)) = UNIQUE.iter().find(|(p, _)| matches(path, p)) else {
                return;
            };
            let mut kept: Vec<Node> = Vec::with_capacity(items.len());
            let mut keys: HashMap<String, usize> = HashMap::with_capacity(items.len());
            for item in std::mem::take(items) {
                let key = index(&item, indexer);
                match keys.get(&key).and_then(|&j| kept.get_mut(j)) {
                    Some(slot) => {
                        let loc = item.loc;
                        let earlier = std::mem::replace(slot, item);
                        notes.push(MergeNote {
                            kind: MergeNoteKind::Superseded,
                            path: path.join("."),
                            loc,
                            replaced: Some(earlier.loc),
                        });
                    }
                    None => {
                        keys.insert(key, kept.len());
                        kept.push(item);
                    }
                }
            }
            *items = kept;
        }
        _ => {}
    }
}

fn index(item: &Node, indexer: Indexer) -> String {
    let text = item.as_str().unwrap_or("");
    match indexer {
        Indexer::KeyValue => match item.as_map() {
            Some([entry]) => entry.name().to_owned(),
            _ => text.split_once('=').map_or(text, |(k, _)| k).to_owned(),
        },
        Indexer::Volume => match item.as_map() {
            Some(_) => item
                .get("target")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_owned(),
            None => super::service::short_volume_target(text),
        },
        Indexer::Device => match item.as_map() {
            Some(_) => item
                .get("target")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_owned(),
            None => {
                let parts: Vec<&str> = text.split(':').collect();
                parts
                    .get(1)
                    .or(parts.first())
                    .copied()
                    .unwrap_or("")
                    .to_owned()
            }
        },
        Indexer::Expose => text.to_owned(),
        Indexer::Mount(default) => match item.as_map() {
            Some(_) => match item.get("target").and_then(Node::as_str) {
                Some(target) => target.to_owned(),
                None => format!(
                    "{default}/{}",
                    item.get("source").and_then(Node::as_str).unwrap_or("")
                ),
            },
            None => format!("{default}/{text}"),
        },
        Indexer::Port => match item.as_map() {
            Some(_) => {
                let field = |k: &str| item.get(k).and_then(Node::as_str).map(str::to_owned);
                format!(
                    "{}:{}:{}/{}",
                    field("host_ip").unwrap_or_else(|| "0.0.0.0".into()),
                    field("published").unwrap_or_default(),
                    field("target").unwrap_or_default(),
                    field("protocol").unwrap_or_else(|| "tcp".into()),
                )
            }
            None => text.to_owned(),
        },
        Indexer::EnvFile => match item.as_map() {
            Some(_) => item
                .get("path")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_owned(),
            None => text.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        let p = |s: &str| s.split('.').map(str::to_owned).collect::<Vec<_>>();
        assert!(matches(&p("services.web.ports"), "services.*.ports"));
        assert!(!matches(&p("services.web.ports.0"), "services.*.ports"));
        assert!(!matches(&p("services.web"), "services.*.ports"));
        assert!(matches(
            &p("services.web.ulimits.nofile"),
            "services.*.ulimits.*"
        ));
    }
}
