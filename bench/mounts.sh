# Sourced by the bench scripts, which run the built harness directly (no build
# step in the figures): mounts tracefs and bpffs where the host has none, as
# ./run.sh does, and unmounts them at exit unless an xdplab process still runs
# (the host is left as it was found).
bench_mounted=()
if [ "$(id -u)" -eq 0 ]; then
  if [ ! -e /sys/kernel/tracing/trace_pipe ] && [ ! -e /sys/kernel/debug/tracing/trace_pipe ]; then
    mount -t tracefs tracefs /sys/kernel/tracing && bench_mounted+=(/sys/kernel/tracing)
  fi
  if [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" != bpf_fs ]; then
    mount -t bpf bpf /sys/fs/bpf && bench_mounted+=(/sys/fs/bpf)
  fi
fi
bench_unmount() {
  local m
  pgrep -x xdplab >/dev/null && return 0
  for m in "${bench_mounted[@]}"; do umount "$m" 2>/dev/null || true; done
}
