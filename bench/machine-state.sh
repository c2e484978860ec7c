#!/usr/bin/env bash
# What the machine's slow state slows (printed, not a test): for MINUTES
# (default 6), alternates the timed loops of bench/state_probe.cpp with a short
# cost bench of DROP and TX on the same CPU, a line per turn; then groups the
# turns by the bench's state (DROP more than 1.2 times its fastest turn: the
# slow state, the rule the bench judges its rounds by) and prints each loop's
# median and range per state. A loop that moves by the bench's factor is what
# the state is made of; one that does not move is not it.
#
#   bench/machine-state.sh [MINUTES] [CPU]   (as root, after a build; CPU default the last online one)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="${XDPLAB_BIN:-$here/build/xdplab}"
[ -x "$bin" ] || { echo "build first: ./run.sh --list" >&2; exit 3; }
minutes=${1:-6}
cpu=${2:-$(($(nproc) - 1))}
source "$here/harness/mounts.sh"
work=$(mktemp -d /tmp/xdplab-machine-state.XXXXXX)
trap 'rm -rf "$work"; unmount_all' EXIT
mount_all
g++ -O2 -o "$work/probe" "$here/bench/state_probe.cpp"

echo "== machine state on $(uname -r), $(nproc) cores, CPU $cpu, $minutes min"
end=$((SECONDS + 60 * minutes))
turn=0
while [ $SECONDS -lt $end ]; do
  turn=$((turn + 1))
  loops=$("$work/probe" "$cpu")
  "$bin" bench drop tx --repetitions 5 --cpu "$cpu" --json "$work/bench.json" >/dev/null 2>&1 || true
  figures=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["benchmarks"]
print(" ".join("%s %.1f" % (c["name"], c["ns_per_packet"]["median"]) if "ns_per_packet" in c else c["name"] + " none"
               for c in d["cases"]))' "$work/bench.json" 2>/dev/null || echo "drop none tx none")
  echo "$(date +%T) $loops $figures" | tee -a "$work/turns"
done

python3 - "$work/turns" <<'PY'
import sys
turns = []
for line in open(sys.argv[1]):
    f = line.split()
    v = dict(zip(f[1::2], f[2::2]))
    if v.get("drop", "none") != "none":
        turns.append({k: float(x) for k, x in v.items() if x != "none"})
if not turns:
    sys.exit("no turn with a DROP figure")
fastest = min(t["drop"] for t in turns)
groups = {"fast": [t for t in turns if t["drop"] <= 1.2 * fastest], "slow": [t for t in turns if t["drop"] > 1.2 * fastest]}
def median(v):
    v = sorted(v); n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
print(f"\n{'':10s}" + "".join(f"{g + f' ({len(ts)} turns)':>34s}" for g, ts in groups.items()) + "   slow / fast (medians)")
for k in ["drop", "tx", "alu", "syscall", "page"]:
    row, med = f"{k:10s}", {}
    for g, ts in groups.items():
        v = [t[k] for t in ts if k in t]
        if v:
            med[g] = median(v)
            p = 3 if k == "alu" else 1
            row += f"{med[g]:.{p}f} ({min(v):.{p}f} - {max(v):.{p}f})".rjust(34)
        else:
            row += f"{'-':>34s}"
    if len(med) == 2:
        row += f"   x{med['slow'] / med['fast']:.2f}"
    print(row)
PY
