//! `STK` rules about the repo's shell scripts, judged against the compose projects, the odoo.conf and
//! the stack's facts: what a deploy or backup script runs, where, and against what.
//!
//! The scripts are read as [`crate::formats::shell`] parses them: commands of the script,
//! of the shells it starts over `ssh` (a here-document, a command string) and inside
//! containers (`docker compose exec SERVICE …`). A script runs on a machine ipai cannot
//! see, from a directory it may not know: when a rule cannot tell which compose project a
//! command drives, it says less.

mod backup_targets_deployed_database;
mod deploy_script_stops_on_error;
mod exec_target_is_compose_service;
mod script_host_is_stack_host;

pub use backup_targets_deployed_database::BackupTargetsDeployedDatabase;
pub use deploy_script_stops_on_error::DeployScriptStopsOnError;
pub use exec_target_is_compose_service::ExecTargetIsComposeService;
pub use script_host_is_stack_host::ScriptHostIsStackHost;

use crate::finding::Location;
use crate::formats::shell::{Command, Origin, Script};
use crate::rule::Context;
use crate::source::Span;

/// One parsed script with its repo-relative name.
pub(crate) struct ScriptFile<'a> {
    pub name: &'a str,
    pub script: &'a Script,
}

impl ScriptFile<'_> {
    pub fn at(&self, span: Span) -> Location {
        Location::new(self.name, span)
    }

    /// The command (index) whose container runs `command`, if any.
    pub fn container_of(&self, command: &Command) -> Option<&Command> {
        command.container.map(|i| &self.script.commands[i])
    }

    /// Whether the command runs on the machine that runs the script (not over `ssh`).
    pub fn runs_locally(&self, command: &Command) -> bool {
        let mut shell = command.shell;
        loop {
            match self.script.shells[shell].origin {
                Origin::Script => return true,
                Origin::Ssh(_) => return false,
                Origin::Inline(parent) => shell = self.script.commands[parent].shell,
            }
        }
    }
}

/// Every shell script of the workspace.
pub(crate) fn scripts<'a>(cx: &Context<'a>) -> impl Iterator<Item = ScriptFile<'a>> + 'a {
    let workspace = cx.workspace;
    workspace
        .shell_scripts
        .iter()
        .map(move |parsed| ScriptFile {
            name: workspace.file(parsed.file).source.name.as_str(),
            script: &parsed.script,
        })
}

/// The service a command's container is, by the name the command gives it: a compose
/// service (`docker compose exec NAME`) or a container (`docker exec NAME`).
pub(crate) fn container_name(container: &Command) -> Option<(&str, Span)> {
    if let Some(call) = container.compose() {
        return call.service.map(|w| (w.value.as_str(), w.span));
    }
    container
        .docker_exec()
        .map(|exec| (exec.container.value.as_str(), exec.container.span))
}
