# Shared by the integration tests: $1 is the xdplab binary, $2 the source tree.
# Exit 77 means "skipped" to ctest (SKIP_RETURN_CODE).
set -uo pipefail
XDPLAB=$1
SRC=$2
WORK=$(mktemp -d /tmp/xdplab-it.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*" >&2; }

require_root() {
  if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root" >&2; exit 77; fi
  if [ ! -e /sys/kernel/tracing/trace_pipe ] && [ ! -e /sys/kernel/debug/tracing/trace_pipe ]; then
    echo "SKIP: tracefs not mounted (run through ./run.sh test)" >&2; exit 77
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

host_xdp_attachments() {
  ip -d link show 2>/dev/null | grep -c 'prog/xdp' || true
}

json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
