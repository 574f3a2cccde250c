#!/usr/bin/env python3
"""Scores ipai-lint on the precision corpus: runs it on each local export, matches every
finding to the labels (rule + file + a substring of the message), and prints precision and
recall per repo. Fetches nothing: the exports are plain trees made once with the search
tool's fetch and `git archive <commit>` (see README.md).

    python3 corpus/score.py [--bin target/release/ipai-lint] [--exports /work/corpus]
                            [--show unlabelled,false,noise,missed] [--json out.json]
                            [--init-stack]

With --init-stack, each export is copied to a temporary directory, `ipai-lint init --stack`
writes its stack.yaml there, and the copy is scored: the inferred facts, once written down,
must lose no TRUE finding.

Precision is TRUE findings over all findings (an unlabelled finding counts against it until
someone labels it). Recall is the real faults still found over all real faults: the TRUE
labels plus the faults listed under `missed`. Exit 1 when a FALSE finding remains, precision
is under 95%, or a real fault is lost: the issue's bar.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-25"


def load_repos():
    rows = (HERE / "repos.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    return [dict(zip(header, row.split("\t"))) for row in rows[1:] if row.strip()]


def run_lint(binary, export):
    env = dict(os.environ, IPAI_TODAY=TODAY)
    out = subprocess.run(
        [binary, "--format", "json", "--root", str(export), str(export)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"ipai-lint failed on {export} (exit {out.returncode}):\n{out.stderr}")
    return json.loads(out.stdout)["findings"]


def matches(entry, finding):
    return (
        entry.get("rule") == finding["rule"]
        and entry.get("file") == finding["file"]
        and str(entry.get("match", "")) in finding["message"]
    )


def found_missed(entry, findings):
    """A missed fault counts as found by a finding of its rule in its file (NEW rules are
    matched by `match` on any rule when one is given)."""
    rule = entry.get("expect_rule", "")
    for finding in findings:
        if finding["file"] != entry.get("file"):
            continue
        if rule and rule != "NEW" and finding["rule"] == rule:
            return True
        if entry.get("match") and str(entry["match"]) in finding["message"]:
            return True
    return False


def lint_with_init_stack(binary, export):
    """Lints a copy of the export with the stack.yaml `ipai-lint init --stack` writes."""
    with tempfile.TemporaryDirectory(prefix="ipai-init-stack-") as tmp:
        copy = Path(tmp) / export.name
        shutil.copytree(export, copy, symlinks=True)
        out = subprocess.run(
            [binary, "init", "--stack", str(copy)], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            raise SystemExit(f"ipai-lint init --stack failed on {export}:\n{out.stderr}")
        return run_lint(binary, copy)


def score(repo, binary, exports, init_stack=False):
    labels = yaml.safe_load((HERE / "labels" / f"{repo['name']}.yaml").read_text())
    export = Path(exports) / repo["name"]
    findings = lint_with_init_stack(binary, export) if init_stack else run_lint(binary, export)
    entries = labels.get("findings") or []
    counts = {"TRUE": 0, "FALSE": 0, "NOISE": 0, "UNLABELLED": 0}
    hits = [0] * len(entries)
    judged = []
    for finding in findings:
        label, reason = "UNLABELLED", ""
        # An entry of the finding's own line first: two findings of one rule and message
        # in one file (two servers) are two entries.
        order = sorted(
            range(len(entries)),
            key=lambda i: entries[i].get("line") != finding.get("line"),
        )
        for i in order:
            entry = entries[i]
            if matches(entry, finding):
                label, reason = str(entry["label"]), entry.get("reason", "")
                hits[i] += 1
                break
        counts[label] += 1
        judged.append((label, finding, reason))
    real = 0
    kept = 0
    lost = []
    for entry, hit in zip(entries, hits):
        if str(entry["label"]) != "TRUE":
            continue
        weight = int(entry.get("count", 1))
        real += weight
        kept += min(weight, hit)
        if hit < weight:
            lost.append(entry)
    missed = labels.get("missed") or []
    still_missed = [m for m in missed if not found_missed(m, findings)]
    real += len(missed)
    kept += len(missed) - len(still_missed)
    total = len(findings)
    return {
        "name": repo["name"],
        "findings": total,
        **counts,
        "precision": counts["TRUE"] / total if total else 1.0,
        "recall": kept / real if real else 1.0,
        "real_faults": real,
        "found_faults": kept,
        "lost": lost,
        "still_missed": still_missed,
        "judged": judged,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=str(HERE.parent / "target/release/ipai-lint"))
    parser.add_argument("--exports", default=os.environ.get("IPAI_CORPUS_DIR", "/work/corpus"))
    parser.add_argument("--show", default="", help="comma list: unlabelled,false,noise,true,lost,missed")
    parser.add_argument("--only", default="", help="comma list of repo names")
    parser.add_argument("--json", help="write the per-repo figures here")
    parser.add_argument("--init-stack", action="store_true", help="score with the stack.yaml `init --stack` writes")
    args = parser.parse_args()
    show = set(filter(None, args.show.split(",")))
    only = set(filter(None, args.only.split(",")))

    results = []
    for repo in load_repos():
        if only and repo["name"] not in only:
            continue
        if not (Path(args.exports) / repo["name"]).is_dir():
            print(f"skip {repo['name']}: no export under {args.exports}", file=sys.stderr)
            continue
        results.append(score(repo, args.bin, args.exports, args.init_stack))

    print("| repo | findings | TRUE | FALSE | NOISE | unlabelled | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = {k: 0 for k in ("findings", "TRUE", "FALSE", "NOISE", "UNLABELLED", "real_faults", "found_faults")}
    for r in results:
        for k in totals:
            totals[k] += r[k]
        print(
            f"| {r['name']} | {r['findings']} | {r['TRUE']} | {r['FALSE']} | {r['NOISE']} | "
            f"{r['UNLABELLED']} | {r['precision']:.0%} | {r['recall']:.0%} ({r['found_faults']}/{r['real_faults']}) |"
        )
    precision = totals["TRUE"] / totals["findings"] if totals["findings"] else 1.0
    recall = totals["found_faults"] / totals["real_faults"] if totals["real_faults"] else 1.0
    print(
        f"| **total** | {totals['findings']} | {totals['TRUE']} | {totals['FALSE']} | {totals['NOISE']} | "
        f"{totals['UNLABELLED']} | {precision:.0%} | {recall:.0%} ({totals['found_faults']}/{totals['real_faults']}) |"
    )

    for r in results:
        for label, finding, reason in r["judged"]:
            if label.lower() in show:
                print(f"{r['name']}: {label} {finding['rule']} {finding['file']}:{finding['line']} {finding['message']}" + (f"  [{reason}]" if reason else ""))
        if "lost" in show:
            for entry in r["lost"]:
                print(f"{r['name']}: LOST TRUE {entry['rule']} {entry['file']}:{entry.get('line')} {entry.get('match')}")
        if "missed" in show:
            for entry in r["still_missed"]:
                print(f"{r['name']}: MISSED {entry.get('expect_rule')} {entry['file']}:{entry.get('line')} {entry.get('reason')}")

    if args.json:
        slim = [{k: v for k, v in r.items() if k not in ("judged", "lost", "still_missed")} for r in results]
        Path(args.json).write_text(json.dumps(slim, indent=2) + "\n")
    ok = totals["FALSE"] == 0 and precision >= 0.95 and recall >= 1.0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
