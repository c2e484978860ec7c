# The cost bench on the running kernel: two cases and their difference,
# every frame at its sink, figures that are figures, nothing left behind;
# an unknown case is bad input. On a kernel without live frames (< 5.18)
# every case must be skipped with that reason, never measured.
source "$(dirname "$0")/lib.bash"
require_root
"$XDPLAB" bench nosuch-case > "$WORK/bad.log" 2>&1; rc=$?
[ "$rc" -eq 3 ] || { cat "$WORK/bad.log"; fail "unknown case: exit $rc, want 3"; }

"$XDPLAB" bench --repetitions 5 --json "$WORK/b.json" redirect-devmap redirect-devmap-prog > "$WORK/b.log" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { cat "$WORK/b.log"; fail "bench exit $rc"; }
[ -z "$(dead_leftovers)" ] || fail "left behind: $(dead_leftovers)"
[ "$(host_xdp_attachments)" -eq 0 ] || fail "an XDP program is left on a host link"
python3 - "$WORK/b.json" <<'PY' || fail "bench results: $(cat "$WORK/b.log")"
import json, sys
d = dd = json.load(open(sys.argv[1]))
assert d["schema"] == "xdplab-results/1", d["schema"]
cases = {c["name"]: c for c in d["benchmarks"]["cases"]}
assert set(cases) == {"redirect-devmap", "redirect-devmap-prog"}, cases.keys()
release = tuple(d["kernel"]["version"][:2])
for c in cases.values():
    if release < (5, 18):
        assert c["status"] == "skipped" and "LIVE_FRAMES" in c["reason"], c
        continue
    assert c["delivered"] == c["expected_delivered"] == c["injected"], c
    assert len(c["samples"]) == 5, c
    if c["status"] == "unstable":  # most rounds in the machine's slow state: no figure, said so
        assert "slow state" in c["reason"] and "ns_per_packet" not in c, c
        assert sum(s["disturbed"] for s in c["samples"]) >= 3, c
        continue
    assert c["status"] == "measured", c
    ns = c["ns_per_packet"]
    assert 0 < ns["min"] <= ns["median"] <= ns["max"], ns
    assert c["mpps"]["median"] > 0, c
if release >= (5, 18) and all(c["status"] == "measured" for c in cases.values()):
    d = cases["redirect-devmap-prog"]["cost_over_base"]
    assert d["low"] <= d["ns"] <= d["high"], d
    # The band holds the rounds' band and the states the rounds passed through.
    assert d["low"] <= d["rounds_band"][0] <= d["ns"] <= d["rounds_band"][1] <= d["high"], d
    assert d["states"][0] <= 1 <= d["states"][1], d
    assert len(dd["benchmarks"]["round_states"]) == 5, dd["benchmarks"]["round_states"]
PY
echo "PASS"
