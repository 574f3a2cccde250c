//! The parser against the real thing: Debian's nginx (`nginx -t`, 1.22.1 on bookworm), run
//! through tests/validators/nginx-t.sh (the unprivileged recipe of research/nginx.md §5).
//!
//! - Every fixture in fixtures/parsers/nginx/valid/ is accepted by both.
//! - Every fixture in fixtures/parsers/nginx/invalid/ is rejected by both, and when nginx's
//!   first error is one its tokenizer or include code raises, ipai's first error has the
//!   same message on the same line.
//! - The 4096-byte `too long parameter` boundaries, and a few hundred generated token soups,
//!   get the same verdict from both.
//!
//! Without nginx the test prints a notice and passes, except in CI (`CI` set), where it
//! fails. Lua fixtures also need the lua module (Debian: libnginx-mod-http-lua).

use std::path::{Path, PathBuf};
use std::process::Command;

use ipai::formats::nginx::{Config, Loader};
use ipai::formats::SyntaxError;
use ipai::source::SourceFile;

const LUA_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_lua_module.so";

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validators/nginx-t.sh")
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/parsers/nginx")
        .join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "conf"))
        .collect();
    paths.sort();
    paths
}

/// Whether a tool can run here; in CI a missing tool fails the test.
fn available(what: &str, present: bool) -> bool {
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is required in CI but is not installed"
        );
        eprintln!("notice: {what} is not installed; skipping the nginx differential checks");
    }
    present
}

fn nginx_installed() -> bool {
    Command::new("nginx")
        .arg("-v")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn uses_lua(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.windows(7).any(|w| w == b"_by_lua"))
}

/// nginx's verdict on a site file.
#[derive(Debug)]
struct Verdict {
    accepted: bool,
    /// The first `[emerg]` message, its file and line.
    first_error: Option<(String, String, usize)>,
    output: String,
}

fn nginx_t(site: &Path) -> Verdict {
    let out = Command::new("sh")
        .arg(script())
        .arg(site)
        .output()
        .expect("run nginx-t.sh");
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let first_error = output.lines().find_map(parse_emerg);
    Verdict {
        accepted: out.status.success(),
        first_error,
        output,
    }
}

/// `2026/11/25 21:36:23 [emerg] 31645#31645: unexpected "}" in /x/site.conf:9`
fn parse_emerg(line: &str) -> Option<(String, String, usize)> {
    let rest = line.split_once("[emerg] ")?.1;
    let rest = match rest.split_once(": ") {
        Some((pid, message)) if pid.contains('#') => message,
        _ => rest,
    };
    let (message, location) = rest.rsplit_once(" in ")?;
    let (file, line) = location.rsplit_once(':')?;
    Some((
        message.to_owned(),
        file.to_owned(),
        line.trim().parse().ok()?,
    ))
}

/// Messages nginx's tokenizer, block parser and include code raise; a first error with
/// any other message comes from a directive handler, which ipai does not emulate.
fn is_syntax_message(message: &str) -> bool {
    [
        "unexpected ",
        "too long parameter",
        "open() ",
        "Lua code block",
    ]
    .iter()
    .any(|prefix| message.starts_with(prefix))
}

/// nginx prints the first byte of an unexpected character; ipai the whole character.
fn same_message(ours: &str, nginx: &str) -> bool {
    let ascii = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { c } else { '?' })
            .collect::<String>()
    };
    ascii(ours) == ascii(nginx)
}

fn load(path: &Path) -> Config {
    Loader::new().base_context(["http"]).load(path).unwrap()
}

/// ipai's first error, its file name (as nginx prints it) and 1-based line.
fn first_error(config: &Config) -> Option<(&SyntaxError, PathBuf, usize, bool)> {
    let (file, error) = config.errors().next()?;
    let line = file.source.line_col(error.span.start()).line;
    // ipai points an unterminated string at its opening quote; nginx at the end of the file.
    let at_quote = matches!(file.source.slice(error.span), "\"" | "'");
    Some((error, file.source.path.clone(), line, at_quote))
}

fn describe(config: &Config) -> String {
    config
        .errors()
        .map(|(f, e)| format!("{}: {:?}\n", f.source.name, e))
        .collect()
}

#[test]
fn valid_fixtures_are_accepted_by_ipai_and_by_nginx() {
    if !available("nginx", nginx_installed()) {
        return;
    }
    let lua = Path::new(LUA_MODULE).exists();
    let mut checked = 0;
    for path in fixtures("valid") {
        let config = load(&path);
        assert!(
            !config.has_errors(),
            "ipai rejects {}:\n{}",
            path.display(),
            describe(&config)
        );
        if uses_lua(&path) && !available("the nginx lua module (libnginx-mod-http-lua)", lua) {
            continue;
        }
        let verdict = nginx_t(&path);
        assert!(
            verdict.accepted,
            "nginx rejects {}:\n{}",
            path.display(),
            verdict.output
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} valid fixtures checked");
}

#[test]
fn invalid_fixtures_are_rejected_by_ipai_and_by_nginx_with_the_same_first_error() {
    if !available("nginx", nginx_installed()) {
        return;
    }
    let lua = Path::new(LUA_MODULE).exists();
    let mut compared = 0;
    for path in fixtures("invalid") {
        let config = load(&path);
        let Some((ours, file, line, at_quote)) = first_error(&config) else {
            panic!("ipai accepts {}", path.display());
        };
        if uses_lua(&path) && !available("the nginx lua module (libnginx-mod-http-lua)", lua) {
            continue;
        }
        let verdict = nginx_t(&path);
        assert!(
            !verdict.accepted,
            "nginx accepts {}:\n{}",
            path.display(),
            verdict.output
        );
        let Some((message, nginx_file, nginx_line)) = verdict.first_error else {
            continue;
        };
        if !is_syntax_message(&message) {
            continue;
        }
        assert_eq!(ours.message, message, "{}", path.display());
        assert_eq!(file, Path::new(&nginx_file), "{}", path.display());
        if !at_quote {
            assert_eq!(line, nginx_line, "{}: {}", path.display(), message);
        }
        compared += 1;
    }
    assert!(
        compared >= 10,
        "only {compared} invalid fixtures compared by message"
    );
}

/// A directory for generated files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("ipai-nginx-diff-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `text` as a site file, and returns ipai's and nginx's first errors.
fn both(dir: &Path, text: &str) -> (Config, Verdict) {
    let path = dir.join("site.conf");
    std::fs::write(&path, text).unwrap();
    (load(&path), nginx_t(&path))
}

/// Asserts ipai agrees with nginx on `text`: accepted by both; or the same first syntax
/// error; or, when nginx stops first at a directive handler, no earlier ipai error.
fn assert_agrees(dir: &Path, text: &str) {
    let (config, verdict) = both(dir, text);
    let ours = first_error(&config);
    if verdict.accepted {
        assert!(
            ours.is_none(),
            "nginx accepts, ipai rejects:\n{text}\n{}",
            describe(&config)
        );
        return;
    }
    let Some((message, _, nginx_line)) = verdict.first_error else {
        panic!(
            "nginx failed without an [emerg] line:\n{text}\n{}",
            verdict.output
        );
    };
    // Inside `types { }`, a `{` is refused by the handler with a tokenizer-like message.
    if is_syntax_message(&message) && message != "unexpected \"{\"" {
        let Some((ours, _, line, at_quote)) = ours else {
            panic!("nginx rejects ({message}), ipai accepts:\n{text}");
        };
        assert!(
            same_message(&ours.message, &message),
            "{:?} != {message:?}\n{text}",
            ours.message
        );
        if !at_quote {
            assert_eq!(line, nginx_line, "{message}\n{text}");
        }
    } else if let Some((ours, _, line, at_quote)) = ours {
        assert!(
            at_quote || line >= nginx_line,
            "ipai reports {:?} on line {line}, before nginx's \"{message}\" on line {nginx_line}:\n{text}",
            ours.message
        );
    }
}

#[test]
fn too_long_parameter_boundaries_agree_with_nginx() {
    if !available("nginx", nginx_installed()) {
        return;
    }
    let dir = Scratch::new("long");
    let word = |n: usize| "a".repeat(n);
    for n in [4094, 4095, 4096] {
        for text in [
            format!("types {{ x {} ; }}\n", word(n)),
            format!("types {{ x {}; }}\n", word(n)),
            format!("types {{ x \"{}\" ; }}\n", word(n)),
            format!("types {{ x \"{}\"; }}\n", word(n)),
            format!("types {{ x '{}'}}\n", word(n)),
            format!("#{}\ntypes {{ }}\n", word(n)),
        ] {
            assert_agrees(&dir.0, &text);
        }
    }
}

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Token soup inside `types { }`, where nginx accepts any `word...;` line, so that the
/// verdicts compare the tokenizers and not the directive handlers.
fn soup(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        "bc",
        "text/x",
        "$x",
        "${v}",
        "a$",
        "w\\ x",
        "\\\"",
        "x\\;",
        "\"q\"",
        "'s'",
        "\"a b\"",
        "'it\\'s'",
        "\"\"",
        "\"unclosed",
        "'",
        "\"",
        ";",
        ";",
        ";",
        "}",
        ")",
        "(",
        "\"x\")",
        "#c\n",
        " # c d\n",
        " ",
        " ",
        "\n",
        "\t",
        "\r\n",
        "ok}",
        "x#y",
        "\"a\"b",
        "'a'#",
        "é",
        "{",
        "${",
    ];
    let mut text = String::from("types {\n");
    for _ in 0..(rng.next() % 24) {
        text.push_str(rng.pick(PIECES));
        if !rng.next().is_multiple_of(4) {
            text.push(' ');
        }
    }
    text.push_str("\n}\n");
    text
}

#[test]
fn generated_token_soups_get_the_same_verdict() {
    if !available("nginx", nginx_installed()) {
        return;
    }
    let dir = Scratch::new("soup");
    let mut rng = Rng(0x1ce_c0ffee);
    for _ in 0..150 {
        let text = soup(&mut rng);
        assert_agrees(&dir.0, &text);
    }
}

#[test]
fn the_stack_snippet_passes_through_memory_and_nginx_alike() {
    // The same bytes, parsed from memory and checked on disk by nginx.
    if !available("nginx", nginx_installed()) {
        return;
    }
    let path = fixtures("valid")
        .into_iter()
        .find(|p| p.ends_with("stack-sample.conf"))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let config = Loader::new().load_source(SourceFile::from_text("stack-sample.conf", text));
    assert!(!config.has_errors());
    assert!(nginx_t(&path).accepted);
}
