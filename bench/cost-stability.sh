#!/usr/bin/env bash
# Whether the cost bench's figures reproduce across whole runs (printed, not a
# test): runs `xdplab bench --against xdp-bench` N times in a row and prints,
# per case and per feature cost, the median of the runs' medians, the range
# across runs and the widest band one run printed; then whether each feature's
# range is within +-5 ns or +-10 % (whichever is larger) and inside a single
# run's band, and whether the xdp-bench ratio stays within 5 %.
#
#   bench/cost-stability.sh [N] [BENCH ARGS...]   (as root, after a build; N default 5)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="${XDPLAB_BIN:-$here/build/xdplab}"
runs=${1:-5}
shift || true
[ -x "$bin" ] || { echo "build first: ./run.sh --list" >&2; exit 3; }
work=$(mktemp -d /tmp/xdplab-cost-stability.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== cost bench, $runs whole runs on $(uname -r), $(nproc) cores"
for i in $(seq 1 "$runs"); do
  "$bin" bench --against xdp-bench --json "$work/run$i.json" "$@" >"$work/run$i.out" 2>"$work/run$i.err" || {
    echo "run $i failed:"; tail -5 "$work/run$i.err"; exit 2; }
  echo "run $i: $(tail -2 "$work/run$i.out" | head -1)"
done

python3 - "$work" "$runs" <<'EOF'
import json, sys
work, runs = sys.argv[1], int(sys.argv[2])
docs = [json.load(open(f"{work}/run{i}.json"))["benchmarks"] for i in range(1, runs + 1)]

def case(d, name): return next(c for c in d["cases"] if c["name"] == name)

def median(v):
    v = sorted(v); n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2

names = [c["name"] for c in docs[0]["cases"]]
slow = sum(1 for d in docs for c in d["cases"][:1] for s in c.get("samples", []) if s.get("disturbed"))
print(f"rounds left out (the machine in its slow state), over all runs: {slow} of {sum(len(d['rounds']) for d in docs)}")

print("\ncase                        median of medians   range across runs      widest in-run band   runs without a figure")
for n in names:
    cs = [c for c in (case(d, n) for d in docs) if c["status"] == "measured"]
    if not cs:
        print(f"{n:27s} no figure in any run"); continue
    meds = [c["ns_per_packet"]["median"] for c in cs]
    band = max(c["ns_per_packet"]["max"] - c["ns_per_packet"]["min"] for c in cs)
    print(f"{n:27s} {median(meds):8.1f} ns         {min(meds):7.1f} - {max(meds):7.1f}      {band:7.1f} ns           "
          f"{runs - len(cs)}")

print("\nfeature cost (ns/packet)                             median   range across runs   widest one-run band      "
      "target: +-max(5 ns, 10 %), every run's band holds the median")
ok_all = True
for n in names:
    cs = [c for c in (case(d, n) for d in docs) if "ns" in c.get("cost_over_base", {})]
    if not case(docs[0], n).get("base"):
        continue
    if len(cs) < runs:
        ok_all = False
    if not cs:
        print(f"{n + ' over ' + case(docs[0], n)['base']:52s} no figure in any run: NOT MET"); continue
    costs = [c["cost_over_base"]["ns"] for c in cs]
    lows = [c["cost_over_base"]["low"] for c in cs]; highs = [c["cost_over_base"]["high"] for c in cs]
    m = median(costs)
    tolerance = max(5.0, 0.10 * abs(m))
    within = max(costs) - m <= tolerance and m - min(costs) <= tolerance
    # Each run's printed band must hold the value the runs agree on.
    missed = sum(1 for i in range(len(cs)) if not lows[i] <= m <= highs[i])
    widest = max(range(len(cs)), key=lambda i: highs[i] - lows[i])
    ok = within and missed == 0 and len(cs) == runs
    ok_all = ok_all and ok
    print(f"{n + ' over ' + cs[0]['base']:52s} {m:+7.1f}   {min(costs):+7.1f} .. {max(costs):+7.1f}   "
          f"[{lows[widest]:+7.1f}, {highs[widest]:+7.1f}]        {'met' if ok else 'NOT MET'}"
          f"{'' if within else ' (range)'}{'' if missed == 0 else f' ({missed} run(s) whose band misses the median)'}"
          f"{'' if len(cs) == runs else f' ({runs - len(cs)} run(s) without a figure)'}")

ratios = []
for d in docs:
    for a in d.get("anchor", {}).get("cases", []):
        if a.get("status") == "measured":
            ratios.append((a["ratio"], a.get("ratio_band", [a["ratio"], a["ratio"]])))
if ratios:
    r = [x for x, _ in ratios]
    m = median(r)
    spread = max(abs(x - m) / m for x in r)
    print(f"\nxdp-bench anchor, xdplab / xdp-bench ns per packet: median {m:.3f}, range {min(r):.3f} .. {max(r):.3f} "
          f"({spread * 100:.1f} % from the median; target 5 %: {'met' if spread <= 0.05 else 'NOT MET'}); bands per run: "
          + ", ".join(f"[{b[0]:.3f}, {b[1]:.3f}]" for _, b in ratios))
else:
    print("\nxdp-bench anchor: not measured (see the runs' output)")
print("\nevery feature cost within its target:", "yes" if ok_all else "no")
EOF
