# Sourced by run.sh and the bench scripts (which run the built harness
# directly, so that no build step enters their figures): the mounts the
# harness needs, made when absent and undone by the last user.
#
# tracefs (the kernel's XDP tracepoints and the stage lines) and bpffs at
# /sys/fs/bpf (what experiments pin, under xdplab-<run>, for other processes to
# read) are mounted when absent. Such a mount is xdplab's, whichever run made
# it: a marker in $state says so. Every user (run.sh, a bench script)
# registers itself there while it runs, and the last one to leave (no other
# registered user alive, no xdplab process) undoes the mounts and removes
# $state. Checks and changes happen under one lock, so two runs starting
# together cannot both mount.
state=/run/xdplab-mounts
declare -F log >/dev/null || log() { printf 'xdplab: %s\n' "$*" >&2; }
# Holds the lock on fd 9; retries when the last leaver removed the file
# between our open and our flock (the lock must be the state's current one).
lock_state() {
  while :; do
    mkdir -p "$state/users"
    exec 9>>"$state/lock"
    flock 9
    [ "$state/lock" -ef /dev/fd/9 ] && return 0
    exec 9>&-
  done
}
unlock_state() { exec 9>&-; }
mount_marker() { echo "$state/mounted-$1"; }
mount_if_absent() { # type path (lock held)
  case "$1" in
    tracefs) [ -e /sys/kernel/tracing/trace_pipe ] || [ -e /sys/kernel/debug/tracing/trace_pipe ] && return 0 ;;
    bpf) [ "$(stat -f -c %T "$2" 2>/dev/null)" = "bpf_fs" ] && return 0 ;;
  esac
  mount -t "$1" "$1" "$2" && echo "$2" > "$(mount_marker "$1")"
}
mount_all() {
  [ "$(id -u)" -eq 0 ] || return 0
  lock_state
  : > "$state/users/$BASHPID"
  mount_if_absent tracefs /sys/kernel/tracing
  mount_if_absent bpf /sys/fs/bpf
  unlock_state
  mounts_registered=1
}
# The caller's EXIT trap calls it (after mount_all).
unmount_all() {
  [ -n "${mounts_registered:-}" ] || return 0
  lock_state
  rm -f "$state/users/$BASHPID"
  local u busy=0 type marker
  for u in "$state"/users/*; do
    [ -e "$u" ] || continue
    if kill -0 "${u##*/}" 2>/dev/null; then busy=1; else rm -f "$u"; fi
  done
  pgrep -x xdplab >/dev/null && busy=1
  for type in bpf tracefs; do
    marker=$(mount_marker "$type")
    [ -f "$marker" ] || continue
    if [ "$busy" = 1 ]; then
      log "leaving $type mounted at $(cat "$marker"): another xdplab run is using it (the last to exit unmounts it)"
    else
      umount "$(cat "$marker")" 2>/dev/null || true
      rm -f "$marker"
    fi
  done
  [ "$busy" = 1 ] || rm -rf "$state"
  unlock_state
}
