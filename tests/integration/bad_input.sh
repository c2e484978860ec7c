# Bad input gets a clear message and exit 3, never a crash or a results file.
source "$(dirname "$0")/lib.bash"
require_root

expect_config_error() { # name, pattern, command...
  local name=$1 pattern=$2; shift 2
  "$@" > "$WORK/out" 2>&1; local rc=$?
  [ "$rc" -eq 3 ] || { cat "$WORK/out"; fail "$name: exit $rc, expected 3"; }
  grep -q -- "$pattern" "$WORK/out" || { cat "$WORK/out"; fail "$name: message lacks '$pattern'"; }
  [ ! -e "$WORK/r.json" ] || fail "$name: wrote a results file"
  note "$name: $(head -1 "$WORK/out")"
}

expect_config_error "unknown experiment" 'unknown experiment "no-such-thing"' \
  "$XDPLAB" --json "$WORK/r.json" no-such-thing

# Matrix input is checked before any kernel is fetched or any run starts.
start=$(date +%s)
expect_config_error "malformed kernel" "--kernels 6.x" \
  "$XDPLAB" --json "$WORK/r.json" --kernels 6.1,6.x metadata-across-devmap
expect_config_error "missing kernel image" "--kernel-image /nonexistent/bzImage: no such file" \
  "$XDPLAB" --json "$WORK/r.json" --kernel-image /nonexistent/bzImage egress-ifindex
# Positional ids after --kernels are ids, not kernels: an unknown one is named.
expect_config_error "ids after --kernels" 'unknown experiment "no-such-thing"' \
  "$XDPLAB" --json "$WORK/r.json" --kernels 6.1 egress-ifindex no-such-thing
[ $(( $(date +%s) - start )) -le 5 ] || fail "bad matrix input took $(( $(date +%s) - start )) s to be refused"

cp -r "$SRC/experiments" "$WORK/exp"
printf '{\n  "id": "egress-ifindex",\n  "title": oops\n}\n' > "$WORK/exp/egress-ifindex.json"
expect_config_error "malformed expectation file" "egress-ifindex.json:3:" \
  "$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json"

cp "$SRC/experiments/egress-ifindex.json" "$WORK/exp/egress-ifindex.json"
python3 - "$WORK/exp/egress-ifindex.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["subtests"]["generic"]["expect"][0]["basis"]
json.dump(d, open(sys.argv[1], "w"))
PY
expect_config_error "expectation without basis" "at /subtests/generic/expect/0: missing \"basis\"" \
  "$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json"

expect_config_error "not root" "must run as root" \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$XDPLAB" --json "$WORK/r.json"

# tracefs missing: hidden in a private mount namespace, the host keeps its mounts.
expect_config_error "tracefs missing" "tracefs is not mounted" \
  unshare -m sh -c 'for m in /sys/kernel/debug/tracing /sys/kernel/tracing; do umount -l $m 2>/dev/null; done; exec "$0" --json "$1"' "$XDPLAB" "$WORK/r.json"

# bpftool missing is not bad input: the experiment that needs it is skipped, with why.
XDPLAB_BPFTOOL=/nonexistent "$XDPLAB" --json "$WORK/b.json" --quiet bpftool-devmap-prog-entry > "$WORK/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { cat "$WORK/out"; fail "bpftool missing: exit $rc"; }
[ "$(json_get "$WORK/b.json" 'd["experiments"][0]["verdict"]')" = skipped ] || fail "bpftool missing: not skipped"
json_get "$WORK/b.json" 'd["experiments"][0]["reason"]' | grep -q bpftool || fail "bpftool missing: reason does not say why"
note "bpftool missing: skipped with reason"
echo "PASS"
