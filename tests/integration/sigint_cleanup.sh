# SIGINT or SIGTERM in the middle of a run, at several points (building a
# topology, loading, sending): exit 130, no results file, and no namespace,
# link, XDP attachment or tracefs instance left behind.
source "$(dirname "$0")/lib.bash"
require_root
before_xdp=$(host_xdp_attachments)
for case in "INT 0.2" "TERM 0.9" "INT 1.6" "TERM 2.3"; do
  set -- $case
  sig=$1 delay=$2
  rm -f "$WORK/r.json"
  "$XDPLAB" --json "$WORK/r.json" --quiet 2> "$WORK/err" &
  pid=$!
  ns=""
  for _ in $(seq 1 200); do
    ns=$(ip netns list | awk '{print $1}' | grep -E '^xdplab-[0-9a-f]{6}-' | head -1)
    [ -n "$ns" ] && break
    sleep 0.05
  done
  [ -n "$ns" ] || { kill -9 $pid; fail "the run never created a namespace"; }
  id=$(echo "$ns" | cut -d- -f2)
  sleep "$delay"
  progress=$(grep -c '^\[' "$WORK/err")
  kill -"$sig" $pid
  wait $pid; rc=$?
  [ "$rc" -eq 130 ] || { cat "$WORK/err"; fail "SIG$sig after ${delay}s: exit code $rc, expected 130"; }
  [ ! -e "$WORK/r.json" ] || fail "SIG$sig: an interrupted run wrote results"
  [ -z "$(leftovers "$id")" ] || fail "SIG$sig: run $id left: $(leftovers "$id")"
  [ "$(host_xdp_attachments)" = "$before_xdp" ] || fail "SIG$sig: XDP attachments changed on the host"
  [ ! -e "/run/xdplab/$id.pid" ] || fail "SIG$sig: liveness file left"
  note "SIG$sig ${delay}s after $ns appeared (subtest $progress): exit 130, nothing left"
done
echo "PASS"
