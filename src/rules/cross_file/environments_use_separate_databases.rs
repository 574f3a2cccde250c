use crate::declare_rule;
use crate::finding::{Finding, Location};
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, is_loopback, Deployed};
use crate::rules::odoo::{conf_of, Conf};
use crate::stack::{Environment, OdooEnvironment};

declare_rule! {
    /// ## What it does
    /// Checks that production and every other Odoo environment (staging, development)
    /// cannot open the same database. Each environment's database server is its odoo.conf
    /// `db_host`/`db_port`, else the service's `HOST`/`PGHOST` and `PORT`/`PGPORT`
    /// (what the official image's entrypoint passes), else the stack facts. On a shared
    /// server, the databases an environment opens are its `db_name` list (odoo.conf or
    /// `-d` in `command`), else its `dbfilter` (with `%h` and `%d` filled in from the
    /// environment's sites), else the facts' database `name`; with none of these it opens
    /// every database on the server. Regular expressions that are not plain names are
    /// compared only as written. Production opening every database is ODOO017's finding.
    ///
    /// ## Why is this bad?
    /// A staging Odoo that can open the production database runs staging code, test
    /// crons and mail settings on live data: duplicate invoices and e-mails to real
    /// customers, or a module upgrade that production was not ready for. The snapshot asks
    /// for "a separate staging database (sanitized copy)".
    ///
    /// ## Example
    /// `odoo-prod` and `odoo-staging` both mount `config/odoo.conf`, which sets `db_host`
    /// and neither `db_name` nor `dbfilter`.
    ///
    /// ## Fix
    /// Give staging its own odoo.conf with `db_name = erp_staging` and
    /// `dbfilter = ^erp_staging$` (or its own database server), mounted only by
    /// `odoo-staging`; give production `db_name`/`dbfilter` for its own database.
    ///
    /// ## Source
    /// Odoo documentation, "Deploying Odoo", dbfilter and database listing
    /// (<https://www.odoo.com/documentation/18.0/administration/on_premise/deploy.html#dbfilter>);
    /// Odoo `--database` and `--db-filter`
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#database>);
    /// the official image's `entrypoint.sh` (<https://github.com/odoo/docker/blob/master/18.0/entrypoint.sh>).
    pub struct EnvironmentsUseSeparateDatabases {
        code: "STK009",
        name: "environments-use-separate-databases",
        severity: Error,
    }
}

/// A `dbfilter`, read.
#[derive(Clone, Debug, PartialEq)]
enum Filter {
    /// `^erp$`: exactly this name.
    Exact(String),
    /// `^erp`: Odoo's `re.match` anchors only the start.
    Prefix(String),
    /// Anything else, as written after `%h`/`%d` were filled in.
    Pattern(String),
}

impl Filter {
    /// Whether the filter surely matches `name` (`None`: cannot tell).
    fn matches(&self, name: &str) -> Option<bool> {
        match self {
            Filter::Exact(x) => Some(x == name),
            Filter::Prefix(x) => Some(name.starts_with(x.as_str())),
            Filter::Pattern(_) => None,
        }
    }

    fn overlaps(&self, other: &Filter) -> bool {
        match (self, other) {
            (Filter::Exact(a), Filter::Exact(b)) => a == b,
            (Filter::Exact(a), Filter::Prefix(b)) | (Filter::Prefix(b), Filter::Exact(a)) => {
                a.starts_with(b.as_str())
            }
            (Filter::Prefix(a), Filter::Prefix(b)) => {
                a.starts_with(b.as_str()) || b.starts_with(a.as_str())
            }
            (Filter::Pattern(a), Filter::Pattern(b)) => a == b,
            _ => false,
        }
    }
}

/// Reads a `dbfilter` as Odoo applies it for one host: `%h` is the host without `www.`,
/// `%d` its first label, both inserted as literal text (Odoo `re.escape`s them).
fn read_filter(raw: &str, host: Option<&str>) -> Filter {
    let host = host.map(|h| {
        let h = h.to_ascii_lowercase();
        h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
    });
    let raw = raw.trim();
    let body = raw.strip_prefix('^').unwrap_or(raw);
    let (body, exact) = match body.strip_suffix('$') {
        Some(b) if !b.ends_with('\\') => (b, true),
        _ => (body, false),
    };
    let mut literal = String::new();
    let mut written = String::new();
    let mut plain = true;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '%' if matches!(chars.peek(), Some('h' | 'd')) => {
                let which = chars.next().unwrap_or('h');
                match &host {
                    Some(h) => {
                        let value = if which == 'h' {
                            h.as_str()
                        } else {
                            h.split('.').next().unwrap_or("")
                        };
                        literal.push_str(value);
                        written.push_str(value);
                    }
                    None => {
                        plain = false;
                        written.push('%');
                        written.push(which);
                    }
                }
            }
            '\\' => match chars.next() {
                Some(e) if !e.is_ascii_alphanumeric() => {
                    literal.push(e);
                    written.push('\\');
                    written.push(e);
                }
                Some(e) => {
                    plain = false;
                    written.push('\\');
                    written.push(e);
                }
                None => plain = false,
            },
            '.' | '^' | '$' | '*' | '+' | '?' | '{' | '}' | '[' | ']' | '|' | '(' | ')' => {
                plain = false;
                written.push(c);
            }
            _ => {
                literal.push(c);
                written.push(c);
            }
        }
    }
    match (plain, exact) {
        (true, true) => Filter::Exact(literal),
        (true, false) => Filter::Prefix(literal),
        (false, _) => Filter::Pattern(written),
    }
}

/// Which databases of its server an environment opens.
enum Selection {
    Names(Vec<String>),
    Filters(Vec<Filter>),
    Every,
}

/// One environment's use of a database server.
struct DbUse<'a> {
    env: &'a OdooEnvironment,
    deployed: Option<Deployed<'a>>,
    conf: Option<Conf<'a>>,
    server: (String, u16),
    server_at: Option<Location>,
    selection: Selection,
    selection_at: Option<Location>,
    /// The `dbfilter` as written, when it has `%h` or `%d` and the environment has sites.
    host_filter: Option<(String, Vec<&'a str>)>,
}

impl DbUse<'_> {
    fn label(&self) -> String {
        match &self.deployed {
            Some(d) => format!("{} (`{}`)", self.env.name.as_str(), d.name()),
            None => self.env.name.as_str().to_string(),
        }
    }

    /// Where the finding about this environment points, and what is there: what selects
    /// its database, else its odoo.conf mount, else the file, else the service.
    fn at(&self, cx: &Context<'_>) -> Option<(Location, String)> {
        let env = self.env.name.as_str();
        if let Some(at) = &self.selection_at {
            return Some((at.clone(), format!("{env}'s database selection")));
        }
        if let Some(d) = &self.deployed {
            if let Some(mapped) = d.mounted_conf(cx) {
                return Some((d.at(mapped.mount.loc), format!("{env}'s odoo.conf mount")));
            }
        }
        if let Some(conf) = &self.conf {
            return Some((conf.header(), format!("{env}'s odoo.conf")));
        }
        self.deployed
            .as_ref()
            .map(|d| (d.key_at(), format!("{env}'s service")))
    }
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn db_use<'a>(cx: &'a Context<'_>, env: &'a OdooEnvironment) -> Option<DbUse<'a>> {
    let deployed = env
        .service
        .as_deref()
        .and_then(|name| deployment::service(cx, name));
    let conf = conf_of(cx, env);
    if deployed.is_none() && conf.is_none() {
        return None;
    }
    let env_var = |keys: &[&str]| {
        deployed.as_ref().and_then(|d| {
            keys.iter().find_map(|k| {
                d.env_value(k).map(|v| {
                    let at = d.service.env(k).map(|kv| d.at(kv.loc));
                    (v.to_string(), at)
                })
            })
        })
    };
    let (host, host_at) = match conf
        .as_ref()
        .and_then(|c| c.text("db_host").map(|v| (c, v)))
    {
        Some((c, v)) => (v.to_string(), c.entry("db_host").map(|e| c.at(e.span))),
        None => env_var(&["HOST", "PGHOST"]).unwrap_or_else(|| (env.database.host.clone(), None)),
    };
    let host = host.trim().to_ascii_lowercase();
    if host.is_empty() || host.contains('$') || host.starts_with('/') || is_loopback(&host) {
        return None;
    }
    let port = match conf.as_ref().filter(|c| c.entry("db_port").is_some()) {
        Some(c) => u16::try_from(c.int("db_port")?).ok()?,
        None => match env_var(&["PORT", "PGPORT"]) {
            Some((p, _)) => p.trim().parse().ok()?,
            None => env.database.port,
        },
    };
    let sites: Vec<&str> = cx
        .stack
        .sites
        .iter()
        .filter(|s| s.upstream.is_some() && s.upstream == env.service)
        .map(|s| s.fqdn.as_str())
        .collect();
    let cli_names = deployed
        .as_ref()
        .and_then(|d| d.command_option(Some("-d"), "--database"));
    let cli_filter = deployed
        .as_ref()
        .and_then(|d| d.command_option(None, "--db-filter"));
    let conf_at = |key: &str| {
        conf.as_ref()
            .and_then(|c| c.entry(key).map(|e| c.at(e.span)))
    };
    let command_at = deployed
        .as_ref()
        .and_then(|d| d.service.command.as_ref().map(|c| d.at(c.loc())));
    let conf_text = |key: &str| conf.as_ref().and_then(|c| c.text(key));
    let (selection, selection_at) = if let Some(names) = cli_names {
        (Selection::Names(split_names(names)), command_at.clone())
    } else if let Some(names) = conf_text("db_name") {
        (Selection::Names(split_names(names)), conf_at("db_name"))
    } else if let Some(raw) = cli_filter.or_else(|| conf_text("dbfilter")) {
        let filters = if sites.is_empty() {
            vec![read_filter(raw, None)]
        } else {
            sites.iter().map(|s| read_filter(raw, Some(s))).collect()
        };
        let at = if cli_filter.is_some() {
            command_at
        } else {
            conf_at("dbfilter")
        };
        (Selection::Filters(filters), at)
    } else if let Some(name) = &env.database.name {
        (Selection::Names(vec![name.clone()]), None)
    } else {
        (Selection::Every, None)
    };
    // `db_name` and `dbfilter` together: Odoo lists the names, then filters them.
    let selection = match (selection, conf_text("dbfilter").or(cli_filter)) {
        (Selection::Names(names), Some(raw)) => {
            let filters: Vec<Filter> = if sites.is_empty() {
                vec![read_filter(raw, None)]
            } else {
                sites.iter().map(|s| read_filter(raw, Some(s))).collect()
            };
            let kept = names
                .into_iter()
                .filter(|n| filters.iter().any(|f| f.matches(n) != Some(false)))
                .collect();
            Selection::Names(kept)
        }
        (selection, _) => selection,
    };
    let host_filter = cli_filter
        .or_else(|| conf_text("dbfilter"))
        .filter(|raw| raw.contains("%h") || raw.contains("%d"))
        .filter(|_| !sites.is_empty())
        .map(|raw| (raw.trim().to_string(), sites));
    Some(DbUse {
        env,
        deployed,
        conf,
        server: (host, port),
        server_at: host_at,
        selection,
        selection_at,
        host_filter,
    })
}

/// What two environments on one server both open, as a phrase whose subject is the two of
/// them; `None` when nothing surely.
fn shared(a: &Selection, b: &Selection) -> Option<String> {
    let both_open = |names: Vec<&str>| {
        (!names.is_empty()).then(|| {
            let plural = if names.len() > 1 { "s" } else { "" };
            format!("both open the database{plural} `{}`", names.join("`, `"))
        })
    };
    match (a, b) {
        (Selection::Every, Selection::Every) => {
            Some("select no database (no db_name, no dbfilter), so both open every database".into())
        }
        (Selection::Every, _) | (_, Selection::Every) => None,
        (Selection::Names(x), Selection::Names(y)) => both_open(
            x.iter()
                .filter(|n| y.contains(n))
                .map(String::as_str)
                .collect(),
        ),
        (Selection::Names(names), Selection::Filters(filters))
        | (Selection::Filters(filters), Selection::Names(names)) => both_open(
            names
                .iter()
                .filter(|n| filters.iter().any(|f| f.matches(n) == Some(true)))
                .map(String::as_str)
                .collect(),
        ),
        (Selection::Filters(x), Selection::Filters(y)) => {
            let pair = x
                .iter()
                .find_map(|f| y.iter().find(|g| f.overlaps(g)).map(|g| (f, g)))?;
            Some(match pair {
                (Filter::Exact(name), Filter::Exact(_)) => {
                    format!("both select the database `{name}` through their dbfilter")
                }
                (Filter::Pattern(p), _) => format!("use the same dbfilter `{p}`"),
                _ => "have dbfilters that select overlapping database names".into(),
            })
        }
    }
}

/// How `%h`/`%d` filters were filled in, for the message: ` (dbfilter `^%d$` for a.example, b.example)`.
fn expansions(uses: &[&DbUse<'_>]) -> String {
    let parts: Vec<String> = uses
        .iter()
        .filter_map(|u| u.host_filter.as_ref())
        .map(|(raw, sites)| format!("`{raw}` for {}", sites.join(", ")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" (dbfilter {})", parts.join("; "))
    }
}

impl Rule for EnvironmentsUseSeparateDatabases {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let uses: Vec<DbUse<'_>> = cx
            .stack
            .odoo
            .environments
            .iter()
            .filter_map(|env| db_use(cx, env))
            .collect();
        for production in uses
            .iter()
            .filter(|u| u.env.name == Environment::Production)
        {
            for other in uses
                .iter()
                .filter(|u| u.env.name != Environment::Production)
            {
                if production.server != other.server {
                    continue;
                }
                let (host, port) = &other.server;
                let same_file = match (&production.conf, &other.conf) {
                    (Some(a), Some(b)) if a.source.name == b.source.name => {
                        format!("; both run {}", a.source.name)
                    }
                    _ => String::new(),
                };
                let message = match (&production.selection, &other.selection) {
                    // Production opening every database is ODOO017's finding.
                    (Selection::Every, Selection::Names(_) | Selection::Filters(_)) => continue,
                    (_, Selection::Every) if !matches!(production.selection, Selection::Every) => {
                        format!(
                            "{} selects no database (no db_name, no dbfilter) on production's server {host}:{port}, so it can open production's databases",
                            other.label()
                        )
                    }
                    (a, b) => match shared(a, b) {
                        Some(phrase) => format!(
                            "{} and {} {phrase} on {host}:{port}{same_file}{}",
                            production.label(),
                            other.label(),
                            expansions(&[production, other])
                        ),
                        None => continue,
                    },
                };
                let Some((at, _)) = other.at(cx).or_else(|| production.at(cx)) else {
                    continue;
                };
                let mut finding = Finding::new(&Self::META, at, message)
                .help(format!(
                    "give {} its own database: `db_name` and an anchored `dbfilter` in an odoo.conf only its service mounts, or another database server",
                    other.env.name.as_str()
                ));
                if let Some((related, what)) = production.at(cx) {
                    finding = finding.related(related, what);
                }
                if let Some(server_at) = other
                    .server_at
                    .clone()
                    .or_else(|| production.server_at.clone())
                {
                    finding = finding.related(server_at, "the shared database server");
                }
                findings.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_for_a_host() {
        assert_eq!(
            read_filter("^%d$", Some("erp.insightpulseai.net")),
            Filter::Exact("erp".into())
        );
        assert_eq!(
            read_filter("^%d$", Some("erp.staging.insightpulseai.net")),
            Filter::Exact("erp".into())
        );
        assert_eq!(
            read_filter("^%h$", Some("www.example.com")),
            Filter::Exact("example.com".into())
        );
        assert_eq!(
            read_filter("^erp_prod", None),
            Filter::Prefix("erp_prod".into())
        );
        assert_eq!(read_filter("erp\\-1$", None), Filter::Exact("erp-1".into()));
        assert!(matches!(read_filter("^erp.*$", None), Filter::Pattern(_)));
        assert!(matches!(read_filter("^%d$", None), Filter::Pattern(_)));
    }

    #[test]
    fn overlaps_are_certain_ones_only() {
        let exact = |s: &str| Filter::Exact(s.into());
        let prefix = |s: &str| Filter::Prefix(s.into());
        assert!(exact("erp").overlaps(&exact("erp")));
        assert!(!exact("erp").overlaps(&exact("erp_staging")));
        assert!(prefix("erp").overlaps(&exact("erp_staging")));
        assert!(!Filter::Pattern("a".into()).overlaps(&exact("a")));
        assert_eq!(prefix("erp").matches("erp_staging"), Some(true));
    }
}
