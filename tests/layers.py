#!/usr/bin/env python3
"""The harness in layers, dependencies one way: a file may include files of its
own layer or of a layer below it, never above. Fails (exit 1) naming each
include that reaches up. Layers, bottom to top (a folder is one layer):

  bpf               the BPF programs and the structs they share with C++
  netns             namespaces, run-scoped names, links, and processes run in them
  harness/tools     ping and TCP tools the steps run (over netns)
  harness           the core: results model, expectations, verdicts, evidence
                    (frames, trace, ring buffer, drop watch, kernel log), XDP attach
  harness/formats   other tools' formats of results and frames (JUnit, KTAP, KCIDB, pcapng)
  harness/case      case files: reading, checking, running
  harness/vm        kernels and guests: Debian's archive, images, initramfs, QEMU
  harness/cost      the cost bench
  harness/basis     kernel boundaries: commits and the builds that carry them
  harness/engine    the runner, the C++ experiments' toolkit (lab), probes
  harness/report    the matrix report and its model
  harness/matrix    runs across kernels: the matrix, bisect
  experiments       the catalog's C++ experiments (on harness/engine/lab.h)
  harness/cli       the command line
"""
import os
import re
import sys

LAYERS = ["bpf", "netns", "harness/tools", "harness", "harness/formats", "harness/case", "harness/vm",
          "harness/cost", "harness/basis", "harness/engine", "harness/report", "harness/matrix",
          "experiments", "harness/cli"]


def layer_of(path):
    best = None
    for i, prefix in enumerate(LAYERS):
        if os.path.dirname(path) == prefix or (prefix in ("bpf", "netns", "experiments") and path.startswith(prefix + "/")):
            best = i
    return best


def includes(root):
    for top in ("bpf", "netns", "harness", "experiments"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if not name.endswith((".h", ".cpp", ".c")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                with open(os.path.join(root, path), errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                        if not m:
                            continue
                        target = os.path.normpath(os.path.join(os.path.dirname(path), m.group(1)))
                        if os.path.exists(os.path.join(root, target)):
                            yield path, number, target


def violations(edges):
    out = []
    for path, number, target in edges:
        a, b = layer_of(path), layer_of(target)
        if a is None:
            out.append("%s: in no layer (add its folder to tests/layers.py)" % path)
        elif b is not None and b > a:
            out.append("%s:%d includes %s: %s is below %s" % (path, number, target, LAYERS[a], LAYERS[b]))
    return sorted(set(out))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    # The check can fail: an include from netns up into the engine is found.
    assert violations([("netns/topology.cpp", 1, "harness/engine/runner.h")]), "the check finds nothing"
    assert not violations([("harness/engine/runner.cpp", 1, "netns/topology.h")])
    edges = list(includes(root))
    problems = violations(edges)
    for p in problems:
        print("layers: " + p)
    print("layers: %d includes checked over %d layers, %d reaching up" % (len(edges), len(LAYERS), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
