//! How the stack is deployed, as its compose projects say: which service runs which
//! odoo.conf, what a container path is on the host, which ports a service listens on or
//! publishes, and where nginx runs. Rules read these answers; nothing here judges.
//!
//! Sources: the Compose specification `05-services.md` (volumes, ports, expose, networks,
//! network_mode, extra_hosts, container_name) and `07-volumes.md` (a named volume is
//! `<project>_<key>` unless it has a `name` or is `external`); Docker, "Networking in
//! Compose" (<https://docs.docker.com/compose/how-tos/networking/>: services reach each
//! other by service name, alias or container name on a network they share); the official
//! Odoo image (`odoo/docker` 18.0: `ENV ODOO_RC=/etc/odoo/odoo.conf`,
//! `VOLUME ["/var/lib/odoo", "/mnt/extra-addons"]`, the `odoo` user's home `/var/lib/odoo`).

use crate::finding::Location;
use crate::formats::compose::{self, MountKind, Port, PortRange, Project, Service, VolumeMount};
use crate::hash::FastHashMap;
use crate::rule::Context;
use crate::source::Span;
use crate::stack::dockerfile::Copied;
use crate::stack::OdooEnvironment;
use std::path::{Component, Path, PathBuf};

/// Where the official Odoo image reads its configuration (`ENV ODOO_RC`).
pub(crate) const IMAGE_ODOO_RC: &str = "/etc/odoo/odoo.conf";

/// The official Odoo image's data directory: `data_dir` in its shipped odoo.conf, the `odoo`
/// user's home (so Odoo's own default, `~/.local/share/Odoo`, lies below it) and a `VOLUME`.
pub(crate) const IMAGE_DATA_DIR: &str = "/var/lib/odoo";

/// One compose service with the project that defines it.
#[derive(Clone, Copy)]
pub(crate) struct Deployed<'a> {
    pub project: &'a Project,
    pub service: &'a Service,
}

/// Every service of every compose project, in project then file order.
pub(crate) fn services<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = Deployed<'a>> + 'a {
    cx.workspace.compose.iter().flat_map(|project| {
        project
            .model
            .services
            .iter()
            .map(move |service| Deployed { project, service })
    })
}

/// The service with this name: a running one if any project runs it, else the first defined.
pub(crate) fn service<'a>(cx: &'a Context<'_>, name: &str) -> Option<Deployed<'a>> {
    let mut named = services(cx).filter(|d| d.service.name == name);
    let first = named.next()?;
    if first.enabled() {
        return Some(first);
    }
    Some(named.find(|d| d.enabled()).unwrap_or(first))
}

/// Where a compose value is, as a finding location.
pub(crate) fn compose_at(project: &Project, loc: compose::Loc) -> Location {
    let file = project
        .source(loc.file)
        .map_or_else(String::new, |s| s.name.clone());
    Location::new(file, loc.span)
}

/// The `services:` key of a project, where findings about the set of services point.
pub(crate) fn services_key(project: &Project) -> Option<Location> {
    let entry = project.root.as_ref()?.entry("services")?;
    Some(compose_at(project, entry.key.loc))
}

/// Where a bind mount or named volume lives on the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HostSource {
    /// A bind mount of a path inside the linted repo (repo-relative, normalised).
    Repo(String),
    /// A bind mount of a host path outside the repo.
    Host(String),
    /// A named volume, by the name Docker gives it.
    Volume(String),
}

impl HostSource {
    /// How a person names it in a message.
    pub fn describe(&self) -> String {
        match self {
            HostSource::Repo(path) => format!("the repo's `{path}`"),
            HostSource::Host(path) => format!("the host's `{path}`"),
            HostSource::Volume(name) => format!("the volume `{name}`"),
        }
    }
}

/// A container path resolved through a service's mounts.
pub(crate) struct Mapped<'a> {
    pub mount: &'a VolumeMount,
    pub source: HostSource,
    /// The part of the container path below the mount's target (`""` for the target itself).
    pub rest: String,
}

impl Mapped<'_> {
    /// The repo path the container path shows, for a bind mount of a repo folder.
    pub fn repo_path(&self) -> Option<String> {
        match &self.source {
            HostSource::Repo(base) => Some(join_repo(base, &self.rest)),
            _ => None,
        }
    }
}

fn join_repo(base: &str, rest: &str) -> String {
    match (base.is_empty(), rest.is_empty()) {
        (_, true) => base.to_string(),
        (true, false) => rest.to_string(),
        (false, false) => format!("{base}/{rest}"),
    }
}

impl<'a> Deployed<'a> {
    pub fn name(&self) -> &'a str {
        &self.service.name
    }

    pub fn at(&self, loc: compose::Loc) -> Location {
        compose_at(self.project, loc)
    }

    /// The service's mapping in the merged tree, for fields the typed view does not cover.
    pub fn node(&self) -> Option<&'a crate::formats::compose::Node> {
        self.service.node_in(self.project.root.as_ref()?)
    }

    /// The service's key: where findings about the whole service point.
    pub fn key_at(&self) -> Location {
        self.at(self.service.key)
    }

    /// A field's key in the service (`ports`, `volumes`), else the service's key.
    pub fn field_at(&self, field: &str) -> Location {
        match self.node().and_then(|node| node.entry(field)) {
            Some(entry) => self.at(entry.key.loc),
            None => self.key_at(),
        }
    }

    /// Whether the service runs without any profile enabled (`15-profiles.md`).
    pub fn enabled(&self) -> bool {
        self.service.is_enabled(&self.project.active_profiles())
    }

    /// The profiles that would enable it, for messages.
    pub fn profiles(&self) -> Vec<&'a str> {
        self.service
            .profiles
            .iter()
            .map(|p| p.value.as_str())
            .collect()
    }

    /// The networks the service joins; `None` when `network_mode` puts it elsewhere (the
    /// host's stack, or another container's).
    pub fn networks(&self) -> Option<Vec<&'a str>> {
        if self.service.network_mode.is_some() {
            return None;
        }
        if self.service.networks.is_empty() {
            return Some(vec!["default"]);
        }
        Some(
            self.service
                .networks
                .iter()
                .map(|n| n.name.value.as_str())
                .collect(),
        )
    }

    /// Whether the service shares the host's network stack (`network_mode: host`).
    pub fn on_host_network(&self) -> bool {
        self.service
            .network_mode
            .as_ref()
            .is_some_and(|m| m.value == "host")
    }

    /// The names other containers of the project resolve to this service: its name, its
    /// `container_name` and its network aliases.
    pub fn dns_names(&self) -> Vec<&'a str> {
        let mut names = vec![self.service.name.as_str()];
        if let Some(container) = &self.service.container_name {
            names.push(&container.value);
        }
        for network in &self.service.networks {
            names.extend(network.aliases.iter().map(|a| a.value.as_str()));
        }
        names
    }

    /// Host names the service's own `/etc/hosts` adds (`extra_hosts`, `links` aliases).
    pub fn extra_host_names(&self) -> Vec<&'a str> {
        let mut names = Vec::new();
        let Some(node) = self.node() else {
            return names;
        };
        if let Some(hosts) = node.get("extra_hosts") {
            match (hosts.as_seq(), hosts.as_map()) {
                (Some(items), _) => names.extend(items.iter().filter_map(|i| {
                    let text = i.as_str()?;
                    let end = text.find(['=', ':']).unwrap_or(text.len());
                    Some(text[..end].trim())
                })),
                (_, Some(entries)) => names.extend(entries.iter().map(|e| e.name())),
                _ => {}
            }
        }
        if let Some(links) = node.get("links").and_then(|l| l.as_seq()) {
            for link in links.iter().filter_map(|l| l.as_str()) {
                let (service, alias) = link.split_once(':').unwrap_or((link, link));
                names.push(service.trim());
                names.push(alias.trim());
            }
        }
        names
    }

    /// The directory the service's relative paths in `file` resolve against, repo-relative:
    /// the project directory for the project's own files, an extended or included file's
    /// own directory otherwise (compose-go `loader/paths.go`).
    fn base_dir(&self, file: compose::FileId) -> String {
        let own = self.project.file(file);
        let from = match own {
            Some(f) if f.role == compose::FileRole::Compose => self
                .project
                .compose_files()
                .next()
                .map(|(_, first)| &first.source),
            Some(f) => Some(&f.source),
            None => None,
        };
        from.map(|s| parent_of(&s.name)).unwrap_or_default()
    }

    /// Where a mount's source is on the host.
    pub fn host_source(&self, cx: &Context<'_>, mount: &VolumeMount) -> Option<HostSource> {
        let source = mount.source.as_ref()?;
        if source.unresolved {
            return None;
        }
        match mount.kind {
            MountKind::Bind => Some(bind_source(
                &cx.workspace.root,
                &self.base_dir(mount.loc.file),
                &source.value,
            )),
            MountKind::Volume => Some(HostSource::Volume(volume_name(self.project, &source.value))),
            _ => None,
        }
    }

    /// The mount a container path lies in (the deepest one, as the kernel resolves nested
    /// mounts), with where it is on the host.
    pub fn resolve(&self, cx: &Context<'_>, container_path: &str) -> Option<Mapped<'a>> {
        let normalized = normalize(Path::new(container_path));
        let normalized = normalized.to_string_lossy();
        let path = normalized.trim_end_matches('/');
        let mut best: Option<(&'a VolumeMount, &str)> = None;
        for mount in &self.service.volumes {
            let Some(target) = mount.target.as_ref().filter(|t| !t.unresolved) else {
                continue;
            };
            let target = target.value.trim_end_matches('/');
            let rest = if target.is_empty() {
                Some(path.trim_start_matches('/'))
            } else if path == target {
                Some("")
            } else {
                path.strip_prefix(target).and_then(|r| r.strip_prefix('/'))
            };
            let Some(rest) = rest else { continue };
            // A later mount of the same target replaces an earlier one.
            let deeper = best.is_none_or(|(b, _)| {
                let b = b.target.as_ref().map_or(0, |t| t.value.len());
                target.len() >= b
            });
            if deeper {
                best = Some((mount, rest));
            }
        }
        let (mount, rest) = best?;
        Some(Mapped {
            mount,
            source: self.host_source(cx, mount)?,
            rest: rest.to_string(),
        })
    }

    /// The literal value of an `environment` entry.
    pub fn env_value(&self, key: &str) -> Option<&'a str> {
        let value = self.service.env(key)?.value.as_ref()?;
        (!value.unresolved && !value.value.is_empty()).then_some(value.value.as_str())
    }

    /// The arguments of `command`, split the way a shell would split simple words. A
    /// command that runs a shell script (`sh -c "…"`, `["bash", "-c", "…"]`) gives the
    /// script's words, quotes trimmed: the shell's own `-c` is not Odoo's.
    pub fn command_words(&self) -> Vec<&'a str> {
        let mut words: Vec<&'a str> = match &self.service.command {
            Some(compose::Command::String(text)) => text.value.split_whitespace().collect(),
            Some(compose::Command::List { items, .. }) => items
                .iter()
                .flat_map(|t| t.value.split_whitespace())
                .collect(),
            None => Vec::new(),
        };
        let shell = words.first().is_some_and(|first| {
            matches!(
                first.rsplit('/').next().unwrap_or(first),
                "sh" | "bash" | "dash" | "ash" | "zsh"
            )
        });
        if shell
            && words
                .get(1)
                .is_some_and(|w| *w == "-c" || *w == "-ec" || *w == "-exc")
        {
            words.drain(..2);
            for word in &mut words {
                *word = word.trim_matches(['"', '\'', ';']);
            }
            words.retain(|w| !w.is_empty());
        }
        words
    }

    /// The value of an Odoo command-line option in `command` (`-c X`, `--config X`,
    /// `--config=X`).
    pub fn command_option(&self, short: Option<&str>, long: &str) -> Option<&'a str> {
        let words = self.command_words();
        let mut found = None;
        for (i, word) in words.iter().enumerate() {
            let next = || words.get(i + 1).copied();
            if Some(*word) == short || *word == long {
                found = next().or(found);
            } else if let Some(value) = word
                .strip_prefix(long)
                .and_then(|rest| rest.strip_prefix('='))
            {
                found = Some(value);
            }
        }
        found
    }

    /// Where Odoo in this container reads its configuration: `-c`/`--config` in `command`,
    /// else `ODOO_RC`, else the image's `/etc/odoo/odoo.conf`.
    pub fn odoo_rc(&self) -> &'a str {
        self.command_option(Some("-c"), "--config")
            .or_else(|| self.env_value("ODOO_RC"))
            .unwrap_or(IMAGE_ODOO_RC)
    }

    /// The odoo.conf this service mounts where Odoo reads it.
    pub fn mounted_conf(&self, cx: &Context<'_>) -> Option<Mapped<'a>> {
        let mapped = self.resolve(cx, self.odoo_rc())?;
        matches!(mapped.mount.kind, MountKind::Bind).then_some(mapped)
    }

    /// The repo's odoo.conf this service runs: the one it bind-mounts where Odoo reads its
    /// configuration, else, with no mount there, the one its image copies there (read once
    /// a run, see [`ConfUse`]).
    pub fn conf_in_repo(&self, cx: &Context<'_>) -> Option<String> {
        conf_use(cx).conf_of(self).map(str::to_string)
    }

    fn find_conf(&self, cx: &Context<'_>, image: Option<&BuiltImage>) -> Option<String> {
        match self.resolve(cx, self.odoo_rc()) {
            Some(mapped) if matches!(mapped.mount.kind, MountKind::Bind) => mapped.repo_path(),
            Some(_) => None,
            None => image?.baked(cx, self.odoo_rc()).map(|(path, _)| path),
        }
    }

    /// The repo path this service's image holds at a container path, copied in by the
    /// Dockerfile it is built from, with the copy; none for a pulled image.
    pub fn baked<'c>(&self, cx: &'c Context<'_>, container: &str) -> Option<(String, &'c Copied)> {
        conf_use(cx).image(self)?.baked(cx, container)
    }

    /// The Odoo series this service runs: its image tag, or its Dockerfile's base (read
    /// once a run).
    pub fn series(&self, cx: &Context<'_>) -> Option<String> {
        let image = conf_use(cx).image(self);
        crate::stack::infer::series_with(self.service, image.map(|i| &i.dockerfile))
    }

    /// The Odoo environment this service runs, per the stack facts.
    pub fn environment<'s>(&self, cx: &'s Context<'_>) -> Option<&'s OdooEnvironment> {
        cx.stack
            .odoo
            .environments
            .iter()
            .find(|e| e.service.as_deref() == Some(self.name()))
    }
}

/// What an image built from the repo holds: its Dockerfile and the repo files its final
/// stage copies in.
pub(crate) struct BuiltImage {
    pub dockerfile: crate::stack::dockerfile::Dockerfile,
    copies: Vec<Copied>,
}

impl BuiltImage {
    fn of(cx: &Context<'_>, project: &Project, service: &Service) -> Option<BuiltImage> {
        service.build.as_ref()?;
        let dockerfile = crate::stack::dockerfile::of_service(cx.workspace, project, service)?;
        let copies = dockerfile.copies();
        Some(BuiltImage { dockerfile, copies })
    }

    fn baked(&self, cx: &Context<'_>, container: &str) -> Option<(String, &Copied)> {
        let root = &cx.workspace.root;
        crate::stack::dockerfile::baked(&self.copies, container, |p| root.join(p).exists())
    }
}

/// A service by address: every project owns its services, so the address names one.
fn service_key(service: &Service) -> usize {
    std::ptr::from_ref(service) as usize
}

/// How the compose services use the repo's odoo.conf files, indexed once a run.
#[derive(Default)]
pub(crate) struct ConfUse<'a> {
    /// Service → the image it is built from the repo, read once.
    images: FastHashMap<usize, BuiltImage>,
    /// Service → the repo odoo.conf it runs (mounted or copied in).
    confs: FastHashMap<usize, String>,
    /// Repo path → the services that mount it where Odoo reads its configuration.
    readers: FastHashMap<String, Vec<Deployed<'a>>>,
    /// Repo path → a service that mounts it as a template (`…/odoo.conf.template`), which
    /// something in the container renders into the real configuration at start.
    templates: FastHashMap<String, Deployed<'a>>,
    /// Host port → the Odoo services of deployed compose files that publish it.
    odoo_by_port: FastHashMap<u16, Vec<Deployed<'a>>>,
    /// Service name, alias or container name → the Odoo services of deployed compose files
    /// reachable by it.
    odoo_by_name: FastHashMap<&'a str, Vec<Deployed<'a>>>,
    /// Repo path a proxy service bind-mounts → the compose projects of those proxies.
    proxy_projects: FastHashMap<String, Vec<&'a Project>>,
}

impl<'a> ConfUse<'a> {
    fn build(cx: &Context<'a>) -> ConfUse<'a> {
        let mut uses = ConfUse::default();
        let projects = &cx.workspace.compose;
        for project in projects {
            for service in &project.model.services {
                let deployed = Deployed { project, service };
                let image = BuiltImage::of(cx, project, service);
                if let Some(path) = deployed.find_conf(cx, image.as_ref()) {
                    uses.confs.insert(service_key(service), path.clone());
                    uses.readers.entry(path).or_default().push(deployed);
                }
                if let Some(image) = image {
                    uses.images.insert(service_key(service), image);
                }
                if crate::workspace::scope::is_proxy_service(service) {
                    for mount in &service.volumes {
                        if let Some(HostSource::Repo(path)) = deployed.host_source(cx, mount) {
                            let projects = uses.proxy_projects.entry(path).or_default();
                            if !projects.iter().any(|p| std::ptr::eq(*p, project)) {
                                projects.push(project);
                            }
                        }
                    }
                }
                if crate::workspace::scope::is_odoo_service(service)
                    && deployed.enabled()
                    && project_is_deployed(cx, project)
                {
                    uses.index_odoo(deployed);
                }
                for mount in &service.volumes {
                    let Some(target) = mount.target.as_ref().filter(|t| !t.unresolved) else {
                        continue;
                    };
                    let file = target.value.rsplit('/').next().unwrap_or("");
                    if !is_template_name(file) {
                        continue;
                    }
                    if let Some(HostSource::Repo(path)) = deployed.host_source(cx, mount) {
                        uses.templates.entry(path).or_insert(deployed);
                    }
                }
            }
        }
        uses
    }

    fn index_odoo(&mut self, deployed: Deployed<'a>) {
        for port in &deployed.service.ports {
            let Some(published) = port.published_range().filter(|_| port.protocol() == "tcp")
            else {
                continue;
            };
            // A wide range is a pool, not a route to one service.
            if published.len() > 16 {
                continue;
            }
            for host_port in published.start..=published.end {
                self.odoo_by_port
                    .entry(host_port)
                    .or_default()
                    .push(deployed);
            }
        }
        for name in deployed.dns_names() {
            self.odoo_by_name.entry(name).or_default().push(deployed);
        }
    }

    /// The Odoo services of deployed compose files that a proxy reaches at `host:port`:
    /// through a port published on the host for a loopback host, by service name, alias
    /// or container name otherwise.
    pub fn odoo_at(&self, host: &str, port: Option<u16>) -> &[Deployed<'a>] {
        let found = if is_loopback(host) {
            port.and_then(|p| self.odoo_by_port.get(&p))
        } else {
            self.odoo_by_name.get(host)
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// The Odoo services a proxy reaches at `host:port` from an nginx file: by service name,
    /// only those of the compose projects whose proxy mounts the file (their network), when
    /// it is mounted and one of them answers; else as [`ConfUse::odoo_at`].
    pub fn odoo_from(&self, file: &str, host: &str, port: Option<u16>) -> &[Deployed<'a>] {
        let all = self.odoo_at(host, port);
        if is_loopback(host) || all.len() < 2 {
            return all;
        }
        let Some(projects) = self.proxy_projects_of(file) else {
            return all;
        };
        let first = all
            .iter()
            .position(|d| projects.iter().any(|p| std::ptr::eq(*p, d.project)));
        match first {
            // The services of one project are indexed together, in a row.
            Some(start) => {
                let len = all[start..]
                    .iter()
                    .take_while(|d| projects.iter().any(|p| std::ptr::eq(*p, d.project)))
                    .count();
                &all[start..start + len]
            }
            None => all,
        }
    }

    /// The projects whose proxies mount a repo file, itself or a folder above it.
    fn proxy_projects_of(&self, file: &str) -> Option<&[&'a Project]> {
        let mut path = file;
        loop {
            if let Some(projects) = self.proxy_projects.get(path) {
                return Some(projects);
            }
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent,
                None => return self.proxy_projects.get("").map(Vec::as_slice),
            }
        }
    }

    /// The repo odoo.conf a service runs, mounted or copied into its image.
    pub fn conf_of(&self, deployed: &Deployed<'_>) -> Option<&str> {
        self.confs
            .get(&service_key(deployed.service))
            .map(String::as_str)
    }

    /// The image a service is built from the repo, if any.
    pub fn image(&self, deployed: &Deployed<'_>) -> Option<&BuiltImage> {
        self.images.get(&service_key(deployed.service))
    }

    /// The services that run this odoo.conf (mounted where Odoo reads it).
    pub fn readers(&self, conf: &str) -> &[Deployed<'a>] {
        self.readers.get(conf).map_or(&[], Vec::as_slice)
    }

    /// The service that mounts this file as a template rendered at start, if any.
    pub fn template_of(&self, conf: &str) -> Option<&Deployed<'a>> {
        self.templates.get(conf)
    }
}

/// Whether a compose project's files are deployed (production or staging), as the scope
/// classifies its first compose file.
fn project_is_deployed(cx: &Context<'_>, project: &Project) -> bool {
    project
        .compose_files()
        .next()
        .is_none_or(|(_, file)| cx.environment_of(&file.source.name).is_deployed())
}

/// Whether a container file name marks a template (`odoo.conf.template`, `odoo.conf.tmpl`,
/// `odoo.conf.tpl`, `odoo.conf.in`, `odoo.template.conf`).
fn is_template_name(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower
        .split('.')
        .any(|word| matches!(word, "template" | "tmpl" | "tpl" | "j2" | "envsubst"))
        || lower.ends_with(".in")
}

/// How the compose services use the repo's odoo.conf files (built on first use).
pub(crate) fn conf_use<'c, 'a>(cx: &'c Context<'a>) -> &'c ConfUse<'a> {
    cx.shared.conf_use.get_or_init(|| ConfUse::build(cx))
}

/// The repo paths (files and folders) that compose proxy services bind-mount.
pub(crate) struct ProxyMounted(crate::hash::FastHashSet<String>);

impl ProxyMounted {
    /// Whether a repo file is mounted into a proxy container, itself or a folder above it.
    pub fn covers(&self, file: &str) -> bool {
        let mut path = file;
        loop {
            if self.0.contains(path) {
                return true;
            }
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent,
                None => return self.0.contains(""),
            }
        }
    }
}

/// Every repo path a proxy service of any compose project bind-mounts.
pub(crate) fn proxy_mounted(cx: &Context<'_>) -> ProxyMounted {
    let mut paths = crate::hash::FastHashSet::default();
    for deployed in services(cx) {
        if !crate::workspace::scope::is_proxy_service(deployed.service) {
            continue;
        }
        for mount in &deployed.service.volumes {
            if let Some(HostSource::Repo(path)) = deployed.host_source(cx, mount) {
                paths.insert(path);
            }
        }
    }
    ProxyMounted(paths)
}

/// Whether something in the repo puts a reverse proxy in front of Odoo: the facts name
/// sites (stack.yaml, or the repo's own vhosts), a deployed nginx server proxies to Odoo,
/// or a deployed compose project runs a proxy service or routes by Traefik labels. A repo
/// that shows none (Odoo published directly, or a proxy kept elsewhere) says nothing
/// either way.
pub(crate) fn behind_proxy(cx: &Context<'_>) -> bool {
    if !cx.stack.sites.is_empty() {
        return true;
    }
    let nginx = crate::rules::nginx::servers(cx).iter().any(|server| {
        cx.environment_of(&server.config.root().source.name)
            .is_deployed()
            && server.reaches_odoo(cx)
    });
    nginx
        || cx.workspace.compose.iter().any(|project| {
            // A proxy behind a profile (`profiles: [proxy]`) starts only when asked for.
            let active = project.active_profiles();
            project_is_deployed(cx, project)
                && project
                    .model
                    .enabled_services(&active)
                    .into_iter()
                    .any(|service| {
                        crate::workspace::scope::is_proxy_service(service)
                            || service
                                .labels
                                .iter()
                                .any(|l| l.key.value.starts_with("traefik.http."))
                    })
        })
}

/// Whether a service runs the official image's entrypoint, which re-reads `db_host`,
/// `db_port`, `db_user` and `db_password` from odoo.conf and passes them as `--db_*`
/// arguments: the image is `odoo` (Docker Hub's library image) and the command is empty,
/// `odoo`, `--`, or starts with an option (odoo/docker `entrypoint.sh`, the `case "$1"`).
pub(crate) fn runs_official_entrypoint(deployed: &Deployed<'_>) -> bool {
    let Some(image) = deployed.service.image.as_ref() else {
        return false;
    };
    if hub_repository(&image.name.value) != "odoo" || deployed.service.entrypoint.is_some() {
        return false;
    }
    match deployed.command_words().first() {
        None => true,
        Some(first) => *first == "odoo" || first.starts_with('-'),
    }
}

/// The repo-relative directory of a repo-relative file name.
fn parent_of(name: &str) -> String {
    name.rsplit_once('/')
        .map_or_else(String::new, |(dir, _)| dir.to_string())
}

/// Removes `.` and resolves `..` lexically; a leading `..` stays.
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Where a bind mount's source is: relative paths against the compose file's directory.
fn bind_source(root: &Path, base_dir: &str, source: &str) -> HostSource {
    if source.starts_with('~') {
        return HostSource::Host(source.to_string());
    }
    let root = normalize(&std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()));
    let absolute = normalize(&root.join(base_dir).join(source));
    match absolute.strip_prefix(&root) {
        Ok(inside) if !inside.starts_with("..") => HostSource::Repo(
            inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        ),
        _ => HostSource::Host(absolute.to_string_lossy().into_owned()),
    }
}

/// The name Docker gives a project's named volume: its `name`, an external volume's own
/// name, else `<project>_<key>`.
fn volume_name(project: &Project, key: &str) -> String {
    let resource = project.model.volumes.iter().find(|v| v.name.value == key);
    if let Some(resource) = resource {
        let named = project
            .root
            .as_ref()
            .and_then(|root| resource.node_in(root))
            .and_then(|node| node.get("name"))
            .and_then(|n| n.as_str())
            .filter(|n| !n.is_empty());
        if let Some(name) = named {
            return name.to_string();
        }
        if resource.external {
            return key.to_string();
        }
    }
    format!("{}_{key}", project_name(project))
}

/// The project name: top-level `name`, else the project directory's name, lower-cased
/// with the characters Compose does not allow removed.
fn project_name(project: &Project) -> String {
    let raw = match &project.model.name {
        Some(name) if !name.unresolved => name.value.clone(),
        _ => project
            .compose_files()
            .next()
            .and_then(|(_, f)| {
                f.source
                    .path
                    .parent()
                    .and_then(|d| d.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_default(),
    };
    raw.to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Whether a repo-relative path names an odoo.conf the workspace parsed.
fn is_workspace_conf(cx: &Context<'_>, name: &str) -> bool {
    cx.workspace
        .odoo_confs
        .iter()
        .any(|c| cx.workspace.file(c.file).source.name == name)
}

/// The odoo.conf an environment runs, repo-relative: the repo file its compose service
/// mounts where Odoo reads its configuration, else the stack's `config`.
pub(crate) fn environment_conf(cx: &Context<'_>, env: &OdooEnvironment) -> Option<String> {
    let mounted = env
        .service
        .as_deref()
        .and_then(|name| service(cx, name))
        .and_then(|d| d.conf_in_repo(cx))
        .filter(|path| is_workspace_conf(cx, path));
    mounted.or_else(|| env.config.clone())
}

/// The environment that runs a repo odoo.conf: the first (in the facts' order) whose
/// service mounts it, else the one whose `config` names it.
pub(crate) fn environment_of_conf<'s>(
    cx: &'s Context<'_>,
    name: &str,
) -> Option<&'s OdooEnvironment> {
    cx.stack
        .odoo
        .environments
        .iter()
        .find(|e| environment_conf(cx, e).as_deref() == Some(name))
        .or_else(|| cx.stack.odoo_environment_for_config(name))
}

/// Where nginx runs, for deciding how its upstreams can be reached.
pub(crate) enum NginxRuns<'a> {
    /// A compose service on the project's networks: upstreams name services.
    InCompose(Deployed<'a>),
    /// On the host (or a compose service with `network_mode: host`): upstreams reach
    /// containers through ports published on the host.
    OnHost,
    /// The facts name an nginx service the repo's compose files do not define, or the repo
    /// has no compose file: nothing to judge.
    Unknown,
}

/// Where nginx runs: `nginx.service` of the stack facts, looked up in the compose projects.
pub(crate) fn nginx_runs<'a>(cx: &'a Context<'_>) -> NginxRuns<'a> {
    if services(cx).next().is_none() {
        return NginxRuns::Unknown;
    }
    match cx.stack.nginx.service.as_deref() {
        None => NginxRuns::OnHost,
        Some(name) => match service(cx, name) {
            Some(d) if d.on_host_network() => NginxRuns::OnHost,
            Some(d) => NginxRuns::InCompose(d),
            None => NginxRuns::Unknown,
        },
    }
}

/// The repo files and folders the nginx service mounts, when nginx runs in compose and
/// mounts any: the configurations it loads are among them. `None` when every nginx file of
/// the repo may be loaded (nginx on the host, or an image that copies its configuration).
pub(crate) fn nginx_repo_mounts(cx: &Context<'_>) -> Option<Vec<String>> {
    let NginxRuns::InCompose(nginx) = nginx_runs(cx) else {
        return None;
    };
    let mounted: Vec<String> = nginx
        .service
        .volumes
        .iter()
        .filter_map(|m| match nginx.host_source(cx, m)? {
            HostSource::Repo(path) => Some(path),
            _ => None,
        })
        .collect();
    (!mounted.is_empty()).then_some(mounted)
}

/// Whether a repo file is a mounted path or lies below one.
pub(crate) fn is_under(file: &str, mounts: &[String]) -> bool {
    mounts.iter().any(|m| {
        m.is_empty()
            || file == m
            || file
                .strip_prefix(m.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Whether a host name means this machine.
pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.eq_ignore_ascii_case("ip6-localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a published port is reachable as `127.0.0.1:PORT` on the host: bound to
/// loopback, or to every interface.
pub(crate) fn reachable_on_loopback(port: &Port) -> bool {
    match &port.host_ip {
        None => true,
        Some(ip) => {
            let ip = ip.value.as_str();
            is_loopback(ip) || ip == "0.0.0.0" || ip == "::"
        }
    }
}

/// A service publishing a host port, and the container port it forwards to.
pub(crate) struct Publisher<'a> {
    pub deployed: Deployed<'a>,
    pub port: &'a Port,
    pub container_port: Option<u16>,
}

/// The running services that publish TCP `host_port` on the host, any address.
pub(crate) fn publishers<'a>(cx: &'a Context<'_>, host_port: u16) -> Vec<Publisher<'a>> {
    let mut found = Vec::new();
    for deployed in services(cx).filter(|d| d.enabled()) {
        for port in &deployed.service.ports {
            if port.protocol() != "tcp" {
                continue;
            }
            let Some(published) = port.published_range() else {
                continue;
            };
            if !published.contains(host_port) {
                continue;
            }
            let container_port = port.target_range().and_then(|t| {
                if t.len() == published.len() {
                    t.start.checked_add(host_port - published.start)
                } else {
                    Some(t.start)
                }
            });
            found.push(Publisher {
                deployed,
                port,
                container_port,
            });
        }
    }
    found
}

/// The ports a service listens on inside its container, and how that is known.
pub(crate) struct Listening {
    pub ports: Vec<PortRange>,
    /// Where the ports come from, for messages: "odoo.conf http_port", "expose", ….
    pub sources: Vec<String>,
}

impl Listening {
    pub fn contains(&self, port: u16) -> bool {
        self.ports.iter().any(|r| r.contains(port))
    }

    /// The ports, for messages: `8069, 8072`.
    pub fn list(&self) -> String {
        let mut ports: Vec<String> = self
            .ports
            .iter()
            .map(|r| {
                if r.start == r.end {
                    r.start.to_string()
                } else {
                    format!("{}-{}", r.start, r.end)
                }
            })
            .collect();
        ports.dedup();
        ports.join(", ")
    }
}

fn single(port: u16) -> PortRange {
    PortRange {
        start: port,
        end: port,
    }
}

/// The ports a service listens on: its `expose`, the container side of its `ports`, and
/// what its server opens: an Odoo environment's `http_port` (and `gevent_port` when it
/// runs multi-process) from its odoo.conf or the facts, else the image's ports from the
/// policy pack (`images.ports`). `None` when none of these is known. Without
/// `with_published`, the container side of `ports` is left out: to judge a published
/// port's own target.
pub(crate) fn listening(
    cx: &Context<'_>,
    deployed: &Deployed<'_>,
    with_published: bool,
) -> Option<Listening> {
    let mut listening = Listening {
        ports: Vec::new(),
        sources: Vec::new(),
    };
    let service = deployed.service;
    let exposed: Vec<PortRange> = service.expose.iter().filter_map(|e| e.range()).collect();
    if !exposed.is_empty() {
        listening.ports.extend(exposed);
        listening.sources.push("`expose`".into());
    }
    let targets: Vec<PortRange> = service
        .ports
        .iter()
        .filter(|_| with_published)
        .filter_map(|p| p.target_range())
        .collect();
    if !targets.is_empty() {
        listening.ports.extend(targets);
        listening
            .sources
            .push("the container side of `ports`".into());
    }
    let env = deployed.environment(cx);
    let conf_name = deployed
        .conf_in_repo(cx)
        .or_else(|| env.and_then(|e| environment_conf(cx, e)));
    let conf =
        conf_name.and_then(|name| crate::rules::odoo::confs(cx).find(|c| c.source.name == name));
    if let Some(conf) = conf {
        if let Some(http) = conf.int("http_port").and_then(|p| u16::try_from(p).ok()) {
            listening.ports.push(single(http));
        }
        let prefork = conf.int("workers").is_some_and(|w| w > 0);
        if prefork {
            if let Some(gevent) = conf.int("gevent_port").and_then(|p| u16::try_from(p).ok()) {
                listening.ports.push(single(gevent));
            }
        }
        listening.sources.push(format!(
            "{}'s http_port{}",
            conf.source.name,
            if prefork { " and gevent_port" } else { "" }
        ));
    } else if let Some(env) = env {
        listening.ports.push(single(env.http_port));
        listening.ports.push(single(env.gevent_port));
        listening
            .sources
            .push(format!("the {} environment's facts", env.name.as_str()));
    } else if let Some(ports) = image_ports(cx, service) {
        listening.ports.extend(ports.iter().copied().map(single));
        listening.sources.push(format!(
            "the `{}` image",
            service.image.as_ref().map_or("", |i| i.name.value.as_str())
        ));
    }
    (!listening.ports.is_empty()).then_some(listening)
}

/// An image's repository as Docker Hub names it, lower-cased: `docker.io/`,
/// `index.docker.io/` and `library/` dropped (`docker.io/library/odoo` is `odoo`).
pub(crate) fn hub_repository(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    let name = name
        .strip_prefix("docker.io/")
        .or_else(|| name.strip_prefix("index.docker.io/"))
        .unwrap_or(&name);
    name.strip_prefix("library/").unwrap_or(name).to_string()
}

/// The ports the policy pack knows a service's image to listen on: by the image's
/// repository (`odoo`, `library/odoo`, `docker.io/library/odoo`), else its last path
/// segment (`ghcr.io/acme/odoo`).
fn image_ports<'p>(cx: &'p Context<'_>, service: &Service) -> Option<&'p [u16]> {
    let image = service.image.as_ref()?;
    if image.name.unresolved {
        return None;
    }
    let name = hub_repository(&image.name.value);
    let name = name.as_str();
    let table = &cx.policy.images.ports;
    table
        .get(name)
        .or_else(|| table.get(name.rsplit('/').next().unwrap_or(name)))
        .map(Vec::as_slice)
}

/// Where a text first appears in the repo's stack.yaml, to point at a fact.
pub(crate) fn stack_fact_at(cx: &Context<'_>, text: &str) -> Option<Location> {
    let source = cx.workspace.source("stack.yaml")?;
    let start = source.text.find(text)?;
    Some(Location::new(
        source.name.clone(),
        Span::new(start, start + text.len()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_sources_resolve_against_the_compose_directory() {
        let root = Path::new("/repo");
        assert_eq!(
            bind_source(root, "deploy", "../config/odoo.conf"),
            HostSource::Repo("config/odoo.conf".into())
        );
        assert_eq!(
            bind_source(root, "deploy", "./nginx"),
            HostSource::Repo("deploy/nginx".into())
        );
        assert_eq!(bind_source(root, "", "."), HostSource::Repo(String::new()));
        assert_eq!(
            bind_source(root, "deploy", "../../etc/odoo"),
            HostSource::Host("/etc/odoo".into())
        );
        assert_eq!(
            bind_source(root, "deploy", "/etc/letsencrypt"),
            HostSource::Host("/etc/letsencrypt".into())
        );
        assert_eq!(
            bind_source(root, "deploy", "/repo/addons"),
            HostSource::Repo("addons".into())
        );
        assert_eq!(
            bind_source(Path::new("."), "deploy", "../addons"),
            HostSource::Repo("addons".into())
        );
    }

    #[test]
    fn loopback_names() {
        assert!(is_loopback("127.0.0.1") && is_loopback("localhost") && is_loopback("[::1]"));
        assert!(is_loopback("127.0.1.1"));
        assert!(!is_loopback("odoo-prod") && !is_loopback("10.0.0.2"));
    }
}
