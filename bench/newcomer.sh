#!/usr/bin/env bash
# A newcomer's first steps, timed (figures, not a test): clone this repository
# into a temporary directory, then
#   1. ./run.sh           clone to the end of the first results table (the
#                         build, then every experiment on this kernel);
#   2. ./run.sh test      clone to the end of the tests (they build their own
#                         binaries on top of the first build).
# The Debian packages are expected installed already (run.sh installs what
# is missing; that is the network's time, not the project's). Each phase's
# share is printed: the clone, the build (until build/build.log was last
# written), the run.
#
#   bench/newcomer.sh [--no-test] [REPOSITORY]    (as root; default: this checkout's committed HEAD)
#   targets: clone to first results <= 180 s on a 2-core machine
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
with_test=1
if [ "${1:-}" = --no-test ]; then with_test=0; shift; fi
repo=${1:-$here}
[ "$(id -u)" -eq 0 ] || { echo "newcomer.sh: run as root (./run.sh needs it)" >&2; exit 3; }
work=$(mktemp -d /tmp/xdplab-newcomer.XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):6.1f} s')" "$1" "$2"; }
mtime() { stat -c %.9Y "$1"; }

echo "== newcomer: $(nproc) cores, kernel $(uname -r), repository $repo ($(git -C "$repo" rev-parse --short HEAD))"
t0=$(now)
git clone -q "$repo" "$work/xdplab"
t_clone=$(now)
cd "$work/xdplab"
rc=0
./run.sh >"$work/run.out" 2>"$work/run.err" || rc=$?
t_table=$(now)
t_build=$(mtime build/build.log)
grep -q "confirmed" "$work/run.out" || { tail -20 "$work/run.err" >&2; echo "newcomer.sh: no results table (exit $rc)" >&2; exit 1; }
echo "clone to first results table: $(secs "$t0" "$t_table")   (exit $rc; target <= 180 s)"
echo "  clone                       $(secs "$t0" "$t_clone")"
echo "  build                       $(secs "$t_clone" "$t_build")"
echo "  run (every experiment)      $(secs "$t_build" "$t_table")"
[ "$with_test" = 1 ] || exit 0
# Each line stamped as it arrives: ctest's first line ("Test project ...")
# marks the end of the tests' own build (build.log cannot: the README test
# runs ./run.sh again and rewrites it).
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }
rc=0
# The exit status is taken before anything else runs: a command substitution
# in the same echo would reset $? to its own.
{ ./run.sh test 2>&1 || { e=$?; echo "$(date +%s.%N) run.sh-exit $e"; }; } | stamp >"$work/test.out"
t_test=$(now)
rc=$(awk '$3 == "run.sh-exit" {print $4}' "$work/test.out" | tail -1)
rc=${rc:-0}
t_test_build=$(awk '/ Test project / {print $1; exit}' "$work/test.out")
echo "clone to the end of ./run.sh test: $(secs "$t0" "$t_test")   (exit $rc)"
echo "  tests' own build            $(secs "$t_table" "${t_test_build:-$t_test}")"
echo "  tests                       $(secs "${t_test_build:-$t_test}" "$t_test")"
sed -n "/tests passed\|tests failed\|\*\*\*Failed\|Failed  \|Timeout/p" "$work/test.out" | cut -d' ' -f2-
if [ "$rc" != 0 ]; then
  cp "$work/test.out" /tmp/xdplab-newcomer-test.log
  echo "the tests' output: /tmp/xdplab-newcomer-test.log"
fi
