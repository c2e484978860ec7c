# harness/mounts.sh, sourced the way a user or a script may source it: in a
# subshell too (where $$ is the parent's pid: the lock and the registration
# must be the subshell's own, or mount_all waits forever). Under ./run.sh test
# the test command itself is a registered user, so a user that leaves must
# leave the mounts in place and remove only its own registration.
source "$(dirname "$0")/lib.bash"
require_root
state=/run/xdplab-mounts
mounted() { [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] && [ -e "$(tracefs_root)/trace_pipe" ]; }
users() { ls "$state/users" 2>/dev/null | sort; }
before=$(users)

timeout 20 bash -c '
  source "$1/harness/mounts.sh"
  (
    mount_all
    trap unmount_all EXIT
    [ -e "/run/xdplab-mounts/users/$BASHPID" ] || { echo "subshell not registered under its own pid" >&2; exit 1; }
    ( mount_all; trap unmount_all EXIT; : ) || exit 1   # nested, leaves first
    [ -e "/run/xdplab-mounts/users/$BASHPID" ] || { echo "the nested user removed the outer one" >&2; exit 1; }
    echo "$BASHPID" > "$2/outer"
  )
' _ "$SRC" "$WORK"
rc=$?
[ "$rc" -ne 124 ] || fail "mount_all in a subshell did not return within 20 s"
[ "$rc" -eq 0 ] || fail "subshell users: exit $rc"
[ ! -e "$state/users/$(cat "$WORK/outer")" ] || fail "a user that left is still registered"
if [ -n "$before" ]; then
  # Another user (the test command) is still registered: the mounts stay, and so does it.
  mounted || fail "the mounts went away while another user was registered"
  [ "$(users)" = "$before" ] || fail "registered users changed: '$before' -> '$(users)'"
fi
echo "PASS"
