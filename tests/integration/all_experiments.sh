# Every experiment on the running kernel: no error, no deviation, evidence in
# the results, and the host left as it was.
source "$(dirname "$0")/lib.bash"
require_root
before_xdp=$(host_xdp_attachments)
"$XDPLAB" --json "$WORK/r.json" --junit "$WORK/r.xml" --quiet; rc=$?
[ -f "$WORK/r.json" ] || fail "no results file"
cat "$WORK/r.json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["schema"] == "xdplab-results/1"
bad = [e for e in d["experiments"] if e["verdict"] in ("error", "deviates")]
for e in bad: print("  ", e["id"], e["subtest"], e["verdict"], e["reason"])
ids = {e["id"] for e in d["experiments"]}
need = {"egress-after-ingress", "egress-sees-packet-writes", "metadata-across-devmap", "egress-ifindex",
        "redirect-map-last-call-wins", "redirect-map-failed-last-call", "redirect-map-return-codes",
        "devmap-prog-generic-mode", "bpftool-devmap-prog-entry", "veth-peer-needs-xdp"}
assert need <= ids, need - ids
for e in d["experiments"]:
    if e["verdict"] == "confirmed":
        assert e["observations"] and e["evidence"] and e["basis"], e["id"]
names = {(e["id"], e["subtest"]): e["observations"] for e in d["experiments"]}
m = names[("metadata-across-devmap", "native")]
assert {"meta_valid", "meta_len", "meta_value_equal"} <= set(m), m
assert {"ingress_ifindex_is_rx", "egress_ifindex_is_tx"} <= set(names[("egress-ifindex", "native")])
assert {"delivered", "devmap_progs_ran"} <= set(names[("redirect-map-last-call-wins", "devmap")])
f = names[("redirect-map-failed-last-call", "return_xdp_redirect")]
assert "second_call_ret" in f and "key_as_ifindex" in f["delivered"], f
assert {"attach_errno", "devmap_prog_ran"} <= set(names[("devmap-prog-generic-mode", "generic")])
assert {"delivered", "drop_tracepoint"} <= set(names[("veth-peer-needs-xdp", "none")])
sys.exit(1 if bad else 0)
' || fail "results have errors/deviations or miss observations (exit $rc)"
[ "$rc" -eq 0 ] || fail "exit code $rc"
grep -q '<testsuites' "$WORK/r.xml" || fail "no JUnit"
[ -z "$(dead_leftovers)" ] || fail "left behind: $(dead_leftovers)"
[ ! -d /run/xdplab ] || fail "/run/xdplab left behind: $(state_dir_left)"
[ "$(host_xdp_attachments)" = "$before_xdp" ] || fail "XDP attachments changed on the host"
echo "PASS"
