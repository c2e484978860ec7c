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

# Matrix input is checked before any kernel is fetched or any run starts: the
# kernel cache (a fresh directory) stays untouched. (What is checked is that no
# work was done, not how long the refusal took: a timed bound fails on a busy
# machine and proves nothing about the order of the checks.)
cache="$WORK/kernel-cache"
expect_config_error "malformed kernel" "--kernels 6.x" \
  "$XDPLAB" --json "$WORK/r.json" --kernel-cache "$cache" --kernels 6.1,6.x metadata-across-devmap
expect_config_error "missing kernel image" "--kernel-image /nonexistent/bzImage: no such file" \
  "$XDPLAB" --json "$WORK/r.json" --kernel-cache "$cache" --kernel-image /nonexistent/bzImage egress-ifindex
# Positional ids after --kernels are ids, not kernels: an unknown one is named.
expect_config_error "ids after --kernels" 'unknown experiment "no-such-thing"' \
  "$XDPLAB" --json "$WORK/r.json" --kernel-cache "$cache" --kernels 6.1 egress-ifindex no-such-thing
[ ! -e "$cache" ] || fail "bad matrix input was refused only after the kernel cache was touched: $(ls -A "$cache")"

cp -r "$SRC/experiments" "$WORK/exp"
printf '{\n  "id": "devmap-delete",\n  "title": oops\n}\n' > "$WORK/exp/devmap-delete.json"
expect_config_error "malformed expectation file" "devmap-delete.json:3:" \
  "$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json"
cp "$SRC/experiments/devmap-delete.json" "$WORK/exp/devmap-delete.json"

python3 - "$WORK/exp/egress-ifindex.yaml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1])); del d["subtests"]["generic"]["expect"][0]["basis"]
open(sys.argv[1], "w").write(yaml.safe_dump(d, sort_keys=False))
PY
expect_config_error "expectation without basis" 'egress-ifindex.yaml:[0-9]*:[0-9]*: missing "basis"' \
  "$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json"
cp "$SRC/experiments/egress-ifindex.yaml" "$WORK/exp/egress-ifindex.yaml"

# A case file a user brings: refused before any work, at the line and column
# of the mistake, within a second, nothing written.
cat > "$WORK/case.yaml" <<'YAML'
id: my-case
title: a user's question
claim: frames arrive
links:
  snd: {ns: snd, peer: in, address: 198.18.0.1/24}
  in: {ns: dut, address: 198.18.0.2/24, xdp: prog/xdp_peer}
objects:
  prog: {file: peer.bpf.o}
traffic:
  - frames: {from: snd}
observe:
  delivered: .delivered.in
expect:
  - kernels: {from: "5.10"}
    observations: {delivered: $packets}
    basis: what I assume
YAML
bad_case() { # name, from, to, expected message
  python3 -c 'import sys; t = open(sys.argv[1]).read(); open(sys.argv[2], "w").write(t.replace(sys.argv[3], sys.argv[4]))' \
    "$WORK/case.yaml" "$WORK/bad.yaml" "$2" "$3"
  # --keep: a subtest that ran would say "# kept: ..." and leave its network up.
  expect_config_error "$1" "$4" "$XDPLAB" case "$WORK/bad.yaml" --json "$WORK/r.json" --keep
  if grep -q "^# kept:" "$WORK/out"; then
    "$XDPLAB" --cleanup > /dev/null 2>&1
    fail "$1: refused only after a subtest had run"
  fi
}
bad_case "case: unknown key" "claim:" "clam:" 'bad.yaml:3:1: unknown key "clam"'
bad_case "case: no such link" "peer: in" "peer: ni" 'bad.yaml:5:24: no link "ni"'
bad_case "case: program not in the object" "prog/xdp_peer" "prog/xdp_pear" 'bad.yaml:6:46: object prog (peer.bpf.o) has no program "xdp_pear"'
bad_case "case: address outside the ranges" "198.18.0.2/24" "192.168.0.2/24" "bad.yaml:6:26: 192.168.0.2/24 is outside the harness's ranges"
bad_case "case: jq that does not compile" ".delivered.in" ".delivered.in |" 'bad.yaml:12:14: does not compile as jq'
bad_case "case: a missing object file" "peer.bpf.o" "mine.bpf.o" 'bad.yaml:8:16: no such object file'
expect_config_error "case: no such file" "nowhere.yaml: no such case file or directory" \
  "$XDPLAB" case "$WORK/nowhere.yaml" --json "$WORK/r.json"

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
