# --explain prints the commands of a topology; --keep leaves it up and says how
# to remove it; --cleanup removes exactly what was kept.
source "$(dirname "$0")/lib.bash"
require_root
"$XDPLAB" --explain egress-ifindex/native > "$WORK/explain" || fail "--explain failed"
grep -q '^ip netns add xdplab-' "$WORK/explain" || fail "--explain shows no ip commands"
grep -q 'bpftool net attach xdpdrv' "$WORK/explain" || fail "--explain shows no attach"
[ -z "$(leftovers)" ] || fail "--explain created something: $(leftovers)"

# Two subtests kept side by side.
"$XDPLAB" --keep --json "$WORK/r.json" --quiet egress-ifindex > "$WORK/keep" 2>&1 || { cat "$WORK/keep"; fail "--keep run failed"; }
[ "$(ip netns list | grep -c -- '-dut')" -eq 2 ] || fail "--keep did not keep both subtests' topologies"
grep -q 'run.sh --cleanup' "$WORK/keep" || fail "--keep does not say how to clean up"
[ -n "$(leftovers)" ] || fail "--keep left nothing up"
# A later run must not sweep a kept topology away.
"$XDPLAB" --json "$WORK/r2.json" --quiet bpftool-devmap-prog-entry >/dev/null 2>&1
[ -n "$(leftovers)" ] || fail "a later run removed the kept topology"
"$XDPLAB" --cleanup || fail "--cleanup failed"
[ -z "$(leftovers)" ] || fail "--cleanup left: $(leftovers)"
echo "PASS"
