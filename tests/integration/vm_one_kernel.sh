# Boots one Debian kernel (6.12) in a VM, KVM probed with TCG fallback, and
# runs two experiments in it through the same harness code path; the host gets
# an intact xdplab-results/1 file back and a report.
source "$(dirname "$0")/lib.bash"
require_root
"$XDPLAB" --kernels 6.12 --results-dir "$WORK/res" egress-ifindex/native metadata-across-devmap/native \
  > "$WORK/out" 2> "$WORK/err"; rc=$?
cat "$WORK/err" >&2
[ "$rc" -eq 0 ] || fail "exit $rc"
f=$(ls "$WORK"/res/6.12*.json 2>/dev/null | head -1)
[ -n "$f" ] || fail "no results file for the 6.12 guest"
[ "$(json_get "$f" 'd["schema"]')" = "xdplab-results/1" ] || fail "bad schema"
[ "$(json_get "$f" 'd["kernel"]["version"][1]')" = 12 ] || fail "not a 6.12 kernel: $(json_get "$f" 'd["kernel"]')"
[ "$(json_get "$f" 'len(d["experiments"])')" = 2 ] || fail "expected 2 subtests"
[ "$(json_get "$f" 'sorted({e["verdict"] for e in d["experiments"]})')" = "['confirmed']" ] || fail "verdicts: $(json_get "$f" '[e["verdict"] for e in d["experiments"]]')"
grep -q "6.12" "$WORK/res/report.md" || fail "report does not show the kernel"
grep -q "using " "$WORK/err" || fail "no word on KVM/TCG"
echo "PASS"
