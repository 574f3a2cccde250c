//! The template environment: embedded templates with a user directory that overrides them
//! file by file, one output format per template, and a formatter that refuses to print a
//! string no escaping filter has approved.
//!
//! Following research/linter-ux.md §5.3: numbers pass through, strings marked safe by a
//! typed filter pass through, anything else is an error naming the filter to use. The
//! built-in `safe` filter is the only way around that, and no embedded template uses it.

use super::escape::{self, Escaped};
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The output formats, each with its comment syntax and escaping filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Nginx,
    Ini,
    Yaml,
    Zone,
    DotEnv,
    Shell,
    Markdown,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Nginx => "nginx",
            Format::Ini => "ini",
            Format::Yaml => "yaml",
            Format::Zone => "zone",
            Format::DotEnv => "env",
            Format::Shell => "sh",
            Format::Markdown => "markdown",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        [
            Format::Nginx,
            Format::Ini,
            Format::Yaml,
            Format::Zone,
            Format::DotEnv,
            Format::Shell,
            Format::Markdown,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }

    /// The filters that print a value in this format, for error messages.
    fn filters(self) -> &'static str {
        match self {
            Format::Nginx => "nginx_str, nginx_name, nginx_ident, path_segment or comment",
            Format::Ini => "ini_value or comment",
            Format::Yaml => "compose_str, compose_name, compose_env, yaml_str or comment",
            Format::Zone => "zone_name, zone_txt, zone_string, ipv4 or comment",
            Format::DotEnv => "env_name or comment",
            Format::Shell => "sh_word, env_name or comment",
            Format::Markdown => "md_text or md_code",
        }
    }

    /// The format of a template by its name: the embedded table first, then the extension.
    pub fn of_template(name: &str) -> Format {
        if let Some((_, format, _)) = EMBEDDED.iter().find(|(n, _, _)| *n == name) {
            return *format;
        }
        let stem = name.strip_suffix(".j2").unwrap_or(name);
        let ext = stem.rsplit('.').next().unwrap_or("");
        match ext {
            "ini" => Format::Ini,
            "yml" | "yaml" => Format::Yaml,
            "zone" => Format::Zone,
            "sh" => Format::Shell,
            "md" => Format::Markdown,
            "env" | "example" => Format::DotEnv,
            _ if stem.starts_with("odoo") => Format::Ini,
            _ => Format::Nginx,
        }
    }
}

/// Every embedded template: name, format, source.
pub const EMBEDDED: &[(&str, Format, &str)] = &[
    (
        "nginx-common.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-common.conf.j2"),
    ),
    (
        "nginx-http-server.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-http-server.conf.j2"),
    ),
    (
        "nginx-listen-tls.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-listen-tls.conf.j2"),
    ),
    (
        "nginx-tls.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-tls.conf.j2"),
    ),
    (
        "nginx-forwarded.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-forwarded.conf.j2"),
    ),
    (
        "nginx-odoo-site.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-odoo-site.conf.j2"),
    ),
    (
        "nginx-app-site.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-app-site.conf.j2"),
    ),
    (
        "nginx-redirect-site.conf.j2",
        Format::Nginx,
        include_str!("../../templates/nginx-redirect-site.conf.j2"),
    ),
    (
        "odoo.conf.j2",
        Format::Ini,
        include_str!("../../templates/odoo.conf.j2"),
    ),
    (
        "docker-compose.yml.j2",
        Format::Yaml,
        include_str!("../../templates/docker-compose.yml.j2"),
    ),
    (
        "docker-compose.dev.yml.j2",
        Format::Yaml,
        include_str!("../../templates/docker-compose.dev.yml.j2"),
    ),
    (
        "dns.zone.j2",
        Format::Zone,
        include_str!("../../templates/dns.zone.j2"),
    ),
    (
        "env.example.j2",
        Format::DotEnv,
        include_str!("../../templates/env.example.j2"),
    ),
    (
        "certbot.sh.j2",
        Format::Shell,
        include_str!("../../templates/certbot.sh.j2"),
    ),
    (
        "verify-stack.sh.j2",
        Format::Shell,
        include_str!("../../templates/verify-stack.sh.j2"),
    ),
    (
        "snapshot.md.j2",
        Format::Markdown,
        include_str!("../../templates/snapshot.md.j2"),
    ),
];

/// An escaping function of [`escape`].
type EscapeFn = fn(&str) -> Escaped;

/// A value a filter refused, kept so the caller can find it in `stack.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub filter: &'static str,
    pub value: String,
    pub reason: String,
}

/// The environment and the slot where filters leave the value they refused.
pub struct Templates {
    pub env: Environment<'static>,
    rejected: Arc<Mutex<Option<Rejection>>>,
}

impl Templates {
    /// Embedded templates, each overridden by a file of the same name in `overrides`.
    pub fn new(overrides: Option<&Path>) -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        // These options are valid; `build` only fails on conflicting delimiters.
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        let dir: Option<PathBuf> = overrides.map(Path::to_path_buf);
        env.set_loader(move |name| load(dir.as_deref(), name));
        env.set_auto_escape_callback(|name| {
            AutoEscape::Custom(Format::of_template(name).as_str().into())
        });
        env.set_formatter(format_value);

        let rejected = Arc::new(Mutex::new(None));
        let filters: [(&'static str, EscapeFn); 18] = [
            ("nginx_str", escape::nginx_str),
            ("nginx_name", escape::nginx_name),
            ("nginx_ident", escape::nginx_ident),
            ("path_segment", escape::path_segment),
            ("comment", escape::comment),
            ("ini_value", escape::ini_value),
            ("zone_name", escape::zone_name),
            ("zone_txt", escape::zone_txt),
            ("zone_string", escape::zone_string),
            ("yaml_str", escape::yaml_str),
            ("compose_str", escape::compose_str),
            ("compose_name", escape::compose_name),
            ("env_name", escape::env_name),
            ("compose_env", escape::compose_env),
            ("ipv4", escape::ipv4),
            ("sh_word", escape::sh_word),
            ("md_text", escape::md_text),
            ("md_code", escape::md_code),
        ];
        for (name, escape) in filters {
            let slot = Arc::clone(&rejected);
            env.add_filter(name, move |value: &Value| -> Result<Value, Error> {
                let text = filter_input(name, value)?;
                match escape(&text) {
                    Ok(escaped) => Ok(Value::from_safe_string(escaped)),
                    Err(err) => {
                        if let Ok(mut slot) = slot.lock() {
                            slot.get_or_insert(Rejection {
                                filter: name,
                                value: text,
                                reason: err.reason.clone(),
                            });
                        }
                        Err(Error::new(ErrorKind::InvalidOperation, err.reason))
                    }
                }
            });
        }
        Templates { env, rejected }
    }

    /// The first value a filter refused since the last call, if any.
    pub fn take_rejection(&self) -> Option<Rejection> {
        self.rejected.lock().ok().and_then(|mut slot| slot.take())
    }
}

fn load(dir: Option<&Path>, name: &str) -> Result<Option<String>, Error> {
    if let Some(dir) = dir {
        let safe = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains("..")
            && !name.contains('\\')
            && !Path::new(name).is_absolute();
        let path = dir.join(name);
        if safe && path.is_file() {
            return std::fs::read_to_string(&path).map(Some).map_err(|err| {
                Error::new(
                    ErrorKind::TemplateNotFound,
                    format!("cannot read {}: {err}", path.display()),
                )
            });
        }
    }
    Ok(EMBEDDED
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, source)| source.to_string()))
}

/// Numbers print as they are; strings only when a typed filter made them safe.
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), Error> {
    let format = match state.auto_escape() {
        AutoEscape::Custom(name) => Format::from_name(name),
        _ => None,
    };
    let printable = value.is_safe() || value.kind() == ValueKind::Number;
    if !printable {
        let filters = format
            .map(Format::filters)
            .unwrap_or("a typed escaping filter");
        let shown: String = value.to_string().chars().take(60).collect();
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "`{}` ({}) is printed without an escaping filter in a {} template; pipe it through {filters}",
                shown.escape_debug(),
                value.kind(),
                format.map(Format::as_str).unwrap_or("custom")
            ),
        ));
    }
    write!(out, "{value}").map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write output"))
}

/// The text a filter escapes: a string, or a number printed as decimal.
fn filter_input(filter: &str, value: &Value) -> Result<String, Error> {
    match value.kind() {
        ValueKind::String => Ok(value.as_str().unwrap_or_default().to_string()),
        ValueKind::Number => Ok(value.to_string()),
        kind => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("|{filter} takes a string or a number, not {kind}"),
        )),
    }
}

/// A JSON value (from serde) as a template value; maps keep their sorted key order.
pub fn to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                Value::from(n.as_f64().unwrap_or(0.0))
            }
        }
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => {
            Value::from(items.iter().map(to_value).collect::<Vec<_>>())
        }
        serde_json::Value::Object(map) => Value::from(
            map.iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<std::collections::BTreeMap<String, Value>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str, name: &str, ctx: Value) -> Result<String, Error> {
        let mut templates = Templates::new(None);
        templates
            .env
            .add_template_owned(name.to_string(), source.to_string())?;
        templates.env.get_template(name)?.render(ctx)
    }

    #[test]
    fn unfiltered_strings_are_refused_and_filtered_ones_pass() {
        let ctx = minijinja::context! { name => "erp.example.net", port => 8069 };
        let err = render("server_name {{ name }};\n", "x.conf", ctx.clone()).unwrap_err();
        assert!(
            err.to_string()
                .contains("without an escaping filter in a nginx template"),
            "{err}"
        );
        let ok = render(
            "server_name {{ name|nginx_name }}; # {{ port }}\n",
            "x.conf",
            ctx,
        )
        .unwrap();
        assert_eq!(ok, "server_name erp.example.net; # 8069\n");
    }

    #[test]
    fn a_refused_value_is_kept_for_locating() {
        let mut templates = Templates::new(None);
        templates
            .env
            .add_template("t.conf", "server_name {{ n|nginx_name }};")
            .unwrap();
        let err = templates
            .env
            .get_template("t.conf")
            .unwrap()
            .render(minijinja::context! { n => "a b" })
            .unwrap_err();
        assert!(err.to_string().contains("cannot contain a space"), "{err}");
        let rejection = templates.take_rejection().unwrap();
        assert_eq!(rejection.value, "a b");
        assert_eq!(rejection.filter, "nginx_name");
    }

    #[test]
    fn no_embedded_template_bypasses_escaping() {
        for (name, _, source) in EMBEDDED {
            assert!(!source.contains("|safe"), "{name} uses |safe");
            assert!(!source.contains("| safe"), "{name} uses | safe");
        }
    }
}
