#!/usr/bin/env python3
"""Generate ipai's odoo.conf option tables from Odoo's own source.

Usage: extract.py SOURCES_DIR [REPO_ROOT]

SOURCES_DIR holds one directory per series (16.0, 17.0, 18.0, 19.0), each a copy of the
Odoo source tree of one named commit, with a `SOURCE` file whose first line is
`<repository> <commit>` and, optionally, more words saying what the copy holds. An optional `LATER` file
names options the series' stable branch gained after that commit (the rules then claim
nothing about them). Only `odoo/tools/config.py` is required; when the tree also holds the server (`odoo/`) and the
bundled addons (`addons/`), every `config[...]`/`config.get(...)` read is located.

For each series it writes `data/odoo/<series>.json` (what ipai's ODOO rules read) and
`fixtures/odoo-save/<series>/config/odoo.conf`, the file `odoo --save` writes when run with
no configuration file and no option (see `save_defaults`).

Standard library only: the config module is read with `ast`, never imported.
"""

import ast
import json
import os
import re
import sys

CONFIG_PY = "odoo/tools/config.py"

# optparse's TYPE_CHECKER keys: the types `_parse_config` (16.0-18.0) casts a file value with.
OPTPARSE_CAST = {"int", "long", "float", "complex", "choice"}

# `config` as Odoo's module-level object: bare, or `tools.config`, never `self.config` or
# `printer_config` (other objects' dictionaries).
CONFIG = r"""(?:(?<![\w.])|(?<=tools\.))config(?:\.options)?"""
READ_PATTERNS = [
    # tools.config['x'], config['x'], odoo.tools.config['x'], config.options['x']
    re.compile(CONFIG + r"""\[\s*['"]([a-z0-9_]+)['"]\s*\]"""),
    # config.get('x' ...), config.options.get('x' ...)
    re.compile(CONFIG + r"""\.get\(\s*['"]([a-z0-9_]+)['"](?!\s*[+%])"""),
]
# A bare `config` is Odoo's only in a file that imports it: elsewhere it is a local name
# (a `pos.config` record, a dict of field settings).
IMPORTS = re.compile(r"""^\s*from\s+(?:odoo[\w.]*|\.[\w.]*)\s+import\s+(\([^)]*\)|[^\n]*)""", re.M)


def imports_config(text):
    return any(re.search(r"\bconfig\b", m.group(1)) for m in IMPORTS.finditer(text))
# config['db_' + name]: a read of every key with that prefix.
DYNAMIC_READ = re.compile(CONFIG + r"""(?:\[|\.get\()\s*f?['"]([a-z0-9_]+)(?:['"]\s*[+%]|\{)""")
# A local name `config` bound inside a function (indented), not Odoo's object.
LOCAL_BINDING = re.compile(r"^[ \t]+config\s*=[^=]", re.M)
# An assignment is a write, not a read.
WRITE = re.compile(CONFIG + r"""\[\s*['"][a-z0-9_]+['"]\s*\]\s*=[^=]""")

MAX_READS = 3


def literal(node, source):
    """The default as Python would print it, evaluated when it is a constant expression."""
    if node is None:
        return "None"
    try:
        return repr(ast.literal_eval(node))
    except ValueError:
        pass
    if all(isinstance(n, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator,
                          ast.unaryop)) for n in ast.walk(ast.Expression(node))):
        return repr(eval(compile(ast.Expression(node), "<default>", "eval"), {"__builtins__": {}}))
    return ast.get_source_segment(source, node)


def python_str(node, source):
    """`str(default)`: what `p.set('options', opt, value)` writes for the default."""
    try:
        value = ast.literal_eval(literal(node, source) if source else node)
    except (ValueError, SyntaxError, IndexError):
        return None
    return str(value)


def kwarg(call, name):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def const(node):
    return node.value if isinstance(node, ast.Constant) else None


def options_subscript(node):
    """'x' for `self.options['x']`, `self['x']` or `self.options.pop('x'...)`."""
    if isinstance(node, ast.Subscript):
        target = node.value
        is_options = (isinstance(target, ast.Attribute) and target.attr == "options") or (
            isinstance(target, ast.Name) and target.id == "self")
        if is_options and isinstance(node.slice, ast.Constant):
            return node.slice.value
    return None


def add_option_calls(tree):
    """Every `*.add_option(...)` call, unwrapping `FileOnlyOption(...)`/`PosixOnlyOption(...)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "add_option" and node.args:
            inner = node
            wrapper = None
            if isinstance(node.args[0], ast.Call) and isinstance(node.args[0].func, ast.Name):
                inner = node.args[0]
                wrapper = inner.func.id
            yield inner, wrapper


def function(tree, name):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def string_list(node):
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    if isinstance(node, ast.Call) and node.args:  # set([...])
        return string_list(node.args[0])
    return None


def names_in(node):
    return {options_subscript(n) for n in ast.walk(node)} - {None}


class Option:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.cli = []
        self.type = None
        self.action = None
        self.default = "None"
        self.default_node = None
        self.choices = None
        self.file_only = False
        self.posix_only = False
        self.file_loadable = True
        self.file_exportable = True


def collect_options(tree, source):
    options = {}
    # 16.0-18.0: file-only options are the dict literal `self.options = {...}`.
    init = function(tree, "__init__")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) \
                and any(isinstance(t, ast.Attribute) and t.attr == "options" for t in node.targets):
            for key, value in zip(node.value.keys, node.value.values):
                opt = Option(key.value, key.lineno)
                opt.default = literal(value, source)
                opt.default_node = value
                opt.file_only = True
                options[opt.name] = opt
    del init
    for call, wrapper in add_option_calls(tree):
        flags = [const(a) for a in call.args if isinstance(const(a), str)]
        dest = const(kwarg(call, "dest"))
        if dest is None:
            longs = [f for f in flags if f.startswith("--")]
            if not longs:
                continue
            dest = longs[0][2:].replace("-", "_")
        if dest in options:
            options[dest].cli += [f for f in flags if f not in options[dest].cli]
            continue
        opt = Option(dest, call.lineno)
        opt.cli = flags
        opt.type = const(kwarg(call, "type"))
        opt.action = const(kwarg(call, "action"))
        default = kwarg(call, "my_default")
        if default is not None:
            opt.default = literal(default, source)
            opt.default_node = default
        choices = kwarg(call, "choices")
        if isinstance(choices, ast.Name):  # `choices=levels`
            wanted = choices.id
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == wanted for t in node.targets):
                    choices = node.value
        opt.choices = string_list(choices) if choices is not None else None
        opt.file_only = wrapper == "FileOnlyOption"
        opt.posix_only = wrapper == "PosixOnlyOption"
        loadable = kwarg(call, "file_loadable")
        opt.file_loadable = const(loadable) is not False
        exportable = kwarg(call, "file_exportable")
        opt.file_exportable = opt.file_loadable if exportable is None else const(exportable) is not False
        options[dest] = opt
    return options


def kind_of(opt, path_keys, path_lists, comma_lists):
    if opt.name in path_lists or opt.type in ("addons_path", "upgrade_path", "pre_upgrade_scripts"):
        return "path_list"
    if opt.name in path_keys or opt.type == "path":
        return "path"
    if opt.action in ("store_true", "store_false") or opt.type == "bool":
        return "flag"
    if opt.type in ("int", "float", "choice"):
        return opt.type
    if opt.name in comma_lists or opt.type == "comma" or opt.action == "append":
        return "comma_list"
    return "string"


def statements_after(body, predicate):
    seen = False
    for stmt in body:
        if seen:
            yield stmt
        elif predicate(stmt):
            seen = True


def legacy_parse_config(tree):
    """What `_parse_config` (16.0-18.0) does to each file value."""
    fn = function(tree, "_parse_config")
    info = {"cast_lists": set(), "posix": set(), "overwritten": {}, "expanded": {},
            "path_lists": {}, "comma_lists": set(), "false_crash": {}, "reset": {}}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names = string_list(node.value)
            if node.targets[0].id == "keys" and names:
                info["cast_lists"].update(names)
            if node.targets[0].id == "posix_keys" and names:
                info["posix"].update(names)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "keys":
            pass
        # for key in [...]: self.options[key] = self._normalize(self.options[key])
        if isinstance(node, ast.For) and string_list(node.iter) and any(
                isinstance(n, ast.Attribute) and n.attr == "_normalize" for n in ast.walk(node)):
            for name in string_list(node.iter):
                info["expanded"][name] = node.lineno
        # self.options['x'] = ','.join(self._normalize(x) for x in self.options['x'].split(','))
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = options_subscript(node.targets[0])
            if target and any(isinstance(n, ast.Attribute) and n.attr == "_normalize" for n in ast.walk(node.value)) \
                    and any(isinstance(n, ast.Attribute) and n.attr == "split" for n in ast.walk(node.value)):
                info["path_lists"].setdefault(target, node.lineno)
    # Unconditional top-level writes after `self.load()`.
    def is_load(stmt):
        return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
            and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr == "load"
    after_load = list(statements_after(fn.body, is_load))
    for stmt in after_load:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = options_subscript(stmt.targets[0])
            if target and target not in names_in(stmt.value):
                info["overwritten"].setdefault(target, stmt.lineno)
            if target:
                info["reset"].setdefault(target, stmt.lineno)
        if isinstance(stmt, ast.If) and stmt.orelse:
            both = None
            for branch in (stmt.body, stmt.orelse):
                written = {options_subscript(s.targets[0]) for s in branch
                           if isinstance(s, ast.Assign) and len(s.targets) == 1} - {None}
                both = written if both is None else both & written
            for name in both or ():
                info["reset"].setdefault(name, stmt.lineno)
    # `.split(`/`.extend(` on a file value with nothing before it that turns a boolean
    # False into text: `load()` makes `False` a bool, and bool has neither method.
    for stmt in after_load:
        guarded = set()
        if isinstance(stmt, ast.If):
            guarded = names_in(stmt.test)
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("split", "extend"):
                name = options_subscript(node.func.value)
                if not name:
                    continue
                if node.func.attr == "split":
                    info["comma_lists"].add(name)
                if name in guarded or name in info["false_crash"]:
                    continue
                if any(isinstance(n, ast.IfExp) and name in names_in(n.test) and node in ast.walk(n)
                       for n in ast.walk(stmt)):
                    continue
                reset = info["reset"].get(name)
                if reset is not None and reset < node.lineno:
                    continue
                info["false_crash"][name] = {"line": node.lineno, "call": node.func.attr}
    return info


def legacy_aliases(tree):
    aliases = []
    load = function(tree, "load")
    for node in ast.walk(load):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Name) and t.id == "outdated_options_map" for t in node.targets):
            for key, value in zip(node.value.keys, node.value.values):
                aliases.append({"from": key.value, "to": value.value, "line": key.lineno,
                                "how": "renamed_on_load"})
    warn = function(tree, "_warn_deprecated_options")
    for node in ast.walk(warn):
        # for old, new in [('geoip_database', 'geoip_city_db'), ...]: ... parser.error(...)
        if isinstance(node, ast.For) and isinstance(node.iter, ast.List):
            for elt in node.iter.elts:
                old, new = (e.value for e in elt.elts)
                aliases.append({"from": old, "to": new, "line": elt.lineno,
                                "how": "copied_if_default_refused_if_both_differ"})
        # if self.options['old']: ... self.options['new'] = self.options.pop('old')
        if isinstance(node, ast.If):
            tested = names_in(node.test)
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = options_subscript(stmt.targets[0])
                    value = stmt.value
                    if target and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                            and value.func.attr == "pop" and value.args \
                            and const(value.args[0]) in tested:
                        aliases.append({"from": const(value.args[0]), "to": target,
                                        "line": node.lineno, "how": "replaces_if_truthy"})
    return aliases


def typed_aliases(tree):
    aliases = []
    # _load_file_options: `if name == 'without_demo': name = 'with_demo'`
    load = function(tree, "_load_file_options")
    for node in ast.walk(load):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) \
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "name":
            old = const(node.test.comparators[0])
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name) \
                        and stmt.targets[0].id == "name" and const(stmt.value):
                    aliases.append({"from": old, "to": const(stmt.value), "line": node.lineno,
                                    "how": "renamed_on_load"})
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Attribute) and t.attr == "aliases" for t in node.targets):
            for key, value in zip(node.value.keys, node.value.values):
                aliases.append({"from": key.value, "to": value.value, "line": key.lineno,
                                "how": "copied_if_default_refused_if_both_differ"})
    return aliases


def save_skips(tree):
    """Names `save()` leaves out: `blacklist_for_save` and the tuple tested in `save()`."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "blacklist_for_save" for t in node.targets):
            skipped.update(string_list(node.value) or ())
    save = function(tree, "save")
    for node in ast.walk(save):
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In) \
                and isinstance(node.left, ast.Name) and node.left.id == "opt":
            names = string_list(node.comparators[0])
            if names and "log_level" not in names:
                skipped.update(names)
    return skipped


def find_line(source, needle):
    for number, line in enumerate(source.splitlines(), 1):
        if needle in line:
            return number
    return None


FOR_LITERALS = re.compile(r"""^\s*for\s+\w+\s+in\s+[(\[]((?:\s*['"][a-z0-9_]+['"]\s*,?)+)[)\]]\s*:""")


def loop_literals(previous_lines):
    """The strings of the nearest enclosing `for x in ('a', 'b'):` among `previous_lines`."""
    for line in reversed(previous_lines):
        match = FOR_LITERALS.match(line)
        if match:
            return re.findall(r"""['"]([a-z0-9_]+)['"]""", match.group(1))
    return []


def scan_reads(tree_dir):
    """name -> [(path, line)] of every config read outside config.py, tests excluded."""
    reads = {}
    for top in ("odoo", "addons"):
        root = os.path.join(tree_dir, top)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("tests", "__pycache__"))
            for filename in sorted(filenames):
                if not filename.endswith(".py"):
                    continue
                path = os.path.join(dirpath, filename)
                rel = os.path.relpath(path, tree_dir)
                if rel == CONFIG_PY:
                    continue
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
                if "config" not in text:
                    continue
                bare_is_odoo = imports_config(text)
                # A function that binds its own `config` (`config = self.env[...].next()`)
                # reads that object from there on, not Odoo's: bare reads after the first
                # such binding are not counted.
                rebound = LOCAL_BINDING.search(text)
                rebound_at = text.count("\n", 0, rebound.start()) + 1 if rebound else None
                if True:
                    lines = text.splitlines()
                    for number, line in enumerate(lines, 1):
                        if "config" not in line:
                            continue
                        bare_is_odoo = imports_config(text) and (rebound_at is None or number < rebound_at)
                        written = {m.start() for m in WRITE.finditer(line)}
                        for match in DYNAMIC_READ.finditer(line):
                            if not bare_is_odoo and "tools.config" not in line[max(0, match.start() - 6):match.end()]:
                                continue
                            # `for p in ('host', 'port'): config['db_' + p]` reads those
                            # keys only, not every key with the prefix.
                            suffixes = loop_literals(lines[max(0, number - 4):number - 1])
                            names = ([match.group(1) + s for s in suffixes] if suffixes
                                     else ["*" + match.group(1)])
                            for name in names:
                                reads.setdefault(name, []).append({"file": rel, "line": number})
                        for pattern in READ_PATTERNS:
                            for match in pattern.finditer(line):
                                if match.start() in written:
                                    continue
                                if not bare_is_odoo and "tools.config" not in line[max(0, match.start() - 6):match.end()]:
                                    continue
                                reads.setdefault(match.group(1), []).append(
                                    {"file": rel, "line": number})
    return reads


def save_defaults(series, options, legacy, skipped, parse_info):
    """The `[options]` lines `odoo --save` writes with no file and no command-line option.

    The values Odoo computes from the machine are fixed to those of the official Debian
    package run as a user without a home directory: `data_dir` is `/var/lib/odoo` (the
    `_get_default_datadir` fallback) and `addons_path` the package's addons directory.
    """
    lines = []
    for name in sorted(options):
        opt = options[name]
        if name in skipped or not opt.file_exportable or not opt.file_loadable and not legacy:
            continue
        if name == "data_dir":
            value = "/var/lib/odoo"
        elif name == "addons_path":
            value = "/usr/lib/python3/dist-packages/odoo/addons"
        elif name == "log_handler":
            value = ":INFO"
        elif legacy and name in parse_info["expanded"]:
            text = python_str(opt.default_node, "") if opt.default_node is not None else "None"
            value = "" if text in (None, "None", "False", "") else text
        elif legacy and name in parse_info["path_lists"]:
            value = ""
        elif legacy and name == "translate_modules":
            value = "['all']"
        elif legacy and name == "test_enable":
            value = "False"
        elif not legacy and isinstance(opt.default_node, (ast.List, ast.Name)):
            node = opt.default_node
            if isinstance(node, ast.Name):
                value = ",".join(DEFAULT_LISTS.get(node.id, []))
            else:
                value = ",".join(str(ast.literal_eval(e)) for e in node.elts)
        else:
            value = python_str(opt.default_node, "") if opt.default_node is not None else "None"
            if value is None:
                value = opt.default
        lines.append(f"{name} = {value}".rstrip())
    if legacy and "demo" not in skipped:
        lines.append("demo = {}")
        lines.sort()
    return lines


DEFAULT_LISTS = {}


def extract(series, tree_dir):
    with open(os.path.join(tree_dir, "SOURCE"), encoding="utf-8") as handle:
        words = handle.readline().split()
    repository, commit = words[0], words[1]
    config_path = os.path.join(tree_dir, CONFIG_PY)
    with open(config_path, encoding="utf-8") as handle:
        source = handle.read()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.List):
            DEFAULT_LISTS[node.targets[0].id] = string_list(node.value)
    legacy = function(tree, "_load_file_options") is None
    options = collect_options(tree, source)
    has_server = os.path.isdir(os.path.join(tree_dir, "odoo", "service"))
    reads = scan_reads(tree_dir) if has_server else None
    release = None
    release_path = os.path.join(tree_dir, "odoo", "release.py")
    if os.path.exists(release_path):
        with open(release_path, encoding="utf-8") as handle:
            text = handle.read()
        info = re.search(r"^version_info = \((\d+), (\d+)", text, re.M)
        suffix = re.search(r"^version \+= '([^']*)'", text, re.M)
        release = f"{info.group(1)}.{info.group(2)}" + (suffix.group(1) if suffix else "")
    normalize_line = find_line(source, "def _normalize(")
    if legacy:
        parse_info = legacy_parse_config(tree)
        aliases = legacy_aliases(tree)
        load_line = find_line(source, "p.items('options')")
        store_line = find_line(source, "self.options[name] = value")
    else:
        parse_info = {"cast_lists": set(), "posix": set(), "overwritten": {}, "expanded": {},
                      "path_lists": {}, "comma_lists": set(), "false_crash": {}}
        aliases = typed_aliases(tree)
        load_line = find_line(source, "p.items('options')")
        store_line = find_line(source, "option stored as-is")
    skipped = save_skips(tree)

    out_options = []
    for name in sorted(options):
        opt = options[name]
        kind = kind_of(opt, parse_info["expanded"], parse_info["path_lists"], parse_info["comma_lists"])
        if legacy:
            cast = name in parse_info["cast_lists"] or name in parse_info["posix"]
            cast = cast and opt.type in OPTPARSE_CAST and not opt.file_only
            posix = name in parse_info["posix"]
        else:
            cast = opt.type in ("int", "float", "choice", "bool") or kind == "flag"
            posix = opt.posix_only
        if not opt.file_loadable:
            file_value = {"effect": "not_loaded", "line": opt.line}
        elif name in parse_info["overwritten"]:
            file_value = {"effect": "overwritten", "line": parse_info["overwritten"][name]}
        else:
            file_value = {"effect": "read", "line": load_line}
        expanded = None
        if name in parse_info["expanded"]:
            expanded = {"how": "_normalize: expandvars, expanduser", "line": parse_info["expanded"][name]}
        elif name in parse_info["path_lists"]:
            expanded = {"how": "_normalize on each comma-separated entry: expandvars, expanduser",
                        "line": parse_info["path_lists"][name]}
        elif not legacy and kind in ("path", "path_list"):
            expanded = {"how": "_normalize: expandvars, expanduser", "line": normalize_line}
        entry = {
            "name": name,
            "kind": kind,
            "default": opt.default,
            "line": opt.line,
            "cli": opt.cli,
            "file_only": opt.file_only,
            "posix_only": posix,
            "cast_from_file": cast,
            "file_value": file_value,
            "expanded": expanded,
            "read": (reads.get(name, [])[:MAX_READS] if reads is not None else "unknown"),
            "false_crashes": parse_info["false_crash"].get(name),
        }
        if opt.choices:
            entry["choices"] = opt.choices
        out_options.append(entry)

    declared = set(options) | {a["from"] for a in aliases}
    computed = [{"name": name, "line": line} for name, line in sorted(parse_info["overwritten"].items())
                if name not in options]
    module_reads = []
    dynamic_prefixes = []
    if reads is not None:
        for name in sorted(set(reads) - declared - {c["name"] for c in computed}):
            if name.startswith("*"):
                dynamic_prefixes.append({"prefix": name[1:], "read": reads[name][:MAX_READS]})
            else:
                module_reads.append({"name": name, "read": reads[name][:MAX_READS]})

    header = {
        "series": series,
        "generated_by": "scripts/odoo_options/extract.py",
        "repository": repository,
        "commit": commit,
        "release": release,
        "config_py": CONFIG_PY,
        "holds": " ".join(words[2:]) or "the Odoo server and its bundled addons",
        "reads_scanned": "odoo/ and addons/, tests excluded" if reads is not None else None,
    }
    # Options the series' stable branch gained after the pinned build, named in a LATER
    # file beside SOURCE (their code is not in this copy: the rules claim nothing of them).
    later = []
    later_path = os.path.join(tree_dir, "LATER")
    if os.path.exists(later_path):
        with open(later_path, encoding="utf-8") as handle:
            later = sorted(handle.read().split())
    data = {
        "source": header,
        "later_in_series": later,
        "loader": "legacy" if legacy else "typed",
        "file_loaded_at": load_line,
        "unknown_key": {"effect": "stored" if legacy else "warned", "line": store_line},
        "options": out_options,
        "aliases": aliases,
        "computed": computed,
        "module_reads": module_reads,
        "dynamic_read_prefixes": dynamic_prefixes,
        "save_skips": sorted(skipped),
        "saved_by_default": save_defaults(series, options, legacy, skipped, parse_info),
    }
    return data


def write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=False)
        handle.write("\n")


def write_saved(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    source = data["source"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            f"; What `odoo --save` writes with no config file and no option, for Odoo {source['series']}\n"
            f"; ({source['repository']} {source['commit'][:12]}, {CONFIG_PY}: configmanager.save()).\n"
            "; Generated by scripts/odoo_options/extract.py; data_dir and addons_path are those of\n"
            "; the Debian package run without a home directory.\n"
            "[options]\n")
        for line in data["saved_by_default"]:
            handle.write(line + "\n")


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    sources = argv[1]
    repo = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..")
    for series in sorted(os.listdir(sources)):
        tree_dir = os.path.join(sources, series)
        if not os.path.isfile(os.path.join(tree_dir, CONFIG_PY)):
            continue
        DEFAULT_LISTS.clear()
        data = extract(series, tree_dir)
        write_json(os.path.join(repo, "data", "odoo", f"{series}.json"), data)
        write_saved(os.path.join(repo, "fixtures", "odoo-save", series, "config", "odoo.conf"), data)
        print(f"{series}: {len(data['options'])} options, {len(data['aliases'])} aliases, "
              f"{len(data['module_reads'])} keys read but not declared")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
