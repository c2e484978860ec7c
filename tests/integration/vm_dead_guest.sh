# A guest that never writes results is an `error` for that kernel, with its
# console log kept, within the timeout: init exiting early (kernel panic) and
# init hanging (outer timeout). tests/tools/dead_guest replaces the guest's /init;
# the product has no such option.
source "$(dirname "$0")/lib.bash"
require_root

check_dead() { # mode, timeout, expected reason fragment
  local mode=$1 timeout=$2 why=$3 start end rc
  start=$(date +%s)
  "$(dirname "$XDPLAB")/tests/dead_guest" "$XDPLAB" "$mode" "$timeout" "$WORK/$mode" \
    "$SRC/experiments/egress-ifindex.yaml" egress-ifindex/native > "$WORK/out" 2> "$WORK/err"; rc=$?
  end=$(date +%s)
  [ "$rc" -eq 2 ] || { cat "$WORK/err"; fail "$mode: exit $rc, expected 2"; }
  local f
  f=$(ls "$WORK/$mode"/6.1*.json 2>/dev/null | head -1)
  [ -n "$f" ] || fail "$mode: no results file"
  [ "$(json_get "$f" 'd["experiments"][0]["verdict"]')" = error ] || fail "$mode: not an error"
  json_get "$f" 'd["experiments"][0]["reason"]' | grep -q "$why" || fail "$mode: reason: $(json_get "$f" 'd["experiments"][0]["reason"]')"
  [ -s "$(json_get "$f" 'd["experiments"][0]["evidence"]["console_log"]')" ] || fail "$mode: console log not kept"
  [ $((end - start)) -le $((timeout + 60)) ] || fail "$mode: took $((end - start)) s"
  note "$mode: error after $((end - start)) s: $(json_get "$f" 'd["experiments"][0]["reason"]' | cut -c1-120)"
}
check_dead exit-early 300 "gave no results: the guest sent no results block"
check_dead hang 30 "did not finish within 30 s"
echo "PASS"
