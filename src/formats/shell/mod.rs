//! Shell scripts (`*.sh`, `*.bash`, files with a `sh`/`bash` shebang), read, never run:
//! the simple commands of the script and of the shells it starts (an `ssh … << 'EOF'`
//! here-document, `ssh host "cmd; cmd"`, `bash -c '…'`, the command after
//! `docker compose exec SERVICE`), each with byte spans, and what the deploy rules ask of
//! them: compose and docker targets, Odoo's `-d`/`-u`/`-i`, PostgreSQL clients' targets,
//! `curl` URLs, `ssh` hosts, `cd` directories and `set -e`.
//!
//! Sources: POSIX.1-2017 XCU §2 "Shell Command Language" and `set -e`; bash(1); ssh(1)
//! ("If a command is specified, it is executed on the remote host instead of a login
//! shell"); Docker CLI reference for `docker compose`, `docker compose exec`, `run` and
//! `docker exec`; PostgreSQL `pg_dump`, `pg_dumpall`, `psql` reference pages; Odoo's
//! command-line interface (`-d`, `-u`, `-i`).

mod lexer;

pub use lexer::{HereDoc, Joiner, Word};

use crate::source::{SourceFile, Span};

/// How deep shells started from shells are read (`ssh` in a here-document in `bash -c`…).
const MAX_DEPTH: usize = 4;

/// A parsed script.
#[derive(Debug, Default)]
pub struct Script {
    /// The script itself first, then every shell it starts, in order met.
    pub shells: Vec<Shell>,
    /// Every simple command of every shell, in order met.
    pub commands: Vec<Command>,
}

/// Where a shell's commands run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The script as the user runs it.
    Script,
    /// On another machine: the commands given to the `ssh` command with this index.
    Ssh(usize),
    /// `bash -c '…'`, `sh -s << EOF`: another shell on the same machine (or in the same
    /// container), started by the command with this index.
    Inline(usize),
}

/// One shell: the script, or one it starts.
#[derive(Debug)]
pub struct Shell {
    pub origin: Origin,
    /// The text its commands come from.
    pub span: Span,
    /// Where `set -e` (`set -euo pipefail`, `set -o errexit`, `#!/bin/bash -e`, `bash -e`)
    /// takes effect in it, if it does.
    pub errexit: Option<Span>,
}

/// One simple command.
#[derive(Debug)]
pub struct Command {
    /// The shell (index in [`Script::shells`]) that runs it.
    pub shell: usize,
    /// Its words from the program on: assignments (`X=1`), `sudo`, `env`, `exec`, `time`,
    /// `nohup`, `command` and reserved words (`if`, `then`, `do`, `!`) dropped.
    pub words: Vec<Word>,
    pub span: Span,
    /// Its status is handled: it is joined to a neighbour by `&&`/`||`, or it is the
    /// condition of `if`/`while`/`until`.
    pub guarded: bool,
    /// The `cd` command (index in [`Script::commands`]) last run before it in its shell.
    pub cwd: Option<usize>,
    /// The `docker compose exec|run` or `docker exec` command (index) whose container runs
    /// it.
    pub container: Option<usize>,
}

/// `docker compose [-f FILE…] [-p NAME] [--project-directory DIR] SUBCOMMAND …`.
#[derive(Debug)]
pub struct ComposeCall<'a> {
    /// `docker-compose` rather than `docker compose`.
    pub legacy: bool,
    pub files: Vec<&'a Word>,
    pub project_name: Option<&'a Word>,
    pub project_dir: Option<&'a Word>,
    pub subcommand: Option<&'a Word>,
    /// The service of `exec`/`run`, when the options before it are all known.
    pub service: Option<&'a Word>,
}

/// `docker exec [opts] CONTAINER …` (or `docker container exec`).
#[derive(Debug)]
pub struct DockerExec<'a> {
    pub container: &'a Word,
}

/// `odoo [-c CONF] -d DB -u|-i MODULES …` (`odoo`, `odoo-bin`, `python3 odoo-bin`).
#[derive(Debug, Default)]
pub struct OdooCall<'a> {
    pub database: Option<&'a Word>,
    pub update: Option<&'a Word>,
    pub install: Option<&'a Word>,
}

/// `pg_dump`, `pg_dumpall`, `pg_restore` or `psql` with its connection options.
#[derive(Debug)]
pub struct PgCall<'a> {
    pub program: &'a str,
    /// `-d`/`--dbname`, else the first operand.
    pub database: Option<&'a Word>,
    pub user: Option<&'a Word>,
    pub host: Option<&'a Word>,
}

/// `ssh [opts] [user@]host [command…]`.
#[derive(Debug)]
pub struct SshCall<'a> {
    pub target: &'a Word,
    pub user: Option<&'a str>,
    pub host: &'a str,
    /// The index of the first word of the remote command, if one is given.
    pub command_at: Option<usize>,
}

/// Parses one script file.
pub fn parse(source: &SourceFile) -> Script {
    let mut script = Script::default();
    let text = &source.text;
    let errexit = shebang_errexit(text);
    script.read_shell(text, 0..text.len(), Origin::Script, errexit, None, 0);
    script
}

impl Script {
    fn read_shell(
        &mut self,
        text: &str,
        range: std::ops::Range<usize>,
        origin: Origin,
        errexit: Option<Span>,
        container: Option<usize>,
        depth: usize,
    ) {
        let shell = self.shells.len();
        self.shells.push(Shell {
            origin,
            span: Span::new(range.start, range.end),
            errexit,
        });
        let raw = lexer::commands(text, range);
        let mut cwd = None;
        let mut condition = false;
        for command in &raw {
            let mut words: &[Word] = &command.words;
            // Reserved words that start a condition make the command guarded.
            let mut in_condition = false;
            while let Some(first) = words.first().filter(|w| !w.quoted) {
                match first.value.as_str() {
                    "if" | "elif" | "while" | "until" => in_condition = true,
                    "then" | "do" | "else" | "!" | "{" | "time" => {}
                    _ => break,
                }
                words = &words[1..];
            }
            condition = in_condition || (condition && command.before == Joiner::Condition);
            let words = program_words(words);
            if words.is_empty() {
                continue;
            }
            // `{ a; b; } || exit 1`, `fi && x`: the closed block's status is its last
            // command's, handled.
            if let [closer] = words {
                if matches!(closer.value.as_str(), "}" | "fi" | "done" | "esac") {
                    if command.after == Joiner::Condition {
                        if let Some(last) = self.commands.last_mut().filter(|c| c.shell == shell) {
                            last.guarded = true;
                        }
                    }
                    continue;
                }
            }
            // Its status is handled when a `&&`/`||` list goes on from it; the last
            // command of a list is as unguarded as any other.
            let guarded = condition || command.after == Joiner::Condition;
            let index = self.commands.len();
            self.commands.push(Command {
                shell,
                words: words.to_vec(),
                span: command.span,
                guarded,
                cwd,
                container,
            });
            let command_ref = &self.commands[index];
            if command_ref.program() == "cd" {
                cwd = Some(index);
            }
            if command_ref.program() == "set" && sets_errexit(&command_ref.words[1..]) {
                let at = command_ref.span;
                let shell = &mut self.shells[shell];
                shell.errexit.get_or_insert(at);
            }
            if depth < MAX_DEPTH {
                self.read_inner(text, index, &command.heredocs, container, depth);
            }
        }
    }

    /// The shells and container commands a command starts.
    fn read_inner(
        &mut self,
        text: &str,
        index: usize,
        heredocs: &[HereDoc],
        container: Option<usize>,
        depth: usize,
    ) {
        let command = &self.commands[index];
        let body = heredocs.first().map(|d| d.body.range());
        if let Some(ssh) = command.ssh() {
            let remote: Option<std::ops::Range<usize>> = match ssh.command_at {
                Some(at) => words_text(&command.words[at..]),
                None => body.clone(),
            };
            let errexit = ssh
                .command_at
                .filter(|_| body.is_some())
                .and_then(|at| shell_flag_errexit(&command.words[at..]));
            // A remote `bash -s` reading the here-document runs its commands too.
            let range = match (ssh.command_at, &body) {
                (Some(at), Some(body)) if is_shell_reading_stdin(&command.words[at..]) => {
                    Some(body.clone())
                }
                _ => remote,
            };
            if let Some(range) = range {
                self.read_shell(text, range, Origin::Ssh(index), errexit, None, depth + 1);
            }
            return;
        }
        let (inner_at, runs_in) = match (command.compose(), command.docker_exec()) {
            (Some(call), _) => match call.service {
                Some(service) => (
                    command.words.iter().position(|w| std::ptr::eq(w, service)),
                    Some(index),
                ),
                None => (None, container),
            },
            (None, Some(exec)) => (
                command
                    .words
                    .iter()
                    .position(|w| std::ptr::eq(w, exec.container)),
                Some(index),
            ),
            (None, None) => (None, container),
        };
        if let Some(at) = inner_at {
            // The command after the service or container runs inside it.
            let inner: Vec<Word> = program_words(&command.words[at + 1..]).to_vec();
            if inner.is_empty() {
                return;
            }
            let span = inner[0].span.to(inner[inner.len() - 1].span);
            let shell = command.shell;
            let cwd = command.cwd;
            let inner_index = self.commands.len();
            self.commands.push(Command {
                shell,
                words: inner,
                span,
                guarded: self.commands[index].guarded,
                cwd,
                container: runs_in,
            });
            self.read_inner(text, inner_index, heredocs, runs_in, depth + 1);
            return;
        }
        // `bash -c '…'`, `sh -s << EOF`.
        if !matches!(command.program(), "bash" | "sh" | "dash") {
            return;
        }
        let args = &command.words[1..];
        let errexit = shell_flag_errexit(&command.words);
        let c_at = args.iter().position(|w| is_short_flag(w, 'c'));
        let range = match c_at {
            Some(at) => args
                .get(at + 1)
                .and_then(|w| w.inner.or(Some(w.span)))
                .map(|s| s.range()),
            None if args.iter().all(|w| w.value.starts_with('-')) => body,
            None => None,
        };
        if let Some(range) = range {
            self.read_shell(
                text,
                range,
                Origin::Inline(index),
                errexit,
                runs_in,
                depth + 1,
            );
        }
    }

    /// Whether `set -e` is in effect in a shell before `offset`.
    pub fn errexit_before(&self, shell: usize, offset: usize) -> bool {
        self.shells[shell]
            .errexit
            .is_some_and(|at| at.start() <= offset)
    }
}

impl Command {
    /// The program's name without its directory (`/usr/bin/pg_dump` → `pg_dump`).
    pub fn program(&self) -> &str {
        let first = self.words.first().map_or("", |w| w.value.as_str());
        first.rsplit('/').next().unwrap_or(first)
    }

    fn arg(&self, i: usize) -> Option<&str> {
        self.words.get(i).map(|w| w.value.as_str())
    }

    /// `docker compose …` or `docker-compose …`.
    pub fn compose(&self) -> Option<ComposeCall<'_>> {
        let (legacy, from) = match (self.program(), self.arg(1)) {
            ("docker-compose", _) => (true, 1),
            ("docker", Some("compose")) => (false, 2),
            _ => return None,
        };
        let mut call = ComposeCall {
            legacy,
            files: Vec::new(),
            project_name: None,
            project_dir: None,
            subcommand: None,
            service: None,
        };
        let words = &self.words;
        let mut i = from;
        // Global options.
        while let Some(word) = words.get(i) {
            let value = word.value.as_str();
            if !value.starts_with('-') {
                break;
            }
            let (name, inline) = split_long(value);
            let takes = matches!(
                name,
                "-f" | "--file"
                    | "-p"
                    | "--project-name"
                    | "--project-directory"
                    | "--env-file"
                    | "--profile"
                    | "--ansi"
                    | "--progress"
                    | "--parallel"
                    | "-H"
                    | "--host"
                    | "--context"
                    | "-c"
                    | "--log-level"
            );
            let flag = matches!(
                name,
                "--compatibility"
                    | "--dry-run"
                    | "--all-resources"
                    | "--verbose"
                    | "--no-ansi"
                    | "--tls"
                    | "--tlsverify"
            );
            if !takes && !flag {
                return Some(call);
            }
            let arg = if !takes {
                None
            } else if inline.is_some() {
                Some(word)
            } else {
                i += 1;
                words.get(i)
            };
            match name {
                "-f" | "--file" => call.files.extend(arg),
                "-p" | "--project-name" => call.project_name = arg,
                "--project-directory" => call.project_dir = arg,
                _ => {}
            }
            i += 1;
        }
        call.subcommand = words.get(i);
        let sub = call.subcommand.map(|w| w.value.as_str());
        if !matches!(sub, Some("exec" | "run")) {
            return Some(call);
        }
        i += 1;
        while let Some(word) = words.get(i) {
            let value = word.value.as_str();
            if !value.starts_with('-') || value == "-" {
                call.service = Some(word).filter(|w| !w.dynamic && !w.value.is_empty());
                break;
            }
            if value == "--" {
                i += 1;
                continue;
            }
            let (name, inline) = split_long(value);
            let takes = matches!(
                name,
                "-e" | "--env"
                    | "-u"
                    | "--user"
                    | "-w"
                    | "--workdir"
                    | "--index"
                    | "-v"
                    | "--volume"
                    | "-p"
                    | "--publish"
                    | "--name"
                    | "--entrypoint"
                    | "-l"
                    | "--label"
                    | "--cap-add"
                    | "--cap-drop"
                    | "--env-from-file"
                    | "--pull"
            );
            let flag = matches!(
                name,
                "-d" | "--detach"
                    | "-T"
                    | "--no-TTY"
                    | "--no-tty"
                    | "-i"
                    | "--interactive"
                    | "-t"
                    | "--tty"
                    | "-it"
                    | "-ti"
                    | "--privileged"
                    | "--rm"
                    | "--no-deps"
                    | "--service-ports"
                    | "--use-aliases"
                    | "--build"
                    | "--remove-orphans"
                    | "--quiet-pull"
                    | "-P"
            ) || is_short_flags(value, "dTit");
            if takes && inline.is_none() {
                i += 2;
            } else if takes || flag {
                i += 1;
            } else {
                // An option ipai does not know may take a value: the service is unsure.
                return Some(call);
            }
        }
        Some(call)
    }

    /// `docker exec …` or `docker container exec …`.
    pub fn docker_exec(&self) -> Option<DockerExec<'_>> {
        let from = match (self.program(), self.arg(1), self.arg(2)) {
            ("docker", Some("exec"), _) => 2,
            ("docker", Some("container"), Some("exec")) => 3,
            _ => return None,
        };
        let mut i = from;
        while let Some(word) = self.words.get(i) {
            let value = word.value.as_str();
            if !value.starts_with('-') {
                return Some(DockerExec { container: word }).filter(|_| !word.dynamic);
            }
            let (name, inline) = split_long(value);
            let takes = matches!(
                name,
                "-e" | "--env"
                    | "--env-file"
                    | "-u"
                    | "--user"
                    | "-w"
                    | "--workdir"
                    | "--detach-keys"
            );
            let flag = matches!(
                name,
                "--privileged" | "--detach" | "--interactive" | "--tty"
            ) || is_short_flags(value, "dit");
            if takes && inline.is_none() {
                i += 2;
            } else if takes || flag {
                i += 1;
            } else {
                return None;
            }
        }
        None
    }

    /// `odoo … -d DB -u MODULES` and its spellings.
    pub fn odoo(&self) -> Option<OdooCall<'_>> {
        let program = self.program();
        let from = match program {
            "odoo" | "odoo-bin" | "odoo-server" | "openerp-server" | "odoo.py" => 1,
            p if p.starts_with("python")
                && self.arg(1).is_some_and(|a| {
                    let base = a.rsplit('/').next().unwrap_or(a);
                    matches!(base, "odoo-bin" | "odoo" | "odoo.py" | "openerp-server")
                }) =>
            {
                2
            }
            _ => return None,
        };
        let mut call = OdooCall::default();
        let words = &self.words;
        let mut i = from;
        while let Some(word) = words.get(i) {
            let (name, inline) = split_long(&word.value);
            let slot = match name {
                "-d" | "--database" => Some(&mut call.database),
                "-u" | "--update" => Some(&mut call.update),
                "-i" | "--init" => Some(&mut call.install),
                _ => None,
            };
            if let Some(slot) = slot {
                if inline.is_some() {
                    *slot = Some(word);
                } else {
                    i += 1;
                    *slot = words.get(i);
                }
            }
            i += 1;
        }
        Some(call)
    }

    /// `pg_dump`, `pg_dumpall`, `pg_restore` or `psql` and its connection options.
    pub fn pg_client(&self) -> Option<PgCall<'_>> {
        let program = self.program();
        // Short options that take a value, per program; the rest are flags.
        let takes: &str = match program {
            "pg_dump" => "dfFhjnNpStTUZE",
            "pg_dumpall" => "dfhlpSU",
            "pg_restore" => "dfFhIjLnNpPStTU",
            "psql" => "cdfhLopPRTUvF",
            _ => return None,
        };
        let program: &str = match program {
            "pg_dump" => "pg_dump",
            "pg_dumpall" => "pg_dumpall",
            "pg_restore" => "pg_restore",
            _ => "psql",
        };
        const LONG_TAKES: [&str; 22] = [
            "--dbname",
            "--file",
            "--format",
            "--host",
            "--jobs",
            "--schema",
            "--exclude-schema",
            "--port",
            "--superuser",
            "--table",
            "--exclude-table",
            "--username",
            "--compress",
            "--encoding",
            "--command",
            "--output",
            "--variable",
            "--set",
            "--log-file",
            "--pset",
            "--lock-wait-timeout",
            "--role",
        ];
        let mut call = PgCall {
            program,
            database: None,
            user: None,
            host: None,
        };
        let mut operands = Vec::new();
        let words = &self.words;
        let mut i = 1;
        while let Some(word) = words.get(i) {
            let value = word.value.as_str();
            if value.starts_with("--") {
                let (name, inline) = split_long(value);
                let arg = if inline.is_some() {
                    Some(word)
                } else if LONG_TAKES.contains(&name) {
                    i += 1;
                    words.get(i)
                } else {
                    None
                };
                match name {
                    "--dbname" => call.database = arg,
                    "--username" => call.user = arg,
                    "--host" => call.host = arg,
                    _ => {}
                }
            } else if let Some(short) = value.strip_prefix('-').filter(|s| !s.is_empty()) {
                let letter = short.chars().next().unwrap_or('-');
                if takes.contains(letter) {
                    // `-Uodoo` keeps its value in the same word.
                    let arg = if short.len() > letter.len_utf8() {
                        Some(word)
                    } else {
                        i += 1;
                        words.get(i)
                    };
                    match letter {
                        'd' if program != "pg_dumpall" => call.database = arg,
                        'l' if program == "pg_dumpall" => call.database = arg,
                        'U' => call.user = arg,
                        'h' => call.host = arg,
                        _ => {}
                    }
                }
            } else {
                operands.push(word);
            }
            i += 1;
        }
        if call.database.is_none() && program != "pg_dumpall" {
            call.database = operands.first().copied();
        }
        Some(call)
    }

    /// The URLs `curl` or `wget` fetches.
    pub fn urls(&self) -> impl Iterator<Item = &Word> {
        let fetches = matches!(self.program(), "curl" | "wget");
        self.words.iter().skip(1).filter(move |w| {
            fetches && (w.value.starts_with("http://") || w.value.starts_with("https://"))
        })
    }

    /// `ssh [opts] [user@]host [command…]`.
    pub fn ssh(&self) -> Option<SshCall<'_>> {
        if self.program() != "ssh" {
            return None;
        }
        let mut i = 1;
        while let Some(word) = self.words.get(i) {
            let value = word.value.as_str();
            if !value.starts_with('-') {
                let (user, host) = match value.rsplit_once('@') {
                    Some((user, host)) => (Some(user), host),
                    None => (None, value),
                };
                let command_at = (i + 1 < self.words.len()).then_some(i + 1);
                return Some(SshCall {
                    target: word,
                    user,
                    host,
                    command_at,
                });
            }
            // Options that take a value, written apart (`-p 22`) or together (`-p22`).
            let letter = value[1..].chars().last().unwrap_or('-');
            if "BbcDEeFIiJLlmOoPpQRSWw".contains(letter) && value.len() == 2 {
                i += 1;
            }
            i += 1;
        }
        None
    }

    /// The directory of `cd DIR`.
    pub fn cd_dir(&self) -> Option<&Word> {
        (self.program() == "cd")
            .then(|| self.words.get(1))
            .flatten()
            .filter(|w| w.value != "-" && !w.value.starts_with('-'))
    }
}

/// The words from the program on: assignments and command wrappers dropped.
fn program_words(mut words: &[Word]) -> &[Word] {
    loop {
        let Some(first) = words.first() else {
            return words;
        };
        let value = first.value.as_str();
        let assignment = value.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
        });
        if assignment && !first.value.starts_with('-') {
            words = &words[1..];
            continue;
        }
        match value {
            "sudo" | "env" | "exec" | "nohup" | "command" | "time" | "nice" => {
                words = &words[1..];
                // Their options: `sudo -u odoo`, `env -i`, `nice -n 10`.
                while let Some(option) = words.first().filter(|w| w.value.starts_with('-')) {
                    let takes = matches!(
                        (value, option.value.as_str()),
                        (
                            "sudo",
                            "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                        ) | ("nice", "-n")
                            | ("env", "-u" | "-C" | "-S")
                    );
                    words = &words[if takes { 2.min(words.len()) } else { 1 }..];
                }
            }
            _ => return words,
        }
    }
}

/// `--name=value` as (`--name`, `Some("value")`); anything else as itself.
fn split_long(value: &str) -> (&str, Option<&str>) {
    match value.split_once('=') {
        Some((name, inline)) if name.starts_with("--") => (name, Some(inline)),
        _ => (value, None),
    }
}

/// `-T`, `-dT`: short flags all among `letters`.
fn is_short_flags(value: &str, letters: &str) -> bool {
    value.strip_prefix('-').is_some_and(|f| {
        !f.is_empty() && !f.starts_with('-') && f.chars().all(|c| letters.contains(c))
    })
}

/// `-c`, or a short flag group holding `c` (`-ec`).
fn is_short_flag(word: &Word, letter: char) -> bool {
    word.value
        .strip_prefix('-')
        .is_some_and(|f| !f.starts_with('-') && f.contains(letter))
}

/// `set -e`, `set -euo pipefail`, `set -o errexit`.
fn sets_errexit(args: &[Word]) -> bool {
    args.iter().enumerate().any(|(i, w)| {
        let v = w.value.as_str();
        (v.starts_with('-') && !v.starts_with("--") && v[1..].contains('e'))
            || (v == "-o" && args.get(i + 1).is_some_and(|n| n.value == "errexit"))
    })
}

/// `bash -e`, `sh -eu`, `bash -o errexit` among a shell's words: where it is.
fn shell_flag_errexit(words: &[Word]) -> Option<Span> {
    // `ssh host 'bash -se'` writes the shell and its flags as one quoted word.
    if let [only] = words {
        let parts: Vec<&str> = only.value.split_whitespace().collect();
        let shell = parts.first().is_some_and(|p| is_shell(p));
        let flagged = parts[1.min(parts.len())..]
            .iter()
            .any(|p| p.starts_with('-') && !p.starts_with("--") && p[1..].contains('e'));
        return (shell && flagged).then_some(only.span);
    }
    let first = words.first()?;
    if !is_shell(&first.value) {
        return None;
    }
    sets_errexit(&words[1..]).then_some(first.span)
}

fn is_shell(program: &str) -> bool {
    matches!(program.rsplit('/').next(), Some("bash" | "sh" | "dash"))
}

/// `bash -s`, `sh`, `'bash -se'`: a shell that reads its commands from standard input.
fn is_shell_reading_stdin(words: &[Word]) -> bool {
    let parts: Vec<&str> = words
        .iter()
        .flat_map(|w| w.value.split_whitespace())
        .collect();
    parts.first().is_some_and(|p| is_shell(p)) && !parts.contains(&"-c")
}

/// `#!/bin/bash -e`, `#!/usr/bin/env -S bash -eu`: the shebang's span when it sets errexit.
fn shebang_errexit(text: &str) -> Option<Span> {
    let line = text.lines().next()?.trim_end_matches('\r');
    let rest = line.strip_prefix("#!")?;
    let flagged = rest.split_whitespace().skip(1).any(|p| {
        p.starts_with('-')
            && !p.starts_with("--")
            && p.len() > 1
            && p[1..].contains('e')
            && p != "-S"
    });
    flagged.then(|| Span::new(0, line.len()))
}

/// The text the words span, as a range.
fn words_text(words: &[Word]) -> Option<std::ops::Range<usize>> {
    match words {
        [] => None,
        [only] => Some(only.inner.unwrap_or(only.span).range()),
        [first, .., last] => Some(first.span.start()..last.span.end()),
    }
}

/// Whether a file's first line is a `sh` or `bash` shebang (`#!/bin/bash`,
/// `#!/usr/bin/env bash`).
pub fn has_shell_shebang(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(rest) = head.strip_prefix(b"#!") else {
        return false;
    };
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    let Some(interpreter) = parts.next() else {
        return false;
    };
    let program = match interpreter.rsplit('/').next() {
        Some("env") => parts.find(|p| !p.starts_with('-')).unwrap_or(""),
        Some(other) => other,
        None => "",
    };
    matches!(program, "sh" | "bash" | "dash")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> (SourceFile, Script) {
        let source = SourceFile::from_text("s.sh", text);
        let script = parse(&source);
        (source, script)
    }

    #[test]
    fn sees_commands_inside_an_ssh_heredoc_and_a_container() {
        let (source, script) = script(
            "#!/bin/bash\nssh root@178.128.112.214 << 'EOF'\nBACKUP_DIR=/x\ncd /opt/odoo-ce/repo\ndocker compose exec postgres pg_dump -U odoo odoo > \"$BACKUP_DIR/x.sql\"\nEOF\n",
        );
        assert_eq!(script.shells.len(), 2);
        let ssh = script.commands[0].ssh().unwrap();
        assert_eq!((ssh.user, ssh.host), (Some("root"), "178.128.112.214"));
        let dump = script
            .commands
            .iter()
            .find(|c| c.program() == "pg_dump")
            .unwrap();
        assert_eq!(script.shells[dump.shell].origin, Origin::Ssh(0));
        let pg = dump.pg_client().unwrap();
        assert_eq!(pg.database.unwrap().value, "odoo");
        assert_eq!(pg.user.unwrap().value, "odoo");
        let exec = &script.commands[dump.container.unwrap()];
        let call = exec.compose().unwrap();
        assert_eq!(source.slice(call.service.unwrap().span), "postgres");
        let cd = &script.commands[exec.cwd.unwrap()];
        assert_eq!(cd.cd_dir().unwrap().value, "/opt/odoo-ce/repo");
        assert!(script.shells[0].errexit.is_none() && script.shells[1].errexit.is_none());
    }

    #[test]
    fn reads_ssh_strings_options_and_errexit() {
        let (_, script) = script(
            "set -euo pipefail\nssh -p 22 deploy@erp.example.com \"cd /srv && docker-compose -f a.yml -f b.yml exec -T odoo odoo -d prod -u sale,stock --stop-after-init\"\ncurl -fsS https://erp.example.com/web/health\n",
        );
        assert!(script.shells[0].errexit.is_some());
        let odoo = script.commands.iter().find_map(Command::odoo).unwrap();
        assert_eq!(odoo.database.unwrap().value, "prod");
        assert_eq!(odoo.update.unwrap().value, "sale,stock");
        let compose = script.commands.iter().find_map(Command::compose).unwrap();
        assert!(compose.legacy);
        assert_eq!(compose.files.len(), 2);
        assert_eq!(compose.service.unwrap().value, "odoo");
        let cd = script
            .commands
            .iter()
            .find(|c| c.program() == "cd")
            .unwrap();
        assert!(cd.guarded);
        let url = script
            .commands
            .iter()
            .flat_map(Command::urls)
            .next()
            .unwrap();
        assert_eq!(url.value, "https://erp.example.com/web/health");
        assert!(has_shell_shebang(b"#!/usr/bin/env bash\n"));
        assert!(!has_shell_shebang(b"#!/usr/bin/env python3\n"));
        assert!(shebang_errexit("#!/bin/bash -e\n").is_some());
    }

    #[test]
    fn a_status_is_handled_by_a_list_that_goes_on_from_it_or_a_handled_group() {
        let (_, script) = script(
            "cd /x && git pull\n( git fetch ) || exit 1\n{ git reset --hard; } || exit 1\nif git diff --quiet; then docker compose up -d; fi\n",
        );
        let guarded: Vec<(&str, bool)> = script
            .commands
            .iter()
            .map(|c| (c.words.last().map_or("", |w| w.value.as_str()), c.guarded))
            .collect();
        assert_eq!(
            guarded,
            vec![
                ("/x", true),
                ("pull", false),
                ("fetch", true),
                ("1", false),
                ("--hard", true),
                ("1", false),
                ("--quiet", true),
                ("-d", false),
            ]
        );
    }

    #[test]
    fn an_unknown_option_makes_the_service_unsure() {
        let (_, script) =
            script("docker compose exec --weird x odoo ls\ndocker exec -it odoo-prod bash\n");
        assert!(script.commands[0].compose().unwrap().service.is_none());
        assert_eq!(
            script.commands[1].docker_exec().unwrap().container.value,
            "odoo-prod"
        );
    }
}
