use super::{scripts, ScriptFile};
use crate::declare_rule;
use crate::finding::Finding;
use crate::formats::shell::{Command, Origin};
use crate::rule::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Checks that a deploy script stops at its first failed step. A shell deploys when the
    /// script's name or folder says `deploy`, or when it runs `odoo … -u|-i`, or when it
    /// runs `docker compose up|restart` over `ssh`. In such a shell, a step that can fail
    /// (`git pull`, `odoo -u`, `docker compose pull|build|exec|run`, `docker pull|build`)
    /// must run under `set -e` (`set -euo pipefail`, `set -o errexit`, `#!/bin/bash -e`,
    /// `ssh host 'bash -se'`) or have its status handled (`&&`, `||`, `if`) when a later
    /// step restarts a service or reports (`docker compose up|restart`, `systemctl`,
    /// `curl`, `echo`). The shell on the other end of `ssh` is a shell of its own: the
    /// local script's `set -e` does not reach it.
    ///
    /// ## Why is this bad?
    /// Without `set -e` the shell runs the next line whatever the last one did: a `git
    /// pull` that hit a conflict, or a module update that failed half-way, is followed by
    /// a restart of Odoo on the broken tree and by a health check or an "OK" that makes
    /// the deploy look good.
    ///
    /// ## Example
    /// ```bash
    /// ssh root@178.128.112.214 << 'EOF'
    /// git pull origin main
    /// docker compose exec odoo-prod odoo -d odoo -u all --stop-after-init
    /// docker compose restart odoo-prod
    /// EOF
    /// ```
    ///
    /// ## Fix
    /// ```bash
    /// ssh root@178.128.112.214 << 'EOF'
    /// set -euo pipefail
    /// git pull --ff-only origin main
    /// …
    /// EOF
    /// ```
    ///
    /// ## Source
    /// POSIX.1-2017 XCU §2.14 "set" (`-e`: "When this option is on, if a simple command
    /// fails … the shell shall immediately exit",
    /// <https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#set>);
    /// bash(1), "The Set Builtin" (`-o pipefail`,
    /// <https://www.gnu.org/software/bash/manual/html_node/The-Set-Builtin.html>); ssh(1)
    /// (the command runs in the remote user's shell); CANONICAL_ODOO_STACK_SNAPSHOT.md §6.
    pub struct DeployScriptStopsOnError {
        code: "STK023",
        name: "deploy-script-stops-on-error",
        severity: Warning,
    }
}

impl Rule for DeployScriptStopsOnError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, findings: &mut Vec<Finding>) {
        for file in scripts(cx) {
            let named_deploy = file.name.to_ascii_lowercase().contains("deploy");
            // Each shell's commands, grouped in one pass.
            let mut by_shell: Vec<Vec<&Command>> = vec![Vec::new(); file.script.shells.len()];
            for command in &file.script.commands {
                by_shell[command.shell].push(command);
            }
            for (shell, commands) in by_shell.iter().enumerate() {
                if let Some(finding) = check_shell(&file, shell, commands, named_deploy) {
                    findings.push(finding);
                }
            }
        }
    }
}

/// The first unhandled step of one shell that a later restart or report follows.
fn check_shell(
    file: &ScriptFile<'_>,
    shell: usize,
    commands: &[&Command],
    named_deploy: bool,
) -> Option<Finding> {
    let script = file.script;
    let remote = matches!(script.shells[shell].origin, Origin::Ssh(_));
    let deploys = named_deploy
        || commands.iter().any(|c| {
            c.odoo()
                .is_some_and(|o| o.update.is_some() || o.install.is_some())
                || (remote && restarts(c))
        });
    // `trap … ERR` stops or reports as `set -e` would.
    let traps = commands
        .iter()
        .any(|c| c.program() == "trap" && c.words.last().is_some_and(|w| w.value == "ERR"));
    if !deploys || traps {
        return None;
    }
    // The first step that can fail unhandled before `set -e` takes effect, then the first
    // restart after it (else the first report).
    let at = commands
        .iter()
        .position(|c| !script.errexit_before(shell, c.span.start()) && can_fail(c) && !c.guarded)?;
    let step = commands[at];
    let later = &commands[at + 1..];
    let next = later
        .iter()
        .find(|c| restarts(c))
        .or_else(|| later.iter().find(|c| reports(c)))?;
    if script.errexit_before(shell, next.span.start()) {
        return None;
    }
    let mut finding = Finding::new(
        &DeployScriptStopsOnError::META,
        file.at(step.span),
        format!(
            "if `{}` fails, this {} goes on to `{}`: it does not stop on errors (no `set -e`)",
            step_name(step),
            if remote { "remote shell" } else { "deploy script" },
            step_name(next)
        ),
    )
    .help(if remote {
        "add `set -euo pipefail` as the first line inside the here-document (or run `bash -se` over ssh); the local script's `set -e` does not reach the remote shell"
    } else {
        "add `set -euo pipefail` after the shebang, or handle the step's failure (`|| exit 1`)"
    })
    .related(file.at(next.span), "runs even when the step failed");
    if let Origin::Ssh(ssh) = script.shells[shell].origin {
        finding = finding.related(
            file.at(script.commands[ssh].span),
            "the remote shell this step runs in",
        );
    }
    Some(finding)
}

/// The command's first words, up to about 60 characters, for messages.
fn step_name(command: &Command) -> String {
    let mut text = String::new();
    for word in &command.words {
        if text.len() + word.value.len() > 60 && !text.is_empty() {
            text.push_str(" …");
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&word.value);
    }
    text
}

/// A deploy step whose failure should stop the deploy.
fn can_fail(command: &Command) -> bool {
    let arg = |i: usize| command.words.get(i).map(|w| w.value.as_str());
    if let Some(call) = command.compose() {
        return matches!(
            call.subcommand.map(|w| w.value.as_str()),
            Some("pull" | "build" | "exec" | "run")
        );
    }
    match command.program() {
        "git" => matches!(
            arg(1),
            Some("pull" | "fetch" | "checkout" | "reset" | "merge")
        ),
        "docker" => matches!(arg(1), Some("pull" | "build")),
        _ => command
            .odoo()
            .is_some_and(|o| o.update.is_some() || o.install.is_some()),
    }
}

/// A step that restarts or starts a service.
fn restarts(command: &Command) -> bool {
    let arg = |i: usize| command.words.get(i).map(|w| w.value.as_str());
    if let Some(call) = command.compose() {
        return matches!(
            call.subcommand.map(|w| w.value.as_str()),
            Some("up" | "restart" | "start")
        );
    }
    match command.program() {
        "docker" => matches!(arg(1), Some("restart" | "start")),
        "systemctl" | "service" => command
            .words
            .iter()
            .any(|w| matches!(w.value.as_str(), "restart" | "reload" | "start")),
        _ => false,
    }
}

/// A step that reports: a health check or a message.
fn reports(command: &Command) -> bool {
    matches!(command.program(), "curl" | "wget" | "echo" | "printf")
}
