//! The render plan: which template makes which file, with which values, and the rendering
//! itself. Every file gets its managed header here, so no template can forget it.

use super::context::{self, StackView};
use super::header;
use super::resolve::{CertAction, Resolved};
use super::templates::{to_value, Format, Templates};
use crate::policy::Policy;
use minijinja::value::Value;
use std::fmt;

/// The groups of files `--only` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Part {
    /// One vhost a site, plus the shared http-level file.
    Nginx,
    /// Each Odoo environment's odoo.conf.
    Odoo,
    /// docker-compose.yml and the development override.
    Compose,
    /// The DNS zone.
    Zone,
    /// .env.example.
    Env,
    /// The certbot command lines.
    Certbot,
    /// verify-stack.sh.
    Verify,
    /// The canonical snapshot Markdown.
    Snapshot,
    /// The resolved facts, `stack.yaml` (only with `--out`).
    Stack,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Nginx => "nginx",
            Part::Odoo => "odoo",
            Part::Compose => "compose",
            Part::Zone => "zone",
            Part::Env => "env",
            Part::Certbot => "certbot",
            Part::Verify => "verify",
            Part::Snapshot => "snapshot",
            Part::Stack => "stack",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rendered file: its repo-relative path and its full contents, header included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub part: Part,
    pub format: Format,
    pub contents: String,
    /// Whether it is a script to mark executable.
    pub executable: bool,
}

/// Why rendering stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// A filter refused a value from the facts.
    Unrepresentable {
        value: String,
        reason: String,
        template: String,
    },
    /// A template is broken (syntax, missing variable, unknown filter).
    Template { template: String, message: String },
    /// Two outputs would land on one path.
    Collision { path: String },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Unrepresentable {
                value,
                reason,
                template,
            } => write!(
                f,
                "`{}` cannot go into {template}: {reason}",
                value.escape_debug()
            ),
            RenderError::Template { template, message } => {
                write!(f, "template {template}: {message}")
            }
            RenderError::Collision { path } => {
                write!(f, "two generated files would be written to {path}; change the layout in stack.yaml")
            }
        }
    }
}

/// One entry of the plan: a file, the template that makes it, and its own values.
struct Job {
    path: String,
    part: Part,
    template: &'static str,
    extra: Vec<(&'static str, Value)>,
}

/// Renders every file of the stack, in a fixed order.
pub fn render_all(
    resolved: &Resolved,
    policy: &Policy,
    templates: &Templates,
) -> Result<Vec<RenderedFile>, RenderError> {
    let view = context::build(resolved, policy);
    let stack_value = to_value(&serde_json::to_value(&view).unwrap_or_default());
    let jobs = plan(&view, &stack_value);

    let mut files: Vec<RenderedFile> = Vec::with_capacity(jobs.len() + 1);
    for job in jobs {
        let mut ctx = std::collections::BTreeMap::new();
        ctx.insert("stack", stack_value.clone());
        for (key, value) in job.extra {
            ctx.insert(key, value);
        }
        let body = render_one(templates, job.template, Value::from(ctx))?;
        let format = Format::of_template(job.template);
        files.push(RenderedFile {
            contents: header::wrap(format, &body),
            executable: format == Format::Shell,
            path: job.path,
            part: job.part,
            format,
        });
    }
    files.push(RenderedFile {
        path: "stack.yaml".into(),
        part: Part::Stack,
        format: Format::Yaml,
        contents: header::wrap(Format::Yaml, &resolved_facts(resolved, &view)),
        executable: false,
    });

    let mut seen = std::collections::BTreeSet::new();
    for file in &files {
        if !seen.insert(file.path.as_str()) {
            return Err(RenderError::Collision {
                path: file.path.clone(),
            });
        }
    }
    Ok(files)
}

fn plan(view: &StackView, stack_value: &Value) -> Vec<Job> {
    let item = |list: &str, index: usize| {
        stack_value
            .get_attr(list)
            .and_then(|v| v.get_item(&Value::from(index)))
            .unwrap_or_default()
    };
    let mut jobs = vec![Job {
        path: view.paths.nginx_common.clone(),
        part: Part::Nginx,
        template: "nginx-common.conf.j2",
        extra: Vec::new(),
    }];
    for (i, site) in view.sites.iter().enumerate() {
        jobs.push(Job {
            path: site.file.clone(),
            part: Part::Nginx,
            template: match site.kind {
                "odoo" => "nginx-odoo-site.conf.j2",
                "app" => "nginx-app-site.conf.j2",
                _ => "nginx-redirect-site.conf.j2",
            },
            extra: vec![("site", item("sites", i))],
        });
    }
    for (i, env) in view.odoo_envs.iter().enumerate() {
        jobs.push(Job {
            path: env.config.clone(),
            part: Part::Odoo,
            template: "odoo.conf.j2",
            extra: vec![("env", item("odoo_envs", i))],
        });
    }
    let simple = [
        (&view.paths.compose, Part::Compose, "docker-compose.yml.j2"),
        (
            &view.paths.compose_dev,
            Part::Compose,
            "docker-compose.dev.yml.j2",
        ),
        (&view.paths.zone, Part::Zone, "dns.zone.j2"),
        (&view.paths.env_example, Part::Env, "env.example.j2"),
        (&view.paths.certbot, Part::Certbot, "certbot.sh.j2"),
        (&view.paths.verify, Part::Verify, "verify-stack.sh.j2"),
        (&view.paths.snapshot, Part::Snapshot, "snapshot.md.j2"),
    ];
    for (path, part, template) in simple {
        jobs.push(Job {
            path: path.clone(),
            part,
            template,
            extra: Vec::new(),
        });
    }
    jobs
}

fn render_one(templates: &Templates, name: &str, ctx: Value) -> Result<String, RenderError> {
    let result = templates
        .env
        .get_template(name)
        .and_then(|template| template.render(ctx));
    match result {
        Ok(text) => {
            let mut text = text.replace("\r\n", "\n");
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Ok(text)
        }
        Err(err) => Err(match templates.take_rejection() {
            Some(rejection) => RenderError::Unrepresentable {
                value: rejection.value,
                reason: rejection.reason,
                template: name.to_string(),
            },
            None => RenderError::Template {
                template: name.to_string(),
                message: describe(&err),
            },
        }),
    }
}

fn describe(err: &minijinja::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

/// The resolved facts as `stack.yaml`, with the certificate plan as comments.
fn resolved_facts(resolved: &Resolved, view: &StackView) -> String {
    let mut out = String::from(
        "# The facts these files were rendered from, with every gap ipai-gen closed.\n\
         # `ipai-lint` on this directory judges the files against them.\n",
    );
    if !resolved.certificates.is_empty() {
        out.push_str("#\n# Certificate plan (");
        out.push_str(&view.paths.certbot);
        out.push_str("):\n");
        for (cert, planned) in view.certificates.iter().zip(&resolved.certificates) {
            let done = match planned.action {
                CertAction::Keep => "keep",
                CertAction::New { .. } => "request",
                CertAction::RenewExpired { .. } | CertAction::RenewExpiring { .. } => "renew",
            };
            // Debug-escaped: a comment line must stay one line whatever the names hold.
            out.push_str(&format!(
                "#   {done} {}: {} ({})\n",
                cert.name.escape_debug(),
                cert.sans.join(", ").escape_debug(),
                cert.note.escape_debug()
            ));
        }
    }
    out.push_str(&resolved.stack.to_yaml());
    out
}
