#!/usr/bin/env python3
"""Generate ipai's tables of the modules each Odoo series ships, from Odoo's own source.

Usage: odoo_modules.py MIRRORS_DIR [REPO_ROOT]

For each series, `data/odoo/<series>.json` (written by odoo_options/extract.py) names the
repository and commit of the Odoo copy its option table was read from. This script reads
the same commit from `MIRRORS_DIR/<owner>+<name>/repo` (a bare or normal git directory,
as `fetch` leaves it) with `git ls-tree` and `git show`, never a work tree, and writes
`data/odoo/<series>-modules.json`:

- `modules`: every module of the server and its bundled addons (`odoo/addons/<m>` and
  `addons/<m>`, each with a `__manifest__.py`) whose manifest names Odoo S.A. as author or
  no author, with `installable` and `auto_install` as the manifest says. Modules of other
  authors (localisations by partners, or a user copy's own modules) are kept, since a
  dependency on them must resolve, and listed in `other_authors`: nothing is claimed about
  them but that they exist.
- `enterprise`: modules the Community source names but does not ship, so Enterprise ones:
  `ir.module.module` records with `to_buy` in `base/data/ir_module_module.xml`, and the
  `module_<name>` booleans of `res.config.settings` that install a module not in `modules`.
  Each name carries the file and line that names it first.

Standard library only: manifests are read with `ast.literal_eval`, never executed.
"""

import ast
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SERIES = ["16.0", "17.0", "18.0", "19.0"]
ROOTS = ["odoo/addons/", "addons/"]
# Class attributes: four spaces in, not an example in a docstring.
SETTINGS = re.compile(r"""^    _inherit\s*=\s*\[?\s*['"]res\.config\.settings['"]""", re.M)
MODULE_FIELD = re.compile(r"^    module_([a-z0-9_]+)\s*=\s*fields\.Boolean", re.M)


def git(repo, *args):
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True
    ).stdout.decode("utf-8", "replace")


def manifests(repo, commit):
    """Paths of `<root><module>/__manifest__.py` at the commit."""
    listing = git(repo, "ls-tree", "-r", "--name-only", commit, "--", *ROOTS)
    found = []
    for path in listing.splitlines():
        for root in ROOTS:
            rest = path[len(root):] if path.startswith(root) else None
            if rest and rest.count("/") == 1 and rest.endswith("/__manifest__.py"):
                found.append((root, rest.split("/")[0], path))
    return found


def odoo_authored(manifest):
    author = manifest.get("author")
    return author is None or "Odoo S.A." in str(author) or str(author).strip() == "Odoo SA"


def series_table(repo, commit, series):
    modules, skipped = {}, []
    for root, name, path in manifests(repo, commit):
        text = git(repo, "show", f"{commit}:{path}")
        try:
            manifest = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            # A manifest preceded by comments or a coding line: literal_eval reads one
            # expression, so parse the module and take its one expression statement.
            tree = ast.parse(text)
            expr = next(n for n in tree.body if isinstance(n, ast.Expr))
            manifest = ast.literal_eval(expr.value)
        if not odoo_authored(manifest):
            skipped.append(name)
        modules[name] = {
            "path": path,
            "installable": bool(manifest.get("installable", True)),
            "auto_install": bool(manifest.get("auto_install", False)),
        }
    enterprise = {}
    for root in ROOTS:
        xml_path = f"{root}base/data/ir_module_module.xml"
        try:
            text = git(repo, "show", f"{commit}:{xml_path}")
        except subprocess.CalledProcessError:
            continue
        lines = text.splitlines()
        for record in ET.fromstring(text.encode()).iter("record"):
            fields = {f.get("name"): f for f in record.iter("field")}
            to_buy = fields.get("to_buy")
            name = fields.get("name")
            if to_buy is not None and to_buy.get("eval") == "True" and name is not None \
                    and name.text not in modules:
                line = next(i + 1 for i, l in enumerate(lines) if f">{name.text}<" in l)
                enterprise.setdefault(name.text, f"{xml_path}:{line}")
    grep = git(repo, "grep", "-n", "-E", r"^    module_[a-z0-9_]+\s*=\s*fields\.Boolean",
               commit, "--", "*.py")
    settings = {}
    for hit in grep.splitlines():
        _, path, line, code = hit.split(":", 3)
        # Only settings models install modules through `module_<name>`; elsewhere (the
        # docstring of `res.config.settings` itself, `payment.provider`) it is a field.
        if path not in settings:
            body = git(repo, "show", f"{commit}:{path}")
            settings[path] = SETTINGS.search(body) is not None
        if not settings[path]:
            continue
        m = MODULE_FIELD.match(code)
        owner = next((path[len(r):].split("/")[0] for r in ROOTS if path.startswith(r)), "")
        # Test modules and a copy's own modules name modules that are not Odoo's.
        if "/tests/" in path or owner.startswith("test_") or owner in skipped:
            continue
        if m and m.group(1) not in modules:
            enterprise.setdefault(m.group(1), f"{path}:{line}")
    return modules, sorted(skipped), enterprise


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mirrors = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
    for series in SERIES:
        with open(os.path.join(root, "data", "odoo", f"{series}.json")) as f:
            source = json.load(f)["source"]
        repo = os.path.join(mirrors, source["repository"].replace("/", "+"), "repo")
        modules, skipped, enterprise = series_table(repo, source["commit"], series)
        table = {
            "source": {
                "series": series,
                "generated_by": "scripts/odoo_modules.py",
                "repository": source["repository"],
                "commit": source["commit"],
            },
            "modules": dict(sorted(modules.items())),
            "enterprise": dict(sorted(enterprise.items())),
            "other_authors": skipped,
        }
        out = os.path.join(root, "data", "odoo", f"{series}-modules.json")
        with open(out, "w") as f:
            json.dump(table, f, indent=1, sort_keys=False)
            f.write("\n")
        print(f"{series}: {len(modules)} modules, {len(enterprise)} enterprise, "
              f"{len(skipped)} of other authors -> {out}")


if __name__ == "__main__":
    main()
