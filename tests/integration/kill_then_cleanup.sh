# SIGKILL in the middle of a run, then --cleanup at once, with no pause in
# between: the killed process may not even have finished dying yet. Its lock
# tells --cleanup that it is dead (or dying), so nothing of the run may be
# left: no namespace, link, tracefs instance or lock file. Several moments:
# building the first topology and later ones, one subtest at a time (-j 1,
# so the run lasts long enough) and several at once.
source "$(dirname "$0")/lib.bash"
require_root
for moment in "0 1" "0.7 1" "2.1 1" "0.3 4"; do
  set -- $moment
  delay=$1 jobs=$2
  rm -f "$WORK/r.json"
  : > "$WORK/err"
  "$XDPLAB" -j "$jobs" --json "$WORK/r.json" --quiet 2> "$WORK/err" &
  pid=$!
  # Its own id (other runs may share the host), then its first namespace.
  id="" ns=""
  for _ in $(seq 1 800); do
    [ -n "$id" ] || id=$(sed -n 's/^xdplab: run \([0-9a-f]\{6\}\) on kernel.*/\1/p' "$WORK/err")
    [ -n "$id" ] && ns=$(ip netns list | awk '{print $1}' | grep -E "^xdplab-$id-" | head -1)
    [ -n "$ns" ] && break
    sleep 0.0125
  done
  [ -n "$ns" ] || { kill -9 $pid; cat "$WORK/err"; fail "the run never created a namespace"; }
  [ "$delay" = 0 ] || sleep "$delay"
  [ -e "/run/xdplab/$id.lock" ] || { kill -9 $pid; fail "run $id holds no lock file"; }
  progress=$(grep -c '^\[' "$WORK/err")
  start=$(date +%s%N)
  kill -KILL "$pid"
  "$XDPLAB" --cleanup > "$WORK/cleanup" 2>&1; rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  wait $pid 2>/dev/null
  [ "$rc" -eq 0 ] || { cat "$WORK/cleanup"; fail "--cleanup after SIGKILL at ${delay}s: exit $rc"; }
  grep -q "(run $id)" "$WORK/cleanup" || { cat "$WORK/cleanup"; fail "--cleanup did not see run $id as dead"; }
  [ -z "$(leftovers "$id")" ] || fail "SIGKILL at ${delay}s: run $id left: $(leftovers "$id")"
  [ ! -e "/run/xdplab/$id.lock" ] || fail "SIGKILL at ${delay}s: /run/xdplab/$id.lock left"
  note "SIGKILL ${delay}s after $ns appeared (subtest $progress): --cleanup took ${ms} ms, nothing left"
done
# Not a failure: runs of other users of this host may be using it.
[ -z "$(state_dir_left)" ] || note "/run/xdplab still holds: $(state_dir_left | tr '\n' ' ')"
echo "PASS"
