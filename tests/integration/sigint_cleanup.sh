# SIGINT or SIGTERM in the middle of a run, at several points (building a
# topology, loading, sending), to the process alone or to its whole process
# group as a terminal's Ctrl-C does (then the `ip` children get it too), with
# one subtest at a time and with several at once: exit 130, no results file,
# and no namespace, link, XDP attachment or tracefs instance left behind.
source "$(dirname "$0")/lib.bash"
require_root
before_xdp=$(host_xdp_attachments)
for case in "INT 0.2 process 1" "TERM 1.6 process 1" "INT 3.1 group 1" \
            "INT 0.05 process 4" "TERM 0.4 group 4" "INT 0.8 group 4"; do
  set -- $case
  sig=$1 delay=$2 target=$3 jobs=$4
  rm -f "$WORK/r.json"
  set -m # job control: the run gets a process group of its own (pgid = pid)
  "$XDPLAB" -j "$jobs" --json "$WORK/r.json" --quiet 2> "$WORK/err" &
  pid=$!
  set +m
  id=$(run_id_from "$WORK/err") || { kill -9 $pid; cat "$WORK/err"; fail "the run never said its id"; }
  ns=""
  for _ in $(seq 1 400); do
    ns=$(ip netns list | awk '{print $1}' | grep -E "^xdplab-$id-" | head -1)
    [ -n "$ns" ] && break
    sleep 0.0125
  done
  [ -n "$ns" ] || { kill -9 $pid; fail "the run never created a namespace"; }
  sleep "$delay"
  progress=$(grep -c '^\[' "$WORK/err")
  if [ "$target" = group ]; then kill -"$sig" -- -"$pid"; else kill -"$sig" "$pid"; fi
  wait $pid; rc=$?
  [ "$rc" -eq 130 ] || { cat "$WORK/err"; fail "SIG$sig after ${delay}s (-j $jobs): exit code $rc, expected 130"; }
  [ ! -e "$WORK/r.json" ] || fail "SIG$sig: an interrupted run wrote results"
  [ -z "$(leftovers "$id")" ] || fail "SIG$sig: run $id left: $(leftovers "$id")"
  [ "$(host_xdp_attachments)" = "$before_xdp" ] || fail "SIG$sig: XDP attachments changed on the host"
  [ ! -e "/run/xdplab/$id.lock" ] || fail "SIG$sig: liveness file left"
  note "SIG$sig to the $target ${delay}s after $ns appeared (-j $jobs, $progress subtests done): exit 130, nothing left"
done
echo "PASS"
