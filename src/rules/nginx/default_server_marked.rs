use super::at;
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::nginx::Directive;
use crate::hash::FastHashMap;
use crate::rule::{Context, Rule, RuleMeta};
use std::net::IpAddr;

declare_rule! {
    /// ## What it does
    /// Checks that when two or more `server` blocks of one configuration listen on the same
    /// address and port (`listen 80`, `listen 0.0.0.0:80` and a server with no `listen` are
    /// one socket), one of them says `default_server`. `mail` servers, which have no
    /// default, and unix sockets are left alone, as are servers that all answer with the
    /// same server-level `return` (the usual `return 301 https://$host$request_uri;` on
    /// port 80): whichever is the default, the answer is the same.
    ///
    /// ## Why is this bad?
    /// nginx answers a request whose `Host` matches none of the socket's `server_name`s
    /// (a scanner asking for the bare IP, a stale DNS name) with the socket's default
    /// server, and without `default_server` that is whichever server it read first: with
    /// `include conf.d/*.conf`, the file that sorts first. Adding a vhost named `aaa.conf`
    /// silently hands the unknown-host traffic, and its probes for `/web/database/manager`,
    /// to that site.
    ///
    /// ## Example
    /// ```nginx
    /// server {
    ///     listen 80;
    ///     server_name erp.example.com;
    /// }
    /// server {
    ///     listen 80;
    ///     server_name shop.example.com;
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```nginx
    /// server {
    ///     listen 80 default_server;
    ///     server_name _;
    ///     return 444;
    /// }
    /// ```
    ///
    /// ## Source
    /// nginx "How nginx processes a request" (<https://nginx.org/en/docs/http/request_processing.html>:
    /// "If its value does not match any server name, or the request does not contain this
    /// header field at all, then nginx will route the request to the default server for
    /// this port") and `listen`
    /// (<https://nginx.org/en/docs/http/ngx_http_core_module.html#listen>); gixy-next plugin
    /// `default_server_flag`.
    pub struct DefaultServerMarked {
        code: "NGX027",
        name: "default-server-marked",
        severity: Warning,
        peers: ["gixy-next/default_server_flag"],
    }
}

/// The socket a `listen` names, as one spelling (`*:80`, `127.0.0.1:80`, `[::]:443 quic`),
/// and whether it is marked default; `None` for a unix socket or what does not parse.
fn socket(listen: &Directive) -> Option<(String, bool)> {
    let first = listen.arg(0)?;
    let params: Vec<String> = listen
        .arg_values()
        .skip(1)
        .map(str::to_ascii_lowercase)
        .collect();
    let default = params
        .iter()
        .any(|p| p == "default_server" || p == "default");
    if first.to_ascii_lowercase().starts_with("unix:") {
        return None;
    }
    let (address, port) = if let Some(rest) = first.strip_prefix('[') {
        let (address, port) = rest.split_once(']')?;
        let address = address
            .parse::<IpAddr>()
            .map_or_else(|_| address.to_owned(), |ip| format!("[{ip}]"));
        (address, port.strip_prefix(':').unwrap_or(port).to_owned())
    } else if first.bytes().all(|b| b.is_ascii_digit()) {
        ("*".to_owned(), first.to_owned())
    } else if let Some((address, port)) = first.split_once(':') {
        if port.contains(':') {
            return None;
        }
        (normalize(address), port.to_owned())
    } else {
        (normalize(first), String::new())
    };
    let port = if port.is_empty() {
        "80".to_owned()
    } else {
        port
    };
    let port: u16 = port.parse().ok()?;
    let mut key = format!("{address}:{port}");
    if let Some(datagram) = params.iter().find(|p| *p == "udp" || *p == "quic") {
        key.push(' ');
        key.push_str(datagram);
    }
    Some((key, default))
}

fn normalize(address: &str) -> String {
    if address.is_empty() || address == "*" || address == "0.0.0.0" {
        return "*".to_owned();
    }
    address
        .parse::<IpAddr>()
        .map_or_else(|_| address.to_ascii_lowercase(), |ip| ip.to_string())
}

/// The servers met on one socket.
struct Group<'a> {
    /// The first server's `listen` (its name when it has none): nginx's implicit default.
    first: &'a Directive,
    servers: usize,
    last_server: *const Directive,
    marked: bool,
    /// The server-level `return` every server so far answers with, while they agree: then
    /// which of them is the default makes no difference.
    answer: Option<String>,
}

impl Rule for DefaultServerMarked {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for config in &cx.workspace.nginx {
            let mut groups: FastHashMap<(String, String), Group<'_>> = FastHashMap::default();
            let mut order: Vec<(String, String)> = Vec::new();
            config.walk(|visit| {
                let server = visit.directive;
                if !server.is("server") || !server.has_block() {
                    return;
                }
                let module = visit
                    .context()
                    .filter(|c| ["http", "stream", "mail"].contains(c))
                    .last()
                    .unwrap_or("http")
                    .to_owned();
                if module == "mail" {
                    return;
                }
                let mut sockets: Vec<(String, bool, &Directive)> = config
                    .find(server, "listen")
                    .filter_map(|l| socket(l).map(|(k, d)| (k, d, l)))
                    .collect();
                if config.find(server, "listen").next().is_none() {
                    if module != "http" {
                        return;
                    }
                    sockets.push(("*:80".to_owned(), false, server));
                }
                // A `return` in the server block answers every request the server gets.
                let answer = config
                    .find(server, "return")
                    .next()
                    .map(|r| r.arg_values().collect::<Vec<_>>().join(" "));
                for (key, default, listen) in sockets {
                    let id = (module.clone(), key);
                    let group = groups.entry(id.clone()).or_insert_with(|| {
                        order.push(id);
                        Group {
                            first: listen,
                            servers: 0,
                            last_server: std::ptr::null(),
                            marked: false,
                            answer: answer.clone(),
                        }
                    });
                    if group.answer != answer {
                        group.answer = None;
                    }
                    if group.last_server != std::ptr::from_ref(server) {
                        group.servers += 1;
                        group.last_server = std::ptr::from_ref(server);
                    }
                    group.marked |= default;
                }
            });
            for id in order {
                let Some(group) = groups.get(&id) else {
                    continue;
                };
                if group.servers < 2 || group.marked || group.answer.is_some() {
                    continue;
                }
                let d = group.first;
                let span = if d.is("server") {
                    d.name.span
                } else {
                    d.args_span()
                };
                findings.push(
                    Finding::new(
                        &Self::META,
                        at(config, d, span),
                        format!(
                            "{} servers listen on {} and none is `default_server`: requests for unknown host names go to this one, the first nginx read",
                            group.servers, id.1
                        ),
                    )
                    .help("mark one server `listen … default_server;`, ideally a catch-all (`server_name _; return 444;`)"),
                );
            }
        }
    }
}
