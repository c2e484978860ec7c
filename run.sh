#!/usr/bin/env bash
# xdplab entry point: installs what is missing (Debian), builds incrementally,
# mounts tracefs if absent (and unmounts it again afterwards), then runs.
#
#   sudo ./run.sh [experiment ...] [options]   run experiments on this kernel (all by default)
#   sudo ./run.sh test                         build and run the unit and integration tests
#   ./run.sh --list | --explain ID | --help    no root needed once built
#   sudo ./run.sh --cleanup                    remove what killed or kept runs left
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/build"

# Build and run-time dependencies, by Debian package name.
deps=(cmake make g++ pkg-config clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool
      libboost-dev libboost-filesystem-dev libboost-test-dev nlohmann-json3-dev libcli11-dev
      iproute2 ethtool iputils-ping util-linux)
# Only for the kernel matrix (--kernels, --kernel-image) and its tests.
vm_deps=(qemu-system-x86 busybox-static cpio xz-utils zstd)
# Only for the tests: the report's page checked in a real browser. Reports
# write report.png whenever chromium is installed, and say so when it is not.
test_deps=(chromium)

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

build_harness() {
  local out="$build/build.log"
  # A tree built by root cannot be rebuilt by another user: use it as it is.
  if [ "$(id -u)" -ne 0 ] && [ -x "$build/xdplab" ] && [ ! -w "$build" ]; then
    return 0
  fi
  mkdir -p "$build"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$out" 2>&1 || { cat "$out" >&2; exit 3; }
  fi
  cmake --build "$build" -j "$(nproc)" >"$out" 2>&1 || { tail -50 "$out" >&2; log "build failed ($out)"; exit 3; }
}

# tracefs is needed for the kernel's XDP tracepoints and the stage lines. A
# mount made here is undone on exit unless another xdplab run still uses it.
mounted_tracefs=""
mount_tracefs() {
  [ "$(id -u)" -eq 0 ] || return 0
  if [ ! -e /sys/kernel/tracing/trace_pipe ] && [ ! -e /sys/kernel/debug/tracing/trace_pipe ]; then
    mount -t tracefs tracefs /sys/kernel/tracing && mounted_tracefs=/sys/kernel/tracing
  fi
}
# Undoes a mount made here (path, what) unless another xdplab run still uses it.
unmount_ours() {
  [ -n "$1" ] || return 0
  if pgrep -x xdplab >/dev/null; then
    log "leaving $2 mounted at $1: another xdplab run is using it"
  else
    umount "$1" || true
  fi
}
unmount_tracefs() { unmount_ours "$mounted_tracefs" tracefs; }

# bpffs at /sys/fs/bpf holds what experiments pin (under xdplab-<run>) for
# other processes to read. A mount made here is undone on exit unless another
# xdplab run still uses it.
mounted_bpffs=""
mount_bpffs() {
  [ "$(id -u)" -eq 0 ] || return 0
  if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != "bpf_fs" ]; then
    mount -t bpf bpf /sys/fs/bpf && mounted_bpffs=/sys/fs/bpf
  fi
}
unmount_bpffs() { unmount_ours "$mounted_bpffs" bpffs; }
unmount_all() {
  unmount_bpffs
  unmount_tracefs
}

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

main() {
  local wanted=("${deps[@]}") a
  for a in "$@"; do
    case "$a" in test|bisect|--kernels|--kernels=*|--kernel-image|--kernel-image=*) wanted+=("${vm_deps[@]}") ;; esac
    case "$a" in test) wanted+=("${test_deps[@]}") ;; esac
  done
  install_missing "${wanted[@]}"
  build_harness
  case "${1:-}" in
    test)
      shift
      mount_tracefs
      mount_bpffs
      trap unmount_all EXIT
      XDPLAB_REQUIRE_INTEGRATION=1 ctest --test-dir "$build" --output-on-failure "$@"
      ;;
    *)
      mount_tracefs
      mount_bpffs
      trap unmount_all EXIT
      run_harness "$@"
      ;;
  esac
}

main "$@"
