#!/usr/bin/env bash
# xdplab entry point: installs what is missing (Debian), builds incrementally,
# mounts tracefs and bpffs if absent (and unmounts them again afterwards), then runs.
#
#   sudo ./run.sh [experiment ...] [options]   run experiments on this kernel (all by default)
#   sudo ./run.sh test                         build and run the unit and integration tests
#   ./run.sh --list | --explain ID | --help    no root needed once built
#   sudo ./run.sh --cleanup                    remove what killed or kept runs left
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/build"

# Build and run-time dependencies, by Debian package name.
deps=(cmake ninja-build g++ pkg-config clang llvm libbpf-dev libelf-dev zlib1g-dev libmnl-dev bpftool
      libboost-dev libboost-filesystem-dev libboost-test-dev nlohmann-json3-dev libcli11-dev
      libyaml-cpp-dev libjq-dev libpcap-dev libssl-dev libapt-pkg-dev
      iproute2 ethtool iputils-ping util-linux)
# Only for the kernel matrix (--kernels, --kernel-image) and its tests.
vm_deps=(qemu-system-x86 busybox-static cpio xz-utils zstd)
# Only for the tests: the report's page checked in a real browser. Reports
# write report.png whenever chromium is installed, and say so when it is not.
# tcpdump reads the --pcap files back, python3-jsonschema checks the KCIDB export.
test_deps=(chromium jq python3-yaml python3-jsonschema tcpdump)
# The workflow's validator, from npm (Debian has none), pinned.
action_validator="@action-validator/cli@0.6.0"

log() { printf 'run.sh: %s\n' "$*" >&2; }

install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing packages: ${missing[*]}; run as root (sudo ./run.sh ...) to install them"
    exit 3
  fi
  log "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_harness() { # [extra cmake targets: tests]
  local out="$build/build.log" targets=(--target all) t
  for t in "$@"; do targets+=(--target "$t"); done
  # A tree built by root cannot be rebuilt by another user: use it as it is.
  if [ "$(id -u)" -ne 0 ] && [ -x "$build/xdplab" ] && [ ! -w "$build" ]; then
    return 0
  fi
  mkdir -p "$build"
  # Ninja compiles a layer's sources while the layer below still links, and
  # unity batches parse the shared headers once per batch: a clean build in
  # about two minutes on two cores instead of seven (README "Speed").
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
      >"$out" 2>&1 || { cat "$out" >&2; exit 3; }
  fi
  cmake --build "$build" -j "$(nproc)" "${targets[@]}" >"$out" 2>&1 || { tail -50 "$out" >&2; log "build failed ($out)"; exit 3; }
}

source "$here/harness/mounts.sh"

# Runs the harness as a child so that the tracefs mount can be undone after
# it; SIGINT/SIGTERM are passed on and the harness tears its run down.
run_harness() {
  local rc=0 child
  "$build/xdplab" "$@" &
  child=$!
  trap 'kill -INT "$child" 2>/dev/null || true' INT
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM
  while :; do
    wait "$child" && rc=0 || rc=$?
    kill -0 "$child" 2>/dev/null || break
  done
  trap - INT TERM
  return "$rc"
}

# Tools the tests take from npm, installed under the build tree (never globally).
install_test_tools() {
  local prefix="$build/test-tools"
  [ -x "$prefix/node_modules/.bin/action-validator" ] && return 0
  command -v npm >/dev/null || install_missing npm
  log "installing $action_validator (npm) under $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --silent "$action_validator" >"$prefix/npm.log" 2>&1 ||
    { cat "$prefix/npm.log" >&2; log "npm install $action_validator failed"; exit 3; }
}

main() {
  local wanted=("${deps[@]}") a
  for a in "$@"; do
    case "$a" in test|bisect|--kernels|--kernels=*|--kernel-image|--kernel-image=*) wanted+=("${vm_deps[@]}") ;; esac
    case "$a" in test) wanted+=("${test_deps[@]}") ;; esac
  done
  install_missing "${wanted[@]}"
  # A run builds the harness; the tests build their own binaries too.
  if [ "${1:-}" = test ]; then build_harness tests; else build_harness; fi
  case "${1:-}" in
    test)
      shift
      install_test_tools
      mount_all
      trap unmount_all EXIT
      XDPLAB_REQUIRE_INTEGRATION=1 ctest --test-dir "$build" --output-on-failure "$@"
      ;;
    *)
      mount_all
      trap unmount_all EXIT
      run_harness "$@"
      ;;
  esac
}

main "$@"
