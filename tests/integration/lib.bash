# Shared by the integration tests: $1 is the xdplab binary, $2 the source tree.
# Exit 77 means "skipped" to ctest (SKIP_RETURN_CODE).
set -uo pipefail
XDPLAB=$1
SRC=$2
WORK=$(mktemp -d /tmp/xdplab-it.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*" >&2; }

# Skips (exit 77) when run by hand without root or tracefs; under ./run.sh test
# (XDPLAB_REQUIRE_INTEGRATION=1) the same condition is a failure, so the test
# command never passes without having run these.
skip_or_fail() {
  if [ "${XDPLAB_REQUIRE_INTEGRATION:-0}" = 1 ]; then fail "$*"; fi
  echo "SKIP: $*" >&2; exit 77
}

require_root() {
  [ "$(id -u)" -eq 0 ] || skip_or_fail "needs root"
  if [ ! -e /sys/kernel/tracing/trace_pipe ] && [ ! -e /sys/kernel/debug/tracing/trace_pipe ]; then
    skip_or_fail "tracefs not mounted (run through ./run.sh test)"
  fi
}

tracefs_root() {
  if [ -e /sys/kernel/tracing/trace_pipe ]; then echo /sys/kernel/tracing; else echo /sys/kernel/debug/tracing; fi
}

# Everything a run may create, filtered to one run id (or all runs with "").
leftovers() {
  local id=${1:-[0-9a-f]\{6\}}
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^xdplab-${id}-" || true
  ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -E "^xl${id}-" || true
  ls "$(tracefs_root)/instances" 2>/dev/null | grep -E "^xdplab-${id}$" || true
}

# The liveness directory exists only while some run is alive or kept.
state_dir_left() {
  [ -d /run/xdplab ] && ls -A /run/xdplab
}

host_xdp_attachments() {
  ip -d link show 2>/dev/null | grep -c 'prog/xdp' || true
}

json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# Leftovers of runs that are over (no lock file): what a finished test may not
# leave. Runs still alive on a shared host (another user's) hold their lock.
dead_leftovers() {
  local name id
  for name in $(leftovers); do
    id=$(echo "$name" | sed -E 's/^(xdplab-|xl)([0-9a-f]{6}).*/\2/')
    [ -e "/run/xdplab/$id.lock" ] || echo "$name"
  done
}

# The id a run prints on stderr ("xdplab: run 1a2b3c on kernel ..."), waiting for it.
run_id_from() { # stderr-file
  local id=""
  for _ in $(seq 1 800); do
    id=$(sed -n 's/^xdplab: run \([0-9a-f]\{6\}\) on kernel.*/\1/p' "$1")
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.0125
  done
  return 1
}
