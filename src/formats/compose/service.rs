//! The typed view of a service: the fields policy rules read, each value with its span.
//!
//! Short and long syntaxes are normalised to one shape (a port is a [`Port`] whether it was
//! written `"127.0.0.1:8069:8069"` or as a mapping), and values with unresolved `${...}` keep
//! their text instead of failing to parse. Source: the Compose specification
//! `05-services.md` (ports, expose, volumes, environment, env_file, depends_on, healthcheck,
//! networks, secrets, labels, build), and compose-go `format/volume.go` for the short volume
//! syntax and docker/go-connections `nat.ParsePortSpec` for the short port syntax.

use std::ops::Range;

use super::text::{ScalarRef, Text};
use super::yaml::{Node, ScalarKind, Value};
use super::{excerpt, FileError, Loc};
use crate::formats::SyntaxError;

/// Collects type errors while reading the typed view.
pub(crate) struct Errors<'a>(pub &'a mut Vec<FileError>);

impl Errors<'_> {
    pub fn at(&mut self, loc: Loc, message: impl Into<String>) {
        self.0.push(FileError {
            file: loc.file,
            error: SyntaxError::new(loc.span, message),
        });
    }

    pub fn expected(&mut self, node: &Node, field: &str, what: &str) {
        self.at(
            node.loc,
            format!("`{field}` must be {what}, not {}", node.kind_name()),
        );
    }
}

/// Whether a list item or a field was written in the short (string) or long (mapping) form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListForm {
    /// A string (`- "8069:8069"`, `- KEY=value`, `- postgres`).
    Short,
    /// A mapping (`- target: 8069`, `KEY: value`, `postgres: {condition: ...}`).
    Long,
}

/// A service of the compose model.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    /// The service's key (its name as written).
    pub key: Loc,
    /// The service's mapping.
    pub loc: Loc,
    /// Every key of the service as written, `x-` extensions included, for unknown-key rules.
    pub keys: Vec<Text>,
    pub image: Option<Image>,
    pub build: Option<Build>,
    pub container_name: Option<Text>,
    pub ports: Vec<Port>,
    pub expose: Vec<Expose>,
    pub volumes: Vec<VolumeMount>,
    pub environment: Vec<KeyValue>,
    pub env_file: Vec<EnvFile>,
    pub depends_on: Vec<Dependency>,
    pub healthcheck: Option<Healthcheck>,
    pub restart: Option<Text>,
    pub profiles: Vec<Text>,
    pub networks: Vec<ServiceNetwork>,
    pub network_mode: Option<Text>,
    pub command: Option<Command>,
    pub entrypoint: Option<Command>,
    pub secrets: Vec<ServiceSecret>,
    pub labels: Vec<KeyValue>,
    pub extends: Option<Extends>,
}

impl Service {
    /// Whether the service runs with these profiles enabled: services without `profiles`
    /// always run; `*` enables every profile (`15-profiles.md`).
    pub fn is_enabled(&self, active_profiles: &[&str]) -> bool {
        self.profiles.is_empty()
            || self
                .profiles
                .iter()
                .any(|p| active_profiles.iter().any(|a| *a == "*" || *a == p.value))
    }

    /// The service's mapping in `root` (the tree this model was read from), for the fields the
    /// typed view does not cover (`privileged`, `cap_add`, `deploy`...).
    pub fn node_in<'a>(&self, root: &'a Node) -> Option<&'a Node> {
        root.get("services")?.get(&self.name)
    }

    /// The environment entry for `key` (the last one, as Compose keeps).
    pub fn env(&self, key: &str) -> Option<&KeyValue> {
        self.environment.iter().rev().find(|kv| kv.key.value == key)
    }

    pub(crate) fn from_entry(key: &Node, node: &Node, errors: &mut Errors) -> Service {
        let name = key.as_str().unwrap_or("").to_owned();
        let mut service = Service {
            name,
            key: key.loc,
            loc: node.loc,
            keys: Vec::new(),
            image: None,
            build: None,
            container_name: None,
            ports: Vec::new(),
            expose: Vec::new(),
            volumes: Vec::new(),
            environment: Vec::new(),
            env_file: Vec::new(),
            depends_on: Vec::new(),
            healthcheck: None,
            restart: None,
            profiles: Vec::new(),
            networks: Vec::new(),
            network_mode: None,
            command: None,
            entrypoint: None,
            secrets: Vec::new(),
            labels: Vec::new(),
            extends: None,
        };
        let Some(entries) = node.as_map() else {
            if !node.is_null() {
                errors.expected(node, &service.name, "a mapping");
            }
            return service;
        };
        for entry in entries {
            if let Some(k) = Text::from_node(&entry.key) {
                service.keys.push(k);
            }
            let v = &entry.value;
            if v.is_null() {
                continue;
            }
            match entry.name() {
                "image" => service.image = Image::read(v, errors),
                "build" => service.build = Build::read(v, errors),
                "container_name" => service.container_name = scalar(v, "container_name", errors),
                "ports" => {
                    service.ports = items(v, "ports", errors)
                        .filter_map(|i| Port::read(i, errors))
                        .collect()
                }
                "expose" => {
                    service.expose = items(v, "expose", errors)
                        .filter_map(|i| Expose::read(i, errors))
                        .collect()
                }
                "volumes" => {
                    service.volumes = items(v, "volumes", errors)
                        .filter_map(|i| VolumeMount::read(i, errors))
                        .collect();
                }
                "environment" => service.environment = KeyValue::read_all(v, "environment", errors),
                "labels" => service.labels = KeyValue::read_all(v, "labels", errors),
                "env_file" => service.env_file = EnvFile::read_all(v, errors),
                "depends_on" => service.depends_on = Dependency::read_all(v, errors),
                "healthcheck" => service.healthcheck = Healthcheck::read(v, errors),
                "restart" => service.restart = scalar(v, "restart", errors),
                "profiles" => service.profiles = strings(v, "profiles", errors),
                "networks" => service.networks = ServiceNetwork::read_all(v, errors),
                "network_mode" => service.network_mode = scalar(v, "network_mode", errors),
                "command" => service.command = Command::read(v, "command", errors),
                "entrypoint" => service.entrypoint = Command::read(v, "entrypoint", errors),
                "secrets" => service.secrets = ServiceSecret::read_all(v, errors),
                "extends" => service.extends = Extends::read(v, errors),
                _ => {}
            }
        }
        service
    }
}

/// A scalar field, or a type error.
pub(crate) fn scalar(node: &Node, field: &str, errors: &mut Errors) -> Option<Text> {
    let text = Text::from_node(node);
    if text.is_none() && !node.is_null() {
        errors.expected(node, field, "a string");
    }
    text
}

/// The items of a sequence field, or a type error.
pub(crate) fn items<'a>(
    node: &'a Node,
    field: &str,
    errors: &mut Errors,
) -> std::slice::Iter<'a, Node> {
    match node.as_seq() {
        Some(items) => items.iter(),
        None => {
            if !node.is_null() {
                errors.expected(node, field, "a list");
            }
            [].iter()
        }
    }
}

/// A list of strings, or a string standing for a one-item list.
pub(crate) fn strings(node: &Node, field: &str, errors: &mut Errors) -> Vec<Text> {
    match &node.value {
        Value::Scalar(_) => Text::from_node(node).into_iter().collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| scalar(i, field, errors))
            .collect(),
        Value::Null => Vec::new(),
        Value::Map(_) => {
            errors.expected(node, field, "a list of strings");
            Vec::new()
        }
    }
}

fn field(node: &Node, key: &str, errors: &mut Errors) -> Option<Text> {
    node.get(key).and_then(|v| scalar(v, key, errors))
}

fn bool_field(node: &Node, key: &str, errors: &mut Errors) -> Option<(bool, Loc)> {
    let text = field(node, key, errors)?;
    match text.as_bool() {
        Some(b) => Some((b, text.loc)),
        None if text.unresolved => None,
        None => {
            errors.at(
                text.loc,
                format!(
                    "`{key}` must be true or false, not `{}`",
                    excerpt(&text.value)
                ),
            );
            None
        }
    }
}

/// `image:` with its reference split into name, tag and digest.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub text: Text,
    /// Registry and repository (`ghcr.io/acme/odoo`, `odoo`).
    pub name: Text,
    pub tag: Option<Text>,
    pub digest: Option<Text>,
}

impl Image {
    fn read(node: &Node, errors: &mut Errors) -> Option<Image> {
        let Some(s) = ScalarRef::new(node) else {
            errors.expected(node, "image", "a string");
            return None;
        };
        let all = 0..s.value().len();
        let (reference, digest) = match s.find(all.clone(), '@') {
            Some(at) => (0..at, Some(s.part(at + 1..all.end))),
            None => (all.clone(), None),
        };
        let last_slash = s
            .rfind(reference.clone(), '/')
            .map_or(reference.start, |i| i + 1);
        let (name, tag) = match s.rfind(last_slash..reference.end, ':') {
            Some(colon) => (
                s.part(reference.start..colon),
                Some(s.part(colon + 1..reference.end)),
            ),
            None => (s.part(reference.clone()), None),
        };
        Some(Image {
            text: s.whole(),
            name,
            tag,
            digest,
        })
    }
}

/// `build:` (short: the context path).
#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    pub loc: Loc,
    pub context: Option<Text>,
    pub dockerfile: Option<Text>,
    pub target: Option<Text>,
    pub args: Vec<KeyValue>,
}

impl Build {
    fn read(node: &Node, errors: &mut Errors) -> Option<Build> {
        match &node.value {
            Value::Scalar(_) => Some(Build {
                loc: node.loc,
                context: Text::from_node(node),
                dockerfile: None,
                target: None,
                args: Vec::new(),
            }),
            Value::Map(_) => Some(Build {
                loc: node.loc,
                context: field(node, "context", errors),
                dockerfile: field(node, "dockerfile", errors),
                target: field(node, "target", errors),
                args: node
                    .get("args")
                    .map(|a| KeyValue::read_all(a, "build.args", errors))
                    .unwrap_or_default(),
            }),
            _ => {
                errors.expected(node, "build", "a string or a mapping");
                None
            }
        }
    }
}

/// An inclusive range of port numbers; a single port is a range of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    /// `8069` or `8000-8010`; `None` if not a valid port or range.
    pub fn parse(text: &str) -> Option<PortRange> {
        let (a, b) = text.split_once('-').unwrap_or((text, text));
        let port = |s: &str| s.trim().parse::<u16>().ok();
        let (start, end) = (port(a)?, port(b)?);
        (start <= end).then_some(PortRange { start, end })
    }

    pub fn contains(&self, port: u16) -> bool {
        self.start <= port && port <= self.end
    }

    pub fn len(&self) -> usize {
        usize::from(self.end - self.start) + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// How a port was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortSyntax {
    /// `- 8069`: an unquoted number, a container port only.
    Number,
    /// `- "[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]"`.
    Short,
    /// `- {target, published, host_ip, protocol, mode, app_protocol, name}`.
    Long,
}

/// A `ports:` item, short or long syntax.
///
/// Every port item publishes to the host: without `published`, Docker picks an ephemeral host
/// port; without `host_ip`, it binds all interfaces (`0.0.0.0` and `[::]`), past ufw
/// (research/compose.md §2).
#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    pub loc: Loc,
    pub syntax: PortSyntax,
    /// The host address, brackets of an IPv6 address removed.
    pub host_ip: Option<Text>,
    /// The host port or range; `None` when Docker picks one.
    pub published: Option<Text>,
    pub target: Option<Text>,
    pub protocol: Option<Text>,
    pub mode: Option<Text>,
    pub app_protocol: Option<Text>,
    pub name: Option<Text>,
}

impl Port {
    pub fn published_range(&self) -> Option<PortRange> {
        self.published
            .as_ref()
            .and_then(|p| PortRange::parse(&p.value))
    }

    pub fn target_range(&self) -> Option<PortRange> {
        self.target
            .as_ref()
            .and_then(|p| PortRange::parse(&p.value))
    }

    /// The protocol, `tcp` when not written.
    pub fn protocol(&self) -> &str {
        self.protocol.as_ref().map_or("tcp", |p| p.value.as_str())
    }

    fn read(node: &Node, errors: &mut Errors) -> Option<Port> {
        match &node.value {
            Value::Map(_) => Some(Port::long(node, errors)),
            Value::Scalar(s) => {
                let r = ScalarRef::new(node)?;
                if s.kind == ScalarKind::Int && !s.is_quoted() {
                    let target = r.whole();
                    check_port(&target, "port", errors);
                    return Some(Port::bare(node.loc, PortSyntax::Number, target));
                }
                Some(Port::short(r, errors))
            }
            _ => {
                errors.expected(node, "ports", "a list of strings or mappings");
                None
            }
        }
    }

    fn bare(loc: Loc, syntax: PortSyntax, target: Text) -> Port {
        Port {
            loc,
            syntax,
            host_ip: None,
            published: None,
            target: Some(target),
            protocol: None,
            mode: None,
            app_protocol: None,
            name: None,
        }
    }

    fn short(r: ScalarRef, errors: &mut Errors) -> Port {
        let all = 0..r.value().len();
        let (spec, protocol) = match r.rfind(all.clone(), '/') {
            Some(slash) => (0..slash, Some(r.part(slash + 1..all.end))),
            None => (all, None),
        };
        let parts = r.split(spec, ':');
        let n = parts.len();
        let target = parts.last().map(|p| r.part(p.clone()));
        let published = (n >= 2)
            .then(|| r.part(parts[n - 2].clone()))
            .filter(|p| !p.value.is_empty());
        let host_ip = (n >= 3).then(|| {
            let range = parts[0].start..parts[n - 3].end;
            let inner = strip_brackets(r.value(), range);
            r.part(inner)
        });
        let mut port = Port::bare(
            r.node.loc,
            PortSyntax::Short,
            target.unwrap_or_else(|| r.whole()),
        );
        port.published = published;
        port.host_ip = host_ip.filter(|h| !h.value.is_empty());
        port.protocol = protocol;
        port.check(errors);
        port
    }

    fn long(node: &Node, errors: &mut Errors) -> Port {
        let port = Port {
            loc: node.loc,
            syntax: PortSyntax::Long,
            host_ip: field(node, "host_ip", errors),
            published: field(node, "published", errors),
            target: field(node, "target", errors),
            protocol: field(node, "protocol", errors),
            mode: field(node, "mode", errors),
            app_protocol: field(node, "app_protocol", errors),
            name: field(node, "name", errors),
        };
        if port.target.is_none() {
            errors.at(node.loc, "a long-syntax port needs a `target`");
        }
        port.check(errors);
        port
    }

    fn check(&self, errors: &mut Errors) {
        if let Some(t) = &self.target {
            check_port(t, "container port", errors);
        }
        if let Some(p) = &self.published {
            check_port(p, "published port", errors);
        }
        if let Some(ip) = &self.host_ip {
            if !ip.unresolved && ip.value.parse::<std::net::IpAddr>().is_err() {
                errors.at(
                    ip.loc,
                    format!("invalid host IP address `{}`", excerpt(&ip.value)),
                );
            }
        }
    }
}

fn check_port(text: &Text, what: &str, errors: &mut Errors) {
    if !text.unresolved && PortRange::parse(&text.value).is_none() {
        errors.at(
            text.loc,
            format!("invalid {what} `{}`", excerpt(&text.value)),
        );
    }
}

fn strip_brackets(value: &str, range: Range<usize>) -> Range<usize> {
    match value.get(range.clone()) {
        Some(s) if s.len() >= 2 && s.starts_with('[') && s.ends_with(']') => {
            range.start + 1..range.end - 1
        }
        _ => range,
    }
}

/// An `expose:` item: a container port or range, not published.
#[derive(Clone, Debug, PartialEq)]
pub struct Expose {
    pub text: Text,
    pub port: Text,
    pub protocol: Option<Text>,
}

impl Expose {
    pub fn range(&self) -> Option<PortRange> {
        PortRange::parse(&self.port.value)
    }

    fn read(node: &Node, errors: &mut Errors) -> Option<Expose> {
        let r = ScalarRef::new(node);
        let Some(r) = r else {
            errors.expected(node, "expose", "a list of ports");
            return None;
        };
        let all = 0..r.value().len();
        let (port, protocol) = match r.rfind(all.clone(), '/') {
            Some(slash) => (r.part(0..slash), Some(r.part(slash + 1..all.end))),
            None => (r.whole(), None),
        };
        check_port(&port, "port", errors);
        Some(Expose {
            text: r.whole(),
            port,
            protocol,
        })
    }
}

/// The type of a mount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Volume,
    Tmpfs,
    Image,
    Npipe,
    Cluster,
    /// The short-syntax source is an unresolved variable, so the type cannot be told.
    Unknown,
}

/// A `volumes:` item of a service, short or long syntax.
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeMount {
    pub loc: Loc,
    pub syntax: ListForm,
    pub kind: MountKind,
    /// The host path or volume name; `None` for an anonymous volume or a tmpfs.
    pub source: Option<Text>,
    pub target: Option<Text>,
    /// Read-only, from `:ro` (short) or `read_only: true` (long).
    pub read_only: bool,
    /// Where read-only-ness was written: the `ro` option or the `read_only` value.
    pub read_only_at: Option<Loc>,
    /// Short-syntax access options (`ro`, `rw`, `z`, `Z`, `nocopy`, propagation), each spanned.
    pub options: Vec<Text>,
}

/// Whether a short-syntax source is a host path (compose-go `isFilePath`).
fn is_file_path(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        Some('.' | '/' | '~') => true,
        Some('\\') => source.starts_with("\\\\"),
        Some(c) if c.is_ascii_alphabetic() => chars.next() == Some(':'),
        _ => false,
    }
}

/// The container path of a short volume spec, as compose-go's unicity check needs it.
pub(crate) fn short_volume_target(spec: &str) -> String {
    let parts = split_volume(spec);
    match parts.len() {
        0 => String::new(),
        1 => parts[0].to_owned(),
        _ => parts[1].to_owned(),
    }
}

/// `C` followed by `:\\...` or `:/...`: a Windows drive, not a separator.
fn is_drive(first: &str, second: &str) -> bool {
    first.len() == 1
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && second.starts_with(['\\', '/'])
}

/// Splits a short volume spec on `:`, keeping a Windows drive (`C:\...`) together.
fn split_volume(spec: &str) -> Vec<&str> {
    if spec.len() <= 2 {
        return vec![spec];
    }
    let mut parts: Vec<&str> = spec.split(':').collect();
    if parts.len() > 1 && is_drive(parts[0], parts[1]) {
        let joined_len = parts[0].len() + 1 + parts[1].len();
        parts.splice(0..2, [&spec[..joined_len]]);
    }
    parts
}

impl VolumeMount {
    fn read(node: &Node, errors: &mut Errors) -> Option<VolumeMount> {
        match &node.value {
            Value::Map(_) => Some(VolumeMount::long(node, errors)),
            Value::Scalar(_) => ScalarRef::new(node).map(|r| VolumeMount::short(r, errors)),
            _ => {
                errors.expected(node, "volumes", "a list of strings or mappings");
                None
            }
        }
    }

    fn short(r: ScalarRef, errors: &mut Errors) -> VolumeMount {
        let value = r.value();
        let mut parts = r.split(0..value.len(), ':');
        if value.len() <= 2 {
            parts = std::iter::once(0..value.len()).collect();
        } else if parts.len() > 1 {
            let first = &value[parts[0].clone()];
            let second = &value[parts[1].clone()];
            if is_drive(first, second) {
                let joined = parts[0].start..parts[1].end;
                parts.splice(0..2, [joined]);
            }
        }
        let mut mount = VolumeMount {
            loc: r.node.loc,
            syntax: ListForm::Short,
            kind: MountKind::Volume,
            source: None,
            target: None,
            read_only: false,
            read_only_at: None,
            options: Vec::new(),
        };
        if parts.iter().any(|p| p.is_empty()) && value.len() > 2 {
            errors.at(r.node.loc, "invalid volume: empty section between colons");
        }
        match parts.as_slice() {
            [] => {}
            [only] => mount.target = Some(r.part(only.clone())),
            [source, target, rest @ ..] => {
                mount.source = Some(r.part(source.clone()));
                mount.target = Some(r.part(target.clone()));
                if rest.len() > 1 {
                    errors.at(
                        r.node.loc,
                        "invalid volume: too many colons (SOURCE:TARGET[:OPTIONS])",
                    );
                }
                if let Some(options) = rest.first() {
                    for option in r.split(options.clone(), ',') {
                        let text = r.part(option);
                        match text.value.as_str() {
                            "ro" => {
                                mount.read_only = true;
                                mount.read_only_at = Some(text.loc);
                            }
                            "rw" => {
                                mount.read_only = false;
                                mount.read_only_at = Some(text.loc);
                            }
                            _ => {}
                        }
                        mount.options.push(text);
                    }
                }
            }
        }
        mount.kind = match &mount.source {
            None => MountKind::Volume,
            Some(s) if s.unresolved && !is_file_path(&s.value) => MountKind::Unknown,
            Some(s) if is_file_path(&s.value) => MountKind::Bind,
            Some(_) => MountKind::Volume,
        };
        mount
    }

    fn long(node: &Node, errors: &mut Errors) -> VolumeMount {
        let kind_text = field(node, "type", errors);
        let kind = match kind_text.as_ref().map(|t| t.value.as_str()) {
            Some("bind") => MountKind::Bind,
            Some("volume") => MountKind::Volume,
            Some("tmpfs") => MountKind::Tmpfs,
            Some("image") => MountKind::Image,
            Some("npipe") => MountKind::Npipe,
            Some("cluster") => MountKind::Cluster,
            Some(other) => {
                if let Some(t) = &kind_text {
                    if !t.unresolved {
                        errors.at(t.loc, format!("unknown volume type `{}`", excerpt(other)));
                    }
                }
                MountKind::Unknown
            }
            None => {
                errors.at(node.loc, "a long-syntax volume needs a `type`");
                MountKind::Unknown
            }
        };
        let read_only = bool_field(node, "read_only", errors);
        VolumeMount {
            loc: node.loc,
            syntax: ListForm::Long,
            kind,
            source: field(node, "source", errors),
            target: field(node, "target", errors),
            read_only: read_only.is_some_and(|(b, _)| b),
            read_only_at: read_only.map(|(_, loc)| loc),
            options: Vec::new(),
        }
    }
}

/// An `environment:` or `labels:` entry (also `build.args`), list or mapping form.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyValue {
    pub key: Text,
    /// `None` for `- KEY` or `KEY:` with no value (taken from the shell for `environment`).
    pub value: Option<Text>,
    /// The list item or the mapping entry's key.
    pub loc: Loc,
    pub form: ListForm,
}

impl KeyValue {
    pub(crate) fn read_all(node: &Node, field: &str, errors: &mut Errors) -> Vec<KeyValue> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .filter_map(|e| KeyValue::entry(&e.key, &e.value, field, errors))
                .collect(),
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| KeyValue::item(i, field, errors))
                .collect(),
            Value::Null => Vec::new(),
            Value::Scalar(_) => {
                errors.expected(node, field, "a list or a mapping");
                Vec::new()
            }
        }
    }

    fn entry(key: &Node, value: &Node, field: &str, errors: &mut Errors) -> Option<KeyValue> {
        let key_text = Text::from_node(key)?;
        let value_text = match &value.value {
            Value::Null => None,
            Value::Scalar(_) => Text::from_node(value),
            _ => {
                errors.expected(value, field, "a string, number or boolean");
                None
            }
        };
        Some(KeyValue {
            loc: key.loc,
            key: key_text,
            value: value_text,
            form: ListForm::Long,
        })
    }

    fn item(node: &Node, field: &str, errors: &mut Errors) -> Option<KeyValue> {
        if let Some([entry]) = node.as_map() {
            // A mapping entry turned into a list item by an override merge.
            return KeyValue::entry(&entry.key, &entry.value, field, errors);
        }
        let Some(r) = ScalarRef::new(node) else {
            errors.expected(node, field, "a list of KEY=VALUE strings");
            return None;
        };
        let all = 0..r.value().len();
        let (key, value) = match r.find(all.clone(), '=') {
            Some(eq) => (r.part(0..eq), Some(r.part(eq + 1..all.end))),
            None => (r.whole(), None),
        };
        Some(KeyValue {
            key,
            value,
            loc: node.loc,
            form: ListForm::Short,
        })
    }
}

/// An `env_file:` item.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvFile {
    pub path: Text,
    /// `required: false` lets the file be missing (Compose 2.24).
    pub required: bool,
    /// `format: raw` disables interpolation and quote handling in the file.
    pub format: Option<Text>,
    pub loc: Loc,
    pub form: ListForm,
}

impl EnvFile {
    fn read_all(node: &Node, errors: &mut Errors) -> Vec<EnvFile> {
        let list: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        list.into_iter()
            .filter_map(|item| EnvFile::read(item, errors))
            .collect()
    }

    fn read(node: &Node, errors: &mut Errors) -> Option<EnvFile> {
        match &node.value {
            Value::Scalar(_) => Some(EnvFile {
                path: Text::from_node(node)?,
                required: true,
                format: None,
                loc: node.loc,
                form: ListForm::Short,
            }),
            Value::Map(_) => {
                let Some(path) = field(node, "path", errors) else {
                    errors.at(node.loc, "an `env_file` entry needs a `path`");
                    return None;
                };
                Some(EnvFile {
                    path,
                    required: bool_field(node, "required", errors).is_none_or(|(b, _)| b),
                    format: field(node, "format", errors),
                    loc: node.loc,
                    form: ListForm::Long,
                })
            }
            _ => {
                errors.expected(node, "env_file", "a path or a list of paths");
                None
            }
        }
    }
}

/// A `depends_on:` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    pub service: Text,
    /// `service_started` (the default), `service_healthy` or `service_completed_successfully`.
    pub condition: Option<Text>,
    /// `required: false` turns a missing dependency into a warning (Compose 2.20).
    pub required: bool,
    pub restart: Option<bool>,
    pub loc: Loc,
    pub form: ListForm,
}

impl Dependency {
    /// The condition, `service_started` when not written.
    pub fn condition(&self) -> &str {
        self.condition
            .as_ref()
            .map_or("service_started", |c| c.value.as_str())
    }

    fn read_all(node: &Node, errors: &mut Errors) -> Vec<Dependency> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| scalar(i, "depends_on", errors))
                .map(|service| Dependency {
                    loc: service.loc,
                    service,
                    condition: None,
                    required: true,
                    restart: None,
                    form: ListForm::Short,
                })
                .collect(),
            Value::Map(entries) => entries
                .iter()
                .filter_map(|e| {
                    let service = Text::from_node(&e.key)?;
                    let v = &e.value;
                    Some(Dependency {
                        loc: e.key.loc,
                        service,
                        condition: field(v, "condition", errors),
                        required: bool_field(v, "required", errors).is_none_or(|(b, _)| b),
                        restart: bool_field(v, "restart", errors).map(|(b, _)| b),
                        form: ListForm::Long,
                    })
                })
                .collect(),
            _ => {
                errors.expected(node, "depends_on", "a list or a mapping");
                Vec::new()
            }
        }
    }
}

/// `command:`, `entrypoint:` or `healthcheck.test:`.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A string, run by a shell (`CMD-SHELL` for a healthcheck).
    String(Text),
    /// A list of arguments.
    List { loc: Loc, items: Vec<Text> },
}

impl Command {
    pub fn loc(&self) -> Loc {
        match self {
            Command::String(t) => t.loc,
            Command::List { loc, .. } => *loc,
        }
    }

    fn read(node: &Node, field: &str, errors: &mut Errors) -> Option<Command> {
        match &node.value {
            Value::Scalar(_) => Text::from_node(node).map(Command::String),
            Value::Seq(items) => Some(Command::List {
                loc: node.loc,
                items: items
                    .iter()
                    .filter_map(|i| scalar(i, field, errors))
                    .collect(),
            }),
            Value::Null => None,
            Value::Map(_) => {
                errors.expected(node, field, "a string or a list");
                None
            }
        }
    }
}

/// `healthcheck:`.
#[derive(Clone, Debug, PartialEq)]
pub struct Healthcheck {
    pub loc: Loc,
    pub test: Option<Command>,
    pub interval: Option<Text>,
    pub timeout: Option<Text>,
    pub start_period: Option<Text>,
    pub start_interval: Option<Text>,
    pub retries: Option<Text>,
    pub disable: bool,
}

impl Healthcheck {
    fn read(node: &Node, errors: &mut Errors) -> Option<Healthcheck> {
        if node.as_map().is_none() {
            errors.expected(node, "healthcheck", "a mapping");
            return None;
        }
        Some(Healthcheck {
            loc: node.loc,
            test: node
                .get("test")
                .and_then(|t| Command::read(t, "healthcheck.test", errors)),
            interval: field(node, "interval", errors),
            timeout: field(node, "timeout", errors),
            start_period: field(node, "start_period", errors),
            start_interval: field(node, "start_interval", errors),
            retries: field(node, "retries", errors),
            disable: bool_field(node, "disable", errors).is_some_and(|(b, _)| b),
        })
    }
}

/// A network a service joins.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceNetwork {
    pub name: Text,
    pub aliases: Vec<Text>,
    pub ipv4_address: Option<Text>,
    pub ipv6_address: Option<Text>,
    pub loc: Loc,
}

impl ServiceNetwork {
    fn read_all(node: &Node, errors: &mut Errors) -> Vec<ServiceNetwork> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| scalar(i, "networks", errors))
                .map(|name| ServiceNetwork {
                    loc: name.loc,
                    name,
                    aliases: Vec::new(),
                    ipv4_address: None,
                    ipv6_address: None,
                })
                .collect(),
            Value::Map(entries) => entries
                .iter()
                .filter_map(|e| {
                    let name = Text::from_node(&e.key)?;
                    let v = &e.value;
                    Some(ServiceNetwork {
                        loc: e.key.loc,
                        name,
                        aliases: v
                            .get("aliases")
                            .map(|a| strings(a, "aliases", errors))
                            .unwrap_or_default(),
                        ipv4_address: field(v, "ipv4_address", errors),
                        ipv6_address: field(v, "ipv6_address", errors),
                    })
                })
                .collect(),
            _ => {
                errors.expected(node, "networks", "a list or a mapping");
                Vec::new()
            }
        }
    }
}

/// A secret granted to a service.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceSecret {
    pub source: Text,
    pub target: Option<Text>,
    pub loc: Loc,
    pub form: ListForm,
}

impl ServiceSecret {
    fn read_all(node: &Node, errors: &mut Errors) -> Vec<ServiceSecret> {
        items(node, "secrets", errors)
            .filter_map(|item| match &item.value {
                Value::Scalar(_) => Text::from_node(item).map(|source| ServiceSecret {
                    source,
                    target: None,
                    loc: item.loc,
                    form: ListForm::Short,
                }),
                Value::Map(_) => {
                    let source = field(item, "source", errors);
                    if source.is_none() {
                        errors.at(item.loc, "a long-syntax secret needs a `source`");
                    }
                    source.map(|source| ServiceSecret {
                        source,
                        target: field(item, "target", errors),
                        loc: item.loc,
                        form: ListForm::Long,
                    })
                }
                _ => {
                    errors.expected(item, "secrets", "a list of names or mappings");
                    None
                }
            })
            .collect()
    }
}

/// `extends:` as written (the merged project has it resolved already).
#[derive(Clone, Debug, PartialEq)]
pub struct Extends {
    pub service: Text,
    /// Another file; `None` for the same file.
    pub file: Option<Text>,
    pub loc: Loc,
}

impl Extends {
    pub(crate) fn read(node: &Node, errors: &mut Errors) -> Option<Extends> {
        match &node.value {
            Value::Scalar(_) => Text::from_node(node).map(|service| Extends {
                service,
                file: None,
                loc: node.loc,
            }),
            Value::Map(_) => {
                let service = field(node, "service", errors);
                if service.is_none() {
                    errors.at(node.loc, "`extends` needs a `service`");
                }
                service.map(|service| Extends {
                    service,
                    file: field(node, "file", errors),
                    loc: node.loc,
                })
            }
            _ => {
                errors.expected(node, "extends", "a service name or a mapping");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges() {
        assert_eq!(
            PortRange::parse("8069"),
            Some(PortRange {
                start: 8069,
                end: 8069
            })
        );
        assert_eq!(PortRange::parse("8000-8010").map(|r| r.len()), Some(11));
        assert_eq!(PortRange::parse("9-1"), None);
        assert_eq!(PortRange::parse("70000"), None);
        assert_eq!(PortRange::parse(""), None);
    }

    #[test]
    fn short_volume_targets() {
        assert_eq!(
            short_volume_target("/etc/letsencrypt:/etc/letsencrypt:ro"),
            "/etc/letsencrypt"
        );
        assert_eq!(
            short_volume_target("pgdata:/var/lib/postgresql/data"),
            "/var/lib/postgresql/data"
        );
        assert_eq!(short_volume_target("/data"), "/data");
        assert_eq!(short_volume_target("C:\\data:/data"), "/data");
        assert!(is_file_path("./addons") && is_file_path("~/x") && !is_file_path("pgdata"));
    }
}
