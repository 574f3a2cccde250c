#!/usr/bin/env python3
"""Measure ipai's zone verdicts against BIND's `named-checkzone` on BIND's own test zones.

A developer's measurement, not a test: it always exits 0 (2 only on bad arguments).

Usage:
    cargo build --release --bin ipai-lint
    python3 scripts/zone_agreement.py SOURCE target/release/ipai-lint [--jobs N] [--timeout S] [--verbose]

SOURCE is either a git directory of BIND 9 (a bare mirror, e.g. one brought onto the machine
with the search tool's `fetch github:isc-projects/bind9`; never copied into this repo) or an
exported BIND source tree. The zone files under `bin/tests/system/` are exported into a
temporary directory outside the repo. `named-checkzone` (BIND 9.18, Debian `bind9-utils`)
must be on PATH.

Which files: names ending `.db`, `.db.in`, `.zone`, `.db.N`, `.db.bad`, `.db.signed`, and
`db.NAME` (not `.j2`, `.sh`, `.py`, ...). Jinja templates (`*.j2`) are not zone files until
the harness renders them and are not exported. `.db.in` files are the harness's unsigned
inputs (it copies them and appends keys); they are used as they are, unless they hold an
`@VAR@` placeholder, in which case they are skipped and counted.

The origin of each file, first that applies:
  1. `checkzone/zones/*`: the origin `checkzone/tests.sh` gives it (a literal
     `$CHECKZONE ... ORIGIN zones/FILE`, a `case` branch, else `example` for `good*`/`bad*`);
  2. a `zone "NAME" { ... file "F"; }` statement in a `named*.conf*` of the same directory
     (or an `rndc addzone` in the test's scripts) whose F (without `.signed`, `.in`) is the
     file's name (without `.in`);
  3. the file's own top: the owner of its first record if that is the SOA, else the
     `$ORIGIN` in force there, if absolute;
  4. the file's name without `.in`, `.db`, `.zone`, a `db.` prefix (`root` is the root).

BIND runs as `named-checkzone -i local ORIGIN FILE` in the file's directory of the export (so
`$INCLUDE` resolves as in the harness). ipai runs on a temporary repo holding only that file,
named `<origin>.zone`, with `$ORIGIN <origin>.` prepended (ipai takes a zone's origin from
its first `$ORIGIN`, so both tools load the file at the same origin; for BIND the line would
change nothing), plus any file the zone `$INCLUDE`s, at the same relative path:
`ipai-lint --format json --root DIR DIR`.

Verdicts per file:
  * BIND: accepts (exit 0) or rejects; a rejection is a *parse* failure when any output line
    is a syntax line by the classification of `tests/zone_differential.rs` (here also "DS
    record at top of zone", SYN008's, counts as post-load and "old style DNSSEC zone
    detected" as a warning), else a *post-load* failure (check-names, CNAME and other data,
    no NS, ...).
  * ipai: syntax-rejects (SYN004 or SYN006 on the file), load-rejects (SYN008), or accepts.

Agreement:
  * syntax: BIND parse failure <=> ipai SYN004/SYN006;
  * whole-file verdict: BIND exit != 0 <=> any of SYN004/SYN006/SYN008.
A third row also counts DNS001 (CNAME and other data, which BIND refuses at load time but
ipai reports as a DNS rule rather than a SYN verdict) as a rejection. The disagreements are
grouped by BIND's reason (or ipai's message), each with a note on why, from NOTES below;
a class without a note is new and wants reading (`--verbose` prints both tools' messages
for every disagreeing file). A last table lists the rejections both tools agree on.

A crash is an ipai exit status other than 0 or 1 (or unparsable JSON); a timeout is either
tool exceeding --timeout seconds.
"""

import argparse
import collections
import concurrent.futures
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SYSTEM = "bin/tests/system/"
CODE_EXT = (".py", ".sh", ".pl", ".c", ".h", ".j2", ".conf", ".md", ".rst", ".txt", ".key",
            ".private", ".pem", ".json", ".yaml", ".yml", ".toml", ".jnl", ".raw", ".map")
ZONE_NAME = re.compile(r"(\.db|\.db\.in|\.zone|\.db\.\d+|\.db\.bad|\.db\.signed)$")
PLACEHOLDER = re.compile(r"@[A-Z][A-Z0-9_]*@")


def is_zone_name(path):
    base = path.rsplit("/", 1)[-1]
    if base.endswith(".j2") or ".j2." in base:
        return False
    if ZONE_NAME.search(base):
        return True
    return base.startswith("db.") and not base.endswith(CODE_EXT)


# ---------------------------------------------------------------------------------------
# Export


def export(source, dest):
    """Copies bin/tests/system (all files: named.conf, $INCLUDEd files) into dest.

    Returns the number of blobs missing from the mirror."""
    git_dir = None
    if os.path.isdir(os.path.join(source, "objects")):
        git_dir = source
    elif os.path.isdir(os.path.join(source, "repo", "objects")):
        git_dir = os.path.join(source, "repo")
    elif os.path.isdir(os.path.join(source, ".git")):
        git_dir = os.path.join(source, ".git")
    if git_dir is None:
        shutil.copytree(os.path.join(source, SYSTEM), os.path.join(dest, SYSTEM), symlinks=True)
        return 0
    listing = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "HEAD", "--", SYSTEM],
        check=True, capture_output=True, text=True).stdout
    entries = []
    for line in listing.splitlines():
        meta, path = line.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind == "blob":
            entries.append((oid, path, mode == "120000"))
    batch = subprocess.Popen(["git", "--git-dir", git_dir, "cat-file", "--batch"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = 0
    for oid, path, link in entries:
        batch.stdin.write((oid + "\n").encode())
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            missing += 1
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if link:
            os.symlink(data.decode("utf-8", "replace"), target)
            continue
        with open(target, "wb") as f:
            f.write(data)
    batch.stdin.close()
    batch.wait()
    return missing


# ---------------------------------------------------------------------------------------
# Origins

CONF_ZONE = re.compile(r'zone\s+"([^"]+)"[^{]*\{(.*?)\}\s*;', re.S)
SCRIPT_ZONE = re.compile(r"""addzone\s+\S*?\\?"([^"\\]+)\\?"\s*'?\s*\{([^}]*)\}""")
CONF_FILE = re.compile(r'\bfile\s+\\?"([^"\\]+)\\?"')


def conf_origins(directory):
    """File name -> zone name, from the directory's named*.conf* files."""
    found = {}
    # named*.conf* of the server's directory, then the test's scripts, which add zones with
    # `rndc addzone 'NAME { ... file "F"; }'`.
    test_dir = os.path.dirname(directory)
    paths = [os.path.join(directory, n) for n in sorted(os.listdir(directory))
             if n.startswith("named") and ".conf" in n]
    paths += [os.path.join(d, n) for d in (directory, test_dir) for n in sorted(os.listdir(d))
              if n.endswith((".sh", ".py")) and not n.startswith("setup")]
    for path in paths:
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        script = path.endswith((".sh", ".py"))
        if not script:
            text = re.sub(r"(?m)(//|#).*$", "", text)
        for zone, body in (SCRIPT_ZONE if script else CONF_ZONE).findall(text):
            m = CONF_FILE.search(body)
            if not m:
                continue
            f = m.group(1).rsplit("/", 1)[-1]
            for variant in (f, re.sub(r"\.signed$", "", f), re.sub(r"\.(in|signed)$", "", f)):
                found.setdefault(variant, zone.rstrip(".") or ".")
    return found


def checkzone_origins(system):
    """checkzone/zones/<file> -> origin from checkzone/tests.sh's case statements."""
    found = {}
    try:
        text = open(os.path.join(system, "checkzone", "tests.sh"), encoding="utf-8").read()
    except OSError:
        return found
    for origin, name in re.findall(r"\$CHECKZONE\b[^\n]*?\s(\S+)\s+zones/(\S+)", text):
        found.setdefault(name, origin)
    for pats, origin in re.findall(
            r"^\s*((?:zones/[^\s|)]+\s*\|?\s*)+)\)\s*\n\s*\$CHECKZONE[^\n]*?(\S+)\s+\$db", text,
            re.M):
        for pat in re.findall(r"zones/([^\s|)]+)", pats):
            found.setdefault(pat, origin)
    return found


def text_origin(text):
    """The top of the zone as the file says it: its first record's owner if that record is
    the SOA, else the `$ORIGIN` in force there, if absolute."""
    current = None
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].rstrip()
        if not line.strip():
            continue
        words = line.split()
        if words[0].upper() == "$ORIGIN" and len(words) > 1:
            name = words[1]
            if name.endswith("."):
                current = name.rstrip(".") or "."
            elif current is not None:
                current = name + ("." + current if current != "." else "")
            continue
        if words[0].startswith("$"):
            continue
        if not raw[0].isspace() and "SOA" in [w.upper() for w in words[1:4]]:
            owner = words[0]
            if owner.endswith("."):
                return owner.rstrip(".") or "."
            if current is None:
                return None
            if owner == "@":
                return current
            return owner + ("." + current if current != "." else "")
        return current
    return current


def name_origin(base):
    stem = re.sub(r"\.in$", "", base)
    stem = re.sub(r"(\.db(\.\d+|\.bad|\.signed)?|\.zone)$", "", stem)
    stem = re.sub(r"^db\.", "", stem)
    return "." if stem in ("root", "") else stem


def origin_of(rel, system, text, cache, cz):
    directory = os.path.dirname(os.path.join(system, rel))
    base = rel.rsplit("/", 1)[-1]
    if rel.startswith("checkzone/zones/"):
        for pattern, origin in cz.items():
            if fnmatch.fnmatchcase(base, pattern):
                return origin, "checkzone/tests.sh"
        if base.startswith(("good", "bad")):
            return "example", "checkzone/tests.sh"
    if directory not in cache:
        cache[directory] = conf_origins(directory)
    conf = cache[directory]
    for key in (base, re.sub(r"\.in$", "", base)):
        if key in conf:
            return conf[key], "named.conf"
    t = text_origin(text)
    if t:
        return t, "$ORIGIN/SOA"
    return name_origin(base), "file name"


# ---------------------------------------------------------------------------------------
# BIND's messages (the classification of tests/zone_differential.rs)

SEMANTIC_REASONS = ("CNAME and other data", "multiple RRs of singleton type",
                    "SOA record not at top of zone", "bad owner name (check-names)",
                    "bad name (check-names)", "DS record at top of zone",
                    "at top of zone", "has no NS records", "has 0 SOA records")
WARNING_TEXT = ("warning:", "(check-names)", "TTL set to prior TTL", "record with inherited owner",
                "using RFC1035 TTL semantics", "no TTL specified; using SOA MINTTL instead",
                "file does not end with newline", "> MAXTTL, setting",
                "old style DNSSEC  zone detected")


def classify_line(line):
    """Returns (class, detail): class in syntax, semantic, warning, info."""
    s = line.strip()
    if not s or s == "OK":
        return "info", ""
    if s.startswith("dns_rdata_fromtext:"):
        return "syntax", s.rsplit(": ", 1)[-1]
    if s.startswith("dns_master_load:"):
        if "> MAXTTL" in s:
            return "warning", "MAXTTL"
        for reason in ("CNAME and other data", "multiple RRs of singleton type",
                       "SOA record not at top of zone", "DS record at top of zone"):
            if reason in s:
                return "semantic", reason
        return "syntax", s.rsplit(": ", 1)[-1]
    if s.startswith("$GENERATE:"):
        return "syntax", "$GENERATE: " + s.rsplit(": ", 1)[-1]
    m = re.match(r"zone (\S+): loading from master file (.*?) failed: (.*)$", s)
    if m:
        reason = m.group(3)
        if any(r in reason for r in SEMANTIC_REASONS):
            return "semantic", reason
        return "syntax", reason
    if s.startswith("zone "):
        if re.search(r": loaded serial|not loaded due to errors", s):
            return "info", ""
        detail = re.sub(r"^zone \S+: ", "", s)
        detail = re.sub(r"'[^']*'", "'…'", detail)
        detail = re.sub(r"NS '?[^ ]+'? ", "NS … ", detail)
        return "semantic", detail
    if re.match(r"\S+:\d+: ", s):
        body = re.sub(r"^\S+:\d+: ", "", s)
        if ("ignoring out-of-zone data" in body or "at top of zone" in body
                or "appears to be an address" in body):
            return "semantic", re.sub(r"\(.*\)", "(…)", body)
        if any(w in body for w in WARNING_TEXT):
            return "warning", body
        return "syntax", re.sub(r"^[^ ]+: ", "", body) if body.count(": ") else body
    if any(w in s for w in WARNING_TEXT):
        return "warning", s
    return "semantic", s


def bind_verdict(code, output):
    """Returns ('accept'|'parse'|'postload', reason).

    A parse failure is any syntax line; its reason is the first. Otherwise the reason is
    the one `loading from master file ... failed:` gives, else the last semantic line
    before `not loaded due to errors` (the post-load integrity check that failed; the
    MX/SRV "has no address records" lines before it are warnings)."""
    if code == 0:
        return "accept", ""
    syntax, semantic, failed = [], [], None
    for line in output.splitlines():
        if "not loaded due to errors" in line:
            break
        kind, detail = classify_line(line)
        if kind == "syntax":
            syntax.append(detail)
        elif kind == "semantic":
            if " loading from master file " in line:
                failed = detail
            semantic.append(detail)
    if syntax:
        return "parse", normalise(syntax[0])
    if failed:
        return "postload", normalise(failed)
    if semantic:
        return "postload", normalise(semantic[-1])
    return "postload", "exit %d, no message" % code


def normalise(reason):
    reason = re.sub(r"'[^']*'", "'…'", reason)
    reason = re.sub(r"`[^`]*`", "`…`", reason)
    reason = re.sub(r": BIND refuses the zone.*$", "", reason)
    reason = re.sub(r"\d+", "N", reason)
    return reason.strip()


# ---------------------------------------------------------------------------------------
# One file

INCLUDE = re.compile(r'^\$INCLUDE\s+"?([^\s"]+)"?', re.I | re.M)


def run_one(args, workdir, rel, origin):
    system = os.path.join(workdir, "export", SYSTEM)
    path = os.path.join(system, rel)
    directory = os.path.dirname(path)
    result = {"file": rel, "origin": origin}
    start = time.monotonic()
    try:
        p = subprocess.run(["named-checkzone", "-i", "local", origin, os.path.basename(path)],
                           cwd=directory, capture_output=True, timeout=args.timeout)
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        result["bind_exit"] = p.returncode
        result["bind_out"] = out
        result["bind"], result["bind_reason"] = bind_verdict(p.returncode, out)
    except subprocess.TimeoutExpired:
        result["bind"], result["bind_reason"] = "timeout", ""
    result["bind_secs"] = time.monotonic() - start

    repo = tempfile.mkdtemp(prefix="repo-", dir=workdir)
    try:
        data = open(path, "rb").read()
        name = re.sub(r"[^A-Za-z0-9._-]", "_", "root" if origin == "." else origin) + ".zone"
        with open(os.path.join(repo, name), "wb") as f:
            f.write(b"$ORIGIN " + (origin.rstrip(".") + ".").encode() + b"\n" + data)
        for inc in INCLUDE.findall(data.decode("utf-8", "replace")):
            src = os.path.normpath(os.path.join(directory, inc))
            dst = os.path.normpath(os.path.join(repo, inc))
            if os.path.isfile(src) and dst.startswith(repo + os.sep) and not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copyfile(src, dst)
        start = time.monotonic()
        try:
            p = subprocess.run([args.ipai, "--format", "json", "--root", repo, repo],
                               capture_output=True, timeout=args.timeout)
            result["ipai_exit"] = p.returncode
            codes = collections.Counter()
            msgs = []
            errors = set()
            result["ipai_errors"] = errors
            try:
                doc = json.loads(p.stdout)
                for f in doc["findings"]:
                    if f["file"].rsplit("/", 1)[-1] == name:
                        codes[f["rule"]] += 1
                        if f["severity"] == "error":
                            errors.add(f["rule"])
                        if f["rule"] in ("SYN004", "SYN006", "SYN008"):
                            msgs.append("%s:%s %s" % (f["rule"], f["line"] - 1, f["message"]))
                result["ipai_codes"] = codes
                result["ipai_msgs"] = msgs
                if p.returncode not in (0, 1):
                    result["ipai"] = "crash"
                elif codes["SYN004"] or codes["SYN006"]:
                    result["ipai"] = "syntax"
                elif codes["SYN008"]:
                    result["ipai"] = "load"
                else:
                    result["ipai"] = "accept"
            except (ValueError, KeyError):
                result["ipai"] = "crash"
                result["ipai_msgs"] = [p.stderr.decode("utf-8", "replace")[-300:]]
        except subprocess.TimeoutExpired:
            result["ipai"] = "timeout"
        result["ipai_secs"] = time.monotonic() - start
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    return result


# ---------------------------------------------------------------------------------------
# Disagreement classes: (BIND side, ipai side) -> explanation, by BIND's reason


def explain(r):
    """A short class name for a disagreement on the whole-file verdict or on syntax."""
    b, i, reason = r["bind"], r["ipai"], r.get("bind_reason", "")
    ipai_msg = (r.get("ipai_msgs") or [""])[0]
    if b in ("parse", "postload") and i == "accept":
        return "BIND rejects (%s), ipai accepts%s: %s" % (
            "parse" if b == "parse" else "post-load check",
            " (but reports DNS001)" if "DNS001" in r.get("ipai_errors", ()) else "", reason)
    if b == "accept" and i in ("syntax", "load"):
        code = ipai_msg.split(":", 1)[0]
        text = normalise(re.sub(r"^\S+ ", "", ipai_msg))
        return "BIND accepts, ipai %s: %s" % (code, text[:110])
    if b == "parse" and i == "load":
        return "BIND parse error, ipai only SYN008 (load): %s" % reason
    if b == "postload" and i == "syntax":
        return "BIND post-load check (%s), ipai SYN004/SYN006: %s" % (
            reason, normalise(re.sub(r"^\S+ ", "", ipai_msg))[:90])
    return None


# Why each known class disagrees (read from named-checkzone's messages and the files).
NOTES = [
    (r"CNAME and other data",
     "ipai reports it as DNS001 (cname-and-other-data, an error), not as a SYN verdict"),
    (r"NS … is below a DNAME",
     "BIND's post-load check that an apex NS name is not under a DNAME; SYN008 does not "
     "have it"),
    (r"CDS/CDNSKEY consistency",
     "BIND checks CDS/CDNSKEY against the zone's DNSKEYs; ipai has no such check"),
    (r"check-names",
     "named-checkzone's default `-k fail` check-names on owner names (here a padded "
     "base32hex NSEC3 owner); ipai has no check-names verdict"),
    (r"has no NS records|has N SOA records",
     "BIND's post-load check that the apex has an SOA and NS; ipai reads a file without "
     "its own SOA as a list of records"),
    (r"unexpected end of input",
     "NSAP rdata `0x` with no or an odd number of hex digits: ipai's parser accepts it"),
    (r"\$GENERATE: out of range",
     "a `${2147483647}` $GENERATE modifier overflows BIND's int; ipai's parser accepts it"),
    (r"unknown class/type",
     "`TYPE103 ^# 1 00` (UNSPEC, `^#` in place of `\\#`): BIND refuses the token, "
     "ipai's parser accepts it"),
    (r"lies inside the zone but has no A or AAAA",
     "the NS target's address comes from a wildcard (`*. A`): BIND's lookup matches it, "
     "SYN008 wants an explicit A/AAAA"),
]


def note_for(klass):
    for pattern, note in NOTES:
        if re.search(pattern, klass):
            return note
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="BIND 9 git dir (bare mirror) or exported source tree")
    ap.add_argument("ipai", help="path to the ipai-lint binary")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--verbose", action="store_true", help="print every disagreeing file")
    args = ap.parse_args()
    args.ipai = os.path.abspath(args.ipai)
    if not os.access(args.ipai, os.X_OK):
        print("not an executable: %s" % args.ipai, file=sys.stderr)
        return 2
    if not any(os.path.isdir(os.path.join(args.source, d))
               for d in ("objects", "repo/objects", ".git", SYSTEM)):
        print("neither a git dir nor a BIND tree: %s" % args.source, file=sys.stderr)
        return 2
    if shutil.which("named-checkzone") is None:
        print("named-checkzone not found (apt-get install bind9-utils)", file=sys.stderr)
        return 2
    began = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="zone-agreement-")
    try:
        missing = export(args.source, os.path.join(workdir, "export"))
        system = os.path.join(workdir, "export", SYSTEM)
        candidates, skipped, j2 = [], collections.Counter(), 0
        for dirpath, _, files in os.walk(system):
            for f in files:
                rel = os.path.relpath(os.path.join(dirpath, f), system)
                if f.endswith(".j2") and (".db" in f or "zone" in f):
                    j2 += 1
                if is_zone_name(rel):
                    candidates.append(rel)
        candidates.sort()
        cache, cz = {}, checkzone_origins(system)
        jobs, origin_sources = [], collections.Counter()
        for rel in candidates:
            try:
                text = open(os.path.join(system, rel), "rb").read().decode("utf-8", "replace")
            except OSError:
                skipped["unreadable (a dangling symlink)"] += 1
                continue
            if rel.endswith(".in") and PLACEHOLDER.search(text):
                skipped["`.in` template with @VAR@ placeholders"] += 1
                continue
            origin, how = origin_of(rel, system, text, cache, cz)
            origin_sources[how] += 1
            jobs.append((rel, origin))
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda j: run_one(args, workdir, *j), jobs))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - began
    report(results, skipped, j2, missing, origin_sources, elapsed, args)
    return 0


def pct(a, n):
    return "%.1f%%" % (100.0 * a / n) if n else "n/a"


def report(results, skipped, j2, missing, origin_sources, elapsed, args):
    crashes = [r for r in results if r["ipai"] == "crash"]
    timeouts = [r for r in results if "timeout" in (r["bind"], r["ipai"])]
    judged = [r for r in results if r not in crashes and r not in timeouts]
    n = len(judged)
    syn_ok = sum((r["bind"] == "parse") == (r["ipai"] == "syntax") for r in judged)
    whole_ok = sum((r["bind"] != "accept") == (r["ipai"] != "accept") for r in judged)
    bind_counts = collections.Counter(r["bind"] for r in results)
    ipai_counts = collections.Counter(r["ipai"] for r in results)

    print("## ipai vs named-checkzone on BIND's system-test zones\n")
    print("| measure | value |")
    print("|---|---|")
    print("| zone files run | %d |" % len(results))
    print("| BIND accepts / parse error / post-load error | %d / %d / %d |" % (
        bind_counts["accept"], bind_counts["parse"], bind_counts["postload"]))
    print("| ipai accepts / SYN004,SYN006 / SYN008 only | %d / %d / %d |" % (
        ipai_counts["accept"], ipai_counts["syntax"], ipai_counts["load"]))
    print("| syntax agreement (BIND parse error ⇔ SYN004/SYN006) | %d/%d = %s |" % (
        syn_ok, n, pct(syn_ok, n)))
    print("| whole-file verdict agreement (BIND exit ≠ 0 ⇔ SYN004/SYN006/SYN008) | %d/%d = %s |"
          % (whole_ok, n, pct(whole_ok, n)))
    dns001_ok = sum((r["bind"] != "accept") == (r["ipai"] != "accept" or "DNS001" in
                                                 r.get("ipai_errors", ())) for r in judged)
    print("| the same, also counting DNS001 (CNAME and other data) as a rejection | "
          "%d/%d = %s |" % (dns001_ok, n, pct(dns001_ok, n)))
    print("| ipai crashes (exit ∉ {0,1}) | %d |" % len(crashes))
    print("| timeouts (> %gs) | %d |" % (args.timeout, len(timeouts)))
    print()
    print("Not run: %s; %d Jinja zone templates (`*.j2`) not rendered; %d blobs missing "
          "from the mirror." % (
              ", ".join("%s (%d)" % kv for kv in skipped.items()) or "no `.in` file skipped",
              j2, missing))
    print("Origins from: %s." % ", ".join("%s %d" % kv for kv in origin_sources.most_common()))
    print("Run time: %.0f s with %d jobs.\n" % (elapsed, args.jobs))

    classes = collections.defaultdict(list)
    for r in judged:
        c = explain(r)
        if c:
            classes[c].append(r)
    if classes:
        print("### Disagreements\n")
        print("| class | files | why | examples |")
        print("|---|---|---|---|")
        for c, rs in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            ex = ", ".join("`%s`" % r["file"] for r in rs[:args.examples])
            print("| %s | %d | %s | %s |" % (c.replace("|", "\\|"), len(rs), note_for(c), ex))
        print()
    agreed = collections.Counter(
        ("parse" if r["bind"] == "parse" else "post-load", r["bind_reason"],
         "SYN004/SYN006" if r["ipai"] == "syntax" else "SYN008")
        for r in judged if r["bind"] != "accept" and r["ipai"] != "accept")
    if agreed:
        print("### Rejections both tools agree on, by BIND's reason\n")
        print("| BIND | reason | ipai | files |")
        print("|---|---|---|---|")
        for (kind, reason, code), count in agreed.most_common():
            print("| %s | %s | %s | %d |" % (kind, reason.replace("|", "\\|"), code, count))
        print()
    for r in crashes + timeouts:
        print("- %s: %s / %s %s" % (r["file"], r["bind"], r["ipai"], r.get("ipai_msgs", "")))
    if args.verbose:
        for c, rs in sorted(classes.items()):
            print("\n#### " + c)
            for r in rs:
                print("- %s (origin %s)" % (r["file"], r["origin"]))
                for line in r.get("bind_out", "").splitlines()[:4]:
                    print("    bind: " + line)
                print("    ipai codes: %s" % dict(r.get("ipai_codes", {})))
                for m in r.get("ipai_msgs", [])[:3]:
                    print("    ipai: " + m)


if __name__ == "__main__":
    sys.exit(main())
