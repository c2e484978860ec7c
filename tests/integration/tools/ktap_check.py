#!/usr/bin/env python3
"""Parse KTAP by the rules of the kernel's Documentation/dev-tools/ktap.rst
and print the leaf counts as JSON: {"ok": n, "not_ok": n, "skip": n, "error": n}.

Rules checked (exit 1 with the line number on the first violation):
  - a version line ("KTAP version 1") opens the document and every nested level;
  - a plan "1..N" follows the version line, and the level holds exactly N results;
  - results are "ok"/"not ok" NUMBER [description][ # [DIRECTIVE] [data]], numbered
    1, 2, ... within their level, the description without '#';
  - nested lines are indented by two spaces per level; a nested level ends with its
    parent's result line, one level out;
  - a parent is "not ok" when one of its subtests is (the parent "should also fail").
Leaves are results without a nested level; SKIP counts apart from ok, and ERROR
apart from not ok."""
import json
import re
import sys

RESULT = re.compile(r'^(ok|not ok) (\d+)(?: ([^#]*?))?(?: # ?(.*))?$')
DIRECTIVES = ("SKIP", "TODO", "XFAIL", "TIMEOUT", "ERROR")


class KtapError(Exception):
    pass


def parse(lines):
    counts = {"ok": 0, "not_ok": 0, "skip": 0, "error": 0}
    pos = 0

    def fail(msg):
        raise KtapError("line %d: %s: %r" % (pos + 1, msg, lines[pos] if pos < len(lines) else ""))

    def level(indent):
        """Parses a level starting at its version line; returns whether any result is not ok."""
        nonlocal pos
        pad = " " * indent
        if pos >= len(lines) or lines[pos] != pad + "KTAP version 1":
            fail("expected a version line at indent %d" % indent)
        pos += 1
        m = re.match(r"^1\.\.(\d+)$", lines[pos][indent:]) if pos < len(lines) and lines[pos].startswith(pad) else None
        if not m:
            fail("expected a plan after the version line")
        planned = int(m.group(1))
        pos += 1
        number, any_failed, child_failed = 0, False, None
        while pos < len(lines):
            line = lines[pos]
            if line.startswith(pad + "  KTAP version 1"):
                child_failed = level(indent + 2)
                continue
            if not line.startswith(pad) or line[indent:indent + 1] == " ":
                if line.lstrip().startswith("#"):
                    pos += 1  # a diagnostic line of a deeper level
                    continue
                break  # one level out: the parent's result line
            body = line[indent:]
            if body.startswith("#"):
                pos += 1
                continue
            m = RESULT.match(body)
            if not m:
                fail("neither a result, a plan, a version nor a diagnostic line")
            result, num, desc, tail = m.group(1), int(m.group(2)), m.group(3), m.group(4) or ""
            number += 1
            if num != number:
                fail("test number %d where %d was due" % (num, number))
            directive = tail.split(" ", 1)[0] if tail.split(" ", 1)[0] in DIRECTIVES else ""
            if child_failed is None:  # a leaf
                if directive == "SKIP":
                    counts["skip"] += 1
                elif directive == "ERROR":
                    if result != "not ok":
                        fail("ERROR on an ok line")
                    counts["error"] += 1
                else:
                    counts["ok" if result == "ok" else "not_ok"] += 1
            elif child_failed and result == "ok":
                fail("a parent is ok while one of its subtests is not")
            any_failed = any_failed or result == "not ok"
            child_failed = None
            pos += 1
        if child_failed is not None:
            fail("a nested level without its parent's result line")
        if number != planned:
            fail("plan 1..%d, but %d results" % (planned, number))
        return any_failed

    level(0)
    if pos != len(lines):
        fail("lines after the document's last result")
    return counts


def main():
    with open(sys.argv[1]) as f:
        lines = f.read().splitlines()
    try:
        print(json.dumps(parse(lines)))
    except KtapError as e:
        print("ktap: %s" % e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
