#!/usr/bin/env bash
# The kernel matrix's targets, printed as figures (not a test):
#   the wall time of each kernel (guests: boot included) and of the whole run,
#   the subtests' verdicts per kernel, and how many packages the run had to
#   download (a second run over the same kernels should download none: the
#   kernel cache keeps every unpacked build).
#
#   bench/matrix.sh [KERNELS] [EXPERIMENT ...]   (as root, after ./run.sh has
#                                                built the harness; default: all)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$here/build/xdplab"
kernels=${1:-all}
shift || true
[ -x "$bin" ] || { echo "build first: ./run.sh --list" >&2; exit 3; }
cache=/var/cache/xdplab/kernels
work=$(mktemp -d /tmp/xdplab-matrix-bench.XXXXXX) # kept: the results are the evidence
mkdir -p "$cache"
touch "$work/marker"

t0=$(date +%s%N)
set +e
"$bin" --kernels "$kernels" --accel tcg --results-dir "$work/results" "$@" > "$work/out" 2> "$work/err"
rc=$?
set -e
t1=$(date +%s%N)

downloaded=$(find "$cache" -name '*.deb' -newer "$work/marker" | wc -l)
python3 - "$work/results" "$rc" $(( (t1 - t0) / 1000000 )) "$downloaded" <<'PY'
import glob, json, sys
results, rc, wall_ms, downloaded = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = []
for path in glob.glob(results + "/*.json"):
    d = json.load(open(path))
    if d.get("schema") != "xdplab-results/1":
        continue
    runner = d.get("runner") or {}
    v = [e["verdict"] for e in d["experiments"]]
    rows.append((tuple(d["kernel"]["version"]), d["kernel"]["release"], runner.get("accel", runner.get("kind", "?")),
                 runner.get("wall_ms", d.get("duration_ms", 0)), len(v), v.count("confirmed"), v.count("deviates"),
                 v.count("skipped"), v.count("error")))
print(f"{'kernel':32} {'accel':5} {'wall':>7}  subtests  confirmed deviates skipped error")
for _, rel, accel, ms, n, c, d, s, e in sorted(rows):
    print(f"{rel:32} {accel:5} {ms/1000:6.1f}s  {n:8}  {c:9} {d:8} {s:7} {e:5}")
guests = [r[3] for r in rows if r[2] in ("tcg", "kvm")]
if guests:
    print(f"guests: {len(guests)}, slowest {max(guests)/1000:.1f} s, median {sorted(guests)[len(guests)//2]/1000:.1f} s (target: full catalog <= 90 s each under TCG)")
print(f"whole run: {wall_ms/1000:.1f} s for {len(rows)} kernel(s), exit {rc} (target for --kernels all: <= 900 s)")
print(f"packages downloaded during the run: {downloaded}")
print(f"results, console logs and report: {results}")
PY
