#!/usr/bin/env bash
# The case engine's targets, printed as figures (not a test):
#   1. the whole catalog on this host: RUNS runs, wall min / median / max, and
#      whether every run gave the same verdicts;
#   2. the whole catalog in one TCG guest, boot included (GUEST_RUNS runs of
#      the Debian series GUEST), with the guest's own run time beside it;
#   3. the experiments that stay C++: lines per file, and the concepts each
#      one needs: the harness names it uses, grouped as harness/engine/lab.h groups
#      them; a harness name outside those groups counts as a concept of its own.
#
#   bench/case-targets.sh [RUNS] [GUEST_RUNS]   (as root, after ./run.sh has built
#   GUEST=6.12 (default)                         the harness; GUEST_RUNS=0: no guest)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$here/build/xdplab"
runs=${1:-5}
guest_runs=${2:-1}
guest=${GUEST:-6.12}
[ -x "$bin" ] || { echo "build first: ./run.sh --list" >&2; exit 3; }
work=$(mktemp -d /tmp/xdplab-case-targets.XXXXXX)
source "$here/harness/mounts.sh"
mount_all
trap 'rm -rf "$work"; unmount_all' EXIT

verdicts() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(sorted(e["id"]+"/"+e["subtest"]+"="+e["verdict"] for e in d["experiments"])))' "$1"; }

echo "== host: kernel $(uname -r), $(nproc) cores, whole catalog, $runs runs (target: <= 6 s wall)"
walls=() differ=0
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  "$bin" --quiet --json "$work/host.json" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  walls+=($(( (t1 - t0) / 1000000 )))
  if [ "$i" = 1 ]; then verdicts "$work/host.json" > "$work/reference"
  elif ! verdicts "$work/host.json" | cmp -s - "$work/reference"; then differ=$((differ + 1)); fi
done
printf '%s\n' "${walls[@]}" | sort -n | python3 -c '
import statistics, sys
w = [int(x) for x in sys.stdin]
print(f"wall ms: min {w[0]}, median {statistics.median(w):.0f}, max {w[-1]}   (runs: {len(w)})")'
echo "subtests $(wc -l < "$work/reference"), $(grep -c '=confirmed$' "$work/reference") confirmed; runs whose verdicts differ from the first: $differ"

if [ "$guest_runs" -gt 0 ]; then
  echo
  echo "== one TCG guest ($guest), whole catalog including boot, $guest_runs run(s) (target: <= 35 s)"
  for i in $(seq 1 "$guest_runs"); do
    rm -rf "$work/guest"
    t0=$(date +%s%N)
    "$bin" --kernels "$guest" --accel tcg --results-dir "$work/guest" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    python3 - "$work/guest" $(( (t1 - t0) / 1000000 )) <<'PY'
import glob, json, sys
for path in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(path))
    if d.get("schema") != "xdplab-results/1" or (d.get("runner") or {}).get("kind") != "vm":
        continue
    v = [e["verdict"] for e in d["experiments"]]
    phases = {}
    for e in d["experiments"]:
        for k, ms in ((e.get("evidence") or {}).get("phases_ms") or {}).items():
            phases[k] = phases.get(k, 0) + ms
    print(f"{d['kernel']['release']}: guest wall {d['runner']['wall_ms']/1000:.1f} s (boot, run, results), "
          f"run inside {d['duration_ms']/1000:.1f} s, command {int(sys.argv[2])/1000:.1f} s; "
          f"{v.count('confirmed')}/{len(v)} confirmed")
    for e in d["experiments"]:
        if e["verdict"] != "confirmed":
            print(f"  {e['id']}/{e['subtest']}: {e['verdict']}: {e.get('reason', '')[:300]}")
    total = sum(phases.values()) or 1
    print("  subtest time by phase (all subtests, summed): " +
          ", ".join(f"{k} {ms/1000:.0f} s ({100*ms/total:.0f}%)" for k, ms in sorted(phases.items(), key=lambda x: -x[1])))
PY
  done
fi

echo
echo "== experiments that stay C++ (target: <= 7 concepts, <= 80 lines median)"
python3 - "$here" <<'PY'
import glob, os, re, statistics, sys
root = sys.argv[1]
# harness/engine/lab.h's seven groups; each name an experiment may use belongs to one.
groups = {
    "1 DeclaredExperiment/ProcedurePlan": ["DeclaredExperiment", "ProcedurePlan", "Plan", "plan"],
    "2 Lab": ["Lab", "lab.has", "lab.ifindex", "lab.netns", "lab.link", "lab.subtest", "lab.explaining"],
    "3 lab.step": ["lab.step", "lab.must", "errno_of", "errno_number"],
    "4 load/create/attach": ["lab.load", "lab.try_load", "lab.create", "lab.try_attach", "LabObject", "LoadOutcome",
                             "AttachFailure", "XdpMode", "to_string", "lab.unload_all", "lab.pin", "lab.tagged_frame", "lab.tool",
                             "CommandResult"],
    "5 observe/note": ["lab.observe", "lab.note", "lab.measurement"],
    "6 SkipSubtest": ["SkipSubtest"],
    "7 XDPLAB_EXPERIMENT": ["XDPLAB_EXPERIMENT"],
}
of = {name: g for g, names in groups.items() for name in names}
# Every other name the harness headers declare counts on its own.
declared = set()
for h in glob.glob(root + "/harness/*.h"):
    text = open(h).read()
    # Types, and free functions (declared at the start of a line; members are indented).
    declared |= set(re.findall(r"^(?:class|struct|enum class)\s+([A-Za-z_]\w*)", text, re.M))
    declared |= set(re.findall(r"^[A-Za-z][\w:<>,\*& ]*?\b([a-z_]\w*)\s*\(", text, re.M))
# json is nlohmann's, named once for the harness; members of a type belong to the type.
declared -= {"json", "if", "for", "while", "return", "switch", "sizeof", "operator"}
rows = []
for path in sorted(glob.glob(root + "/experiments/*.cpp")):
    src = open(path).read()
    code = re.sub(r"//[^\n]*", "", src)
    bare = re.sub(r"(?:\.|->|::)\s*\w+", "", code) # members, and std:: names
    names = set(re.findall(r"\blab\.\w+", code)) | (set(re.findall(r"\b[A-Za-z_]\w*\b", bare)) & (declared | set(of)))
    own = set(re.findall(r"\b(?:class|struct)\s+(\w+)", code))
    names -= own
    concepts = {of.get(n, n) for n in names if n in of or n in declared}
    rows.append((os.path.basename(path), src.count("\n"), sorted(concepts)))
for name, lines, concepts in rows:
    extra = [c for c in concepts if not c[0].isdigit()]
    print(f"{name:34} {lines:4} lines  {len(concepts)} concepts" + (f"  (outside the toolkit: {', '.join(extra)})" if extra else ""))
if rows:
    print(f"median: {statistics.median(r[1] for r in rows):.0f} lines, most concepts in one file: {max(len(r[2]) for r in rows)}")
PY
