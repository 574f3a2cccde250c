use crate::declare_rule;
use crate::finding::Finding;
use crate::rule::{Context, Rule, RuleMeta};
use crate::rules::deployment::{self, Deployed, Mapped, IMAGE_DATA_DIR};
use crate::rules::odoo::conf_of;
use crate::stack::{Environment, OdooEnvironment};

declare_rule! {
    /// ## What it does
    /// Checks that production and every other Odoo environment keep their data directory
    /// (`data_dir` in odoo.conf, else the official image's `/var/lib/odoo`), which holds
    /// the filestore and the sessions, on different storage: the mount that holds it in
    /// each environment's compose service must not be the same named volume or host folder
    /// (or one nested in the other). A data directory no mount covers lives in the
    /// container's own anonymous volume and is never shared.
    ///
    /// ## Why is this bad?
    /// Odoo keeps attachments in `data_dir/filestore/<database>`. A staging copy of the
    /// production database usually keeps its name, so staging then reads and deletes
    /// production's attachments (its garbage collection removes files its own database no
    /// longer references), and a staging restore overwrites them.
    ///
    /// ## Example
    /// ```yaml
    /// odoo-prod:
    ///   volumes: [odoo-data:/var/lib/odoo]
    /// odoo-staging:
    ///   volumes: [odoo-data:/var/lib/odoo]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// odoo-staging:
    ///   volumes: [odoo-staging-data:/var/lib/odoo]
    /// ```
    ///
    /// ## Source
    /// Odoo `--data-dir` ("Directory where to store Odoo data")
    /// (<https://www.odoo.com/documentation/18.0/developer/reference/cli.html#cmdoption-odoo-bin-data-dir>);
    /// the official image's `VOLUME ["/var/lib/odoo", …]` (<https://github.com/odoo/docker/blob/master/18.0/Dockerfile>);
    /// Compose specification, volumes (<https://github.com/compose-spec/compose-spec/blob/main/07-volumes.md>).
    pub struct EnvironmentsUseSeparateFilestores {
        code: "STK010",
        name: "environments-use-separate-filestores",
        severity: Error,
    }
}

/// Where one environment keeps its data directory.
struct DataDir<'a> {
    env: &'a OdooEnvironment,
    deployed: Deployed<'a>,
    path: String,
    mapped: Mapped<'a>,
}

fn data_dir<'a>(cx: &'a Context<'_>, env: &'a OdooEnvironment) -> Option<DataDir<'a>> {
    let deployed = deployment::service(cx, env.service.as_deref()?)?;
    let path = match conf_of(cx, env).and_then(|c| c.text("data_dir")) {
        Some(path) if path.starts_with('/') && !path.contains('$') => path.to_string(),
        Some(_) => return None,
        None => IMAGE_DATA_DIR.to_string(),
    };
    let mapped = deployed.resolve(cx, &path)?;
    Some(DataDir {
        env,
        deployed,
        path,
        mapped,
    })
}

/// Whether one of two paths below the same mount source contains the other.
fn nested(a: &str, b: &str) -> bool {
    let within = |outer: &str, inner: &str| {
        outer.is_empty()
            || inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    within(a, b) || within(b, a)
}

impl Rule for EnvironmentsUseSeparateFilestores {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        let dirs: Vec<DataDir<'_>> = cx
            .stack
            .odoo
            .environments
            .iter()
            .filter_map(|env| data_dir(cx, env))
            .collect();
        for production in dirs
            .iter()
            .filter(|d| d.env.name == Environment::Production)
        {
            for other in dirs
                .iter()
                .filter(|d| d.env.name != Environment::Production)
            {
                if production.deployed.name() == other.deployed.name()
                    || production.mapped.source != other.mapped.source
                    || !nested(&production.mapped.rest, &other.mapped.rest)
                {
                    continue;
                }
                findings.push(
                    Finding::new(
                        &Self::META,
                        other.deployed.at(other.mapped.mount.loc),
                        format!(
                            "{} (`{}`) keeps its data_dir {} in {}, where production (`{}`) keeps its {}: they share the filestore",
                            other.env.name.as_str(),
                            other.deployed.name(),
                            other.path,
                            other.mapped.source.describe(),
                            production.deployed.name(),
                            production.path
                        ),
                    )
                    .help(format!(
                        "mount a volume of its own at {} in `{}`",
                        other
                            .mapped
                            .mount
                            .target
                            .as_ref()
                            .map_or(other.path.as_str(), |t| t.value.as_str()),
                        other.deployed.name()
                    ))
                    .related(
                        production.deployed.at(production.mapped.mount.loc),
                        "production's data mount",
                    ),
                );
            }
        }
    }
}
