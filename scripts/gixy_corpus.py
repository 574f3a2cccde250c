#!/usr/bin/env python3
"""Runs ipai-lint on gixy-next's plugin test configurations and reports, per plugin, which
ipai rule claims it (its `peers` in `ipai-lint rules --format json`), how many of the
plugin's positive configurations a claiming rule flags and how many of its `*_fp.conf`
configurations stay silent.

    python3 scripts/gixy_corpus.py target/debug/ipai-lint [--plugin NAME ...] [--all]

The corpus is gixy-next's own sdist (`gixy-next==0.9.0`), downloaded with pip into a cache
outside the repo (`${XDG_CACHE_HOME:-~/.cache}/ipai/gixy-next-0.9.0`, or `--cache DIR`); it
is never copied into the repo.

Each configuration is linted as its own repo: written as `nginx.conf` into a temporary
directory. gixy's tests are often bare snippets (`location /files { alias /home/; }`,
`add_header ...;`) that gixy reads as the content of a server: a snippet with no `http`,
`server`, `events` or `stream` block and no main-context directive is wrapped in
`server { }` so that ipai judges it as a server's content, as gixy does.

An `nginx -T` dump (`# configuration file PATH:` before each file) is split into its files.
A configuration whose first line sets plugin options (`# Options: {...}`) is tested with
options ipai has no counterpart for; it is counted apart, as "with options", and does not
decide the outcome.

Exit status: 0 when every claimed plugin's positive configurations are flagged by a rule
claiming it and none of its `_fp` configurations is; 1 otherwise; 2 when the corpus or the
binary cannot be had.
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

VERSION = "0.9.0"
PACKAGE = f"gixy-next=={VERSION}"

# Directives of nginx's main context: a snippet that has one is a whole nginx.conf.
MAIN_CONTEXT = {
    "http",
    "server",
    "events",
    "stream",
    "mail",
    "user",
    "pid",
    "load_module",
    "worker_processes",
    "worker_rlimit_nofile",
    "worker_connections",
    "worker_cpu_affinity",
    "worker_priority",
    "worker_shutdown_timeout",
    "thread_pool",
    "pcre_jit",
    "daemon",
    "master_process",
    "env",
}


def unavailable(message):
    """The corpus or the binary cannot be had: exit 2, apart from a failed comparison."""
    print(message, file=sys.stderr)
    sys.exit(2)


def cache_dir(given):
    if given:
        return pathlib.Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "ipai" / f"gixy-next-{VERSION}"


def corpus(cache):
    """The `tests/plugins/simply` folder of the sdist, downloaded and unpacked on first use."""
    simply = cache / f"gixy_next-{VERSION}" / "tests" / "plugins" / "simply"
    if simply.is_dir():
        return simply
    cache.mkdir(parents=True, exist_ok=True)
    download = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "--quiet", PACKAGE, "-d", str(cache),
    ]
    done = subprocess.run(download, capture_output=True, text=True)
    if done.returncode != 0:
        unavailable(f"gixy_corpus: pip download {PACKAGE} failed:\n{done.stderr.strip()}")
    archives = sorted(cache.glob(f"gixy_next-{VERSION}.tar.gz")) + sorted(
        cache.glob(f"gixy-next-{VERSION}.tar.gz")
    )
    if not archives:
        unavailable(f"gixy_corpus: no sdist of {PACKAGE} in {cache}")
    with tarfile.open(archives[0]) as archive:
        members = [
            m for m in archive.getmembers()
            if (m.isfile() or m.isdir())
            and not m.name.startswith("/")
            and ".." not in pathlib.PurePosixPath(m.name).parts
        ]
        archive.extractall(cache, members=members)
    if not simply.is_dir():
        unavailable(f"gixy_corpus: the sdist has no tests/plugins/simply under {cache}")
    return simply


TOKEN = re.compile(r"""#[^\n]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[{};]|[^\s{};#"']+""")


def top_level_names(text):
    """The names of the top-level directives of an nginx configuration."""
    names, depth, at_start = [], 0, True
    for match in TOKEN.finditer(text):
        token = match.group(0)
        if token.startswith("#"):
            continue
        if token == "{":
            depth += 1
            at_start = True
        elif token == "}":
            depth = max(depth - 1, 0)
            at_start = True
        elif token == ";":
            at_start = True
        else:
            if at_start and depth == 0:
                names.append(token)
            at_start = False
    return names


def as_repo_file(text):
    """The configuration as ipai should read it: snippets wrapped in a server."""
    if any(name in MAIN_CONTEXT for name in top_level_names(text)):
        return text
    return "server {\n" + text + "\n}\n"


DUMP_HEADER = re.compile(r"^# configuration file (.+):[ \t]*$", re.M)


def repo_files(text):
    """The files of the repo a configuration makes: `nginx.conf`, and for an `nginx -T`
    dump (`# configuration file PATH:` before each file) every other file at its path under
    the repo, the `include`s of it rewritten to that path."""
    headers = list(DUMP_HEADER.finditer(text))
    if not headers or text[: headers[0].start()].strip():
        return {"nginx.conf": as_repo_file(text)}
    files = {}
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        files[header.group(1).strip()] = text[header.end():end]
    paths = list(files)
    names = {paths[0]: "nginx.conf"}
    for path in paths[1:]:
        names[path] = path.lstrip("/").replace("..", "_")
    out = {}
    for path, body in files.items():
        for other, name in names.items():
            body = re.sub(r"(\binclude\s+)" + re.escape(other) + r"(\s*;)", r"\g<1>" + name + r"\2", body)
        out[names[path]] = as_repo_file(body) if path == paths[0] else body
    return out


def peers(binary):
    done = subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True)
    if done.returncode != 0:
        unavailable(f"gixy_corpus: {binary} rules --format json failed:\n{done.stderr}")
    claims = {}
    for rule in json.loads(done.stdout):
        for peer in rule.get("peers", []):
            tool, _, plugin = peer.partition("/")
            if tool == "gixy-next":
                claims.setdefault(plugin, []).append(rule["code"])
    return claims


def lint(binary, config):
    """The rule codes ipai-lint reports on one configuration, linted as its own repo."""
    with tempfile.TemporaryDirectory(prefix="ipai-gixy-") as repo:
        text = config.read_text(encoding="utf-8", errors="replace")
        for name, body in repo_files(text).items():
            path = pathlib.Path(repo, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        done = subprocess.run(
            [binary, "--root", repo, "--format", "json", "--fail-on", "error", repo],
            capture_output=True, text=True,
        )
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            unavailable(
                f"gixy_corpus: no JSON report for {config} (exit {done.returncode}):\n{done.stderr}"
            )
        return {f["rule"] for f in report.get("findings", [])}


def has_options(config):
    with open(config, encoding="utf-8", errors="replace") as f:
        return f.readline().startswith(("# Options:", "// Options:"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the ipai-lint binary")
    parser.add_argument("--cache", help="where the sdist is downloaded and unpacked")
    parser.add_argument("--plugin", action="append", help="only this plugin (repeatable)")
    parser.add_argument("--all", action="store_true", help="also lint the unclaimed plugins' configs")
    parser.add_argument("--verbose", action="store_true", help="name every config that fails")
    args = parser.parse_args()

    binary = shutil.which(args.binary) or args.binary
    if not os.access(binary, os.X_OK):
        unavailable(f"gixy_corpus: {args.binary} is not an executable")
    simply = corpus(cache_dir(args.cache))
    claims = peers(binary)
    plugins = sorted(p.name for p in simply.iterdir() if p.is_dir())
    if args.plugin:
        plugins = [p for p in plugins if p in args.plugin]

    jobs = {}
    for plugin in plugins:
        if plugin not in claims and not args.all:
            continue
        for config in sorted((simply / plugin).glob("*.conf")):
            jobs[(plugin, config.name)] = config
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        fired = dict(zip(jobs, pool.map(lambda c: lint(binary, c), jobs.values())))

    rows, failures = [], []
    totals = [0, 0, 0, 0]
    for plugin in plugins:
        configs = sorted((simply / plugin).glob("*.conf"))
        codes = claims.get(plugin, [])
        if not codes and not args.all:
            positives = sum(not c.name.endswith("_fp.conf") for c in configs)
            rows.append((plugin, "", f"- / {positives}", f"- / {len(configs) - positives}", ""))
            continue
        flagged = positives = silent = fps = 0
        optioned = []
        for config in configs:
            codes_fired = fired[(plugin, config.name)]
            hit = bool(codes_fired & set(codes))
            if has_options(config):
                optioned.append(f"{config.name}: {'flagged' if hit else 'silent'}")
                continue
            if config.name.endswith("_fp.conf"):
                fps += 1
                silent += not hit
                if hit and codes:
                    failures.append(f"{plugin}/{config.name}: _fp flagged by {', '.join(sorted(codes_fired & set(codes)))}")
            else:
                positives += 1
                flagged += hit
                if not hit and codes:
                    failures.append(f"{plugin}/{config.name}: positive missed")
        if codes:
            totals = [totals[0] + flagged, totals[1] + positives, totals[2] + silent, totals[3] + fps]
        note = f"{len(optioned)} with plugin options not counted" if optioned else ""
        rows.append((plugin, ", ".join(codes), f"{flagged} / {positives}", f"{silent} / {fps}", note))

    print(f"gixy-next {VERSION} plugin configs linted by ipai-lint\n")
    print("| plugin | claimed by | positives flagged | _fp silent | note |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    claimed = sum(1 for p in plugins if p in claims)
    print(
        f"\n{claimed} of {len(plugins)} plugins claimed; claimed positives flagged "
        f"{totals[0]} / {totals[1]}, claimed _fp silent {totals[2]} / {totals[3]}"
    )
    if failures:
        print(f"\n{len(failures)} failures:")
        for failure in failures:
            print(f"- {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
