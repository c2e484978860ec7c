#!/usr/bin/env bash
# Speed and stability of a full host run, printed as figures (not a test):
#   wall time, median and max subtest time, for each -j of JOBS (default
#   "1 default": -j 1 and the harness's own default); then RUNS runs of each,
#   and whether every run gave the same verdicts.
#
#   [JOBS="4 8 12 16"] bench/speed.sh [RUNS] [EXPERIMENT ...]
#                       (as root, after ./run.sh has built the harness;
#                        default: every experiment)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$here/build/xdplab"
runs=${1:-10}
shift || true
selectors=("$@")
[ -x "$bin" ] || { echo "build first: ./run.sh --list" >&2; exit 3; }
work=$(mktemp -d /tmp/xdplab-speed.XXXXXX)
source "$here/harness/mounts.sh"
mount_all
trap 'rm -rf "$work"; unmount_all' EXIT

one_run() { # jobs-option out.json -> prints wall ms
  local t0 t1
  t0=$(date +%s%N)
  "$bin" $1 --quiet --json "$2" "${selectors[@]}" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

summarise() { # label json wall
  python3 - "$1" "$2" "$3" <<'PY'
import json, statistics, sys
label, path, wall = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(path))
ms = sorted(e["duration_ms"] for e in d["experiments"])
v = {}
for e in d["experiments"]:
    v[e["verdict"]] = v.get(e["verdict"], 0) + 1
print(f"{label:<10} wall {wall/1000:6.2f} s   subtests {len(ms)}   median {statistics.median(ms):5.0f} ms"
      f"   max {ms[-1]:5d} ms   {', '.join(f'{n} {k}' for k, n in sorted(v.items()))}")
PY
}

verdicts() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(e["id"]+"/"+e["subtest"]+"="+e["verdict"] for e in d["experiments"]))' "$1"; }

echo "kernel $(uname -r), $(nproc) cores"
labels=()
for label in ${JOBS:-1 default}; do
  jobs="-j $label"
  [ "$label" = default ] && jobs=""
  labels+=("$label")
  shown=${jobs:-default}
  wall=$(one_run "$jobs" "$work/first.json")
  summarise "$shown" "$work/first.json" "$wall"
  verdicts "$work/first.json" > "$work/reference"
  flakes=0 walls=()
  for i in $(seq 1 "$runs"); do
    walls+=("$(one_run "$jobs" "$work/r.json")")
    if ! verdicts "$work/r.json" | cmp -s - "$work/reference"; then
      flakes=$((flakes + 1))
      verdicts "$work/r.json" | tr ' ' '\n' | grep -v -x -F -f <(tr ' ' '\n' < "$work/reference") | sed 's/^/    differs: /'
    fi
  done
  printf '%-10s %d more runs: wall min %s ms, max %s ms; runs whose verdicts differ from the first: %d\n' \
    "$shown" "$runs" "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)" "$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)" "$flakes"
  cp "$work/reference" "$work/reference$label"
done
for label in "${labels[@]:1}"; do
  if cmp -s "$work/reference${labels[0]}" "$work/reference$label"; then
    echo "verdicts identical between -j ${labels[0]} and -j $label"
  else
    echo "verdicts DIFFER between -j ${labels[0]} and -j $label"
  fi
done
