# SIGINT in the middle of an experiment: exit 130, no results file, and no
# namespace, link, XDP attachment or tracefs instance left behind.
source "$(dirname "$0")/lib.bash"
require_root
before_xdp=$(host_xdp_attachments)
"$XDPLAB" --json "$WORK/r.json" --quiet &
pid=$!
# Wait until the run has built a topology (a namespace of its own exists).
for _ in $(seq 1 200); do
  ns=$(ip netns list | awk '{print $1}' | grep -E '^xdplab-[0-9a-f]{6}-' | head -1)
  [ -n "$ns" ] && break
  sleep 0.05
done
[ -n "$ns" ] || { kill -9 $pid; fail "the run never created a namespace"; }
id=$(echo "$ns" | cut -d- -f2)
sleep 0.3
kill -INT $pid
wait $pid; rc=$?
[ "$rc" -eq 130 ] || fail "exit code $rc, expected 130"
[ ! -e "$WORK/r.json" ] || fail "an interrupted run wrote results"
[ -z "$(leftovers "$id")" ] || fail "run $id left: $(leftovers "$id")"
[ "$(host_xdp_attachments)" = "$before_xdp" ] || fail "XDP attachments changed on the host"
echo "PASS (interrupted run $id during $ns)"
