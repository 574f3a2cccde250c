#!/usr/bin/env python3
"""Reads odoo.conf files the way Odoo 16-18 do and prints what configparser makes of them.

Usage: configparser_dump.py FILE...

For each file, one JSON object on its own line:
  {"file": ..., "ok": bool, "error_type": str|null, "error_lines": [int],
   "section_order": [name], "sections": {name: [[key, value], ...]},
   "defaults": [[key, value], ...], "items": {name: [[key, value], ...]}}

"sections" holds each section's own keys, "items" what parser.items(name) returns: the
[DEFAULT] keys merged in, which is what Odoo reads from [options].

Odoo's configmanager.load() calls RawConfigParser().read([path]), which opens the file with
the locale encoding (UTF-8 in Odoo's images) in universal-newlines mode. The sections are
dumped also when a ParsingError is raised: configparser raises it only after reading the
whole file, so its content is complete. After any other error it is partial and left out.
"""
import configparser
import json
import sys


def dump(path):
    parser = configparser.RawConfigParser()
    result = {"file": path, "ok": True, "error_type": None, "error_lines": [],
              "section_order": [], "sections": {}, "defaults": [], "items": {}}
    complete = True
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle, path)
    except configparser.ParsingError as err:
        # MissingSectionHeaderError is a subclass of ParsingError: test it first.
        if isinstance(err, configparser.MissingSectionHeaderError):
            result["error_lines"] = [err.lineno]
            complete = False
        else:
            result["error_lines"] = [lineno for lineno, _ in err.errors]
        result["ok"] = False
        result["error_type"] = type(err).__name__
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as err:
        result["ok"] = False
        result["error_type"] = type(err).__name__
        result["error_lines"] = [err.lineno]
        complete = False
    except UnicodeDecodeError as err:
        result["ok"] = False
        result["error_type"] = type(err).__name__
        complete = False
    if complete:
        for name in parser.sections():
            result["section_order"].append(name)
            result["sections"][name] = [[k, v] for k, v in parser._sections[name].items()]
            result["items"][name] = [[k, v] for k, v in parser.items(name)]
        result["defaults"] = [[k, v] for k, v in parser._defaults.items()]
    return result


def main(paths):
    for path in paths:
        print(json.dumps(dump(path)))


if __name__ == "__main__":
    main(sys.argv[1:])
