# Every command line README.md shows (```-blocks, lines starting ./run.sh) is
# run as written, in README order, from the source tree: none may fail.
# Placeholders are filled with real values: /path/to/bzImage with a Debian
# image the kernel-matrix lines before it fetched, results/baseline/ and
# results/latest/ with copies of the test fixtures' result files (the report
# is written beside them, never into the source tree), "..." with one subtest. `./run.sh test` is the command running this test: not run again.
source "$(dirname "$0")/lib.bash"
require_root
cd "$SRC" || fail "no source tree"

commands=$(awk '/^```/{inblock=!inblock; next} inblock && /^\.\/run\.sh/' README.md | sed 's/[[:space:]]\+#.*$//')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "README shows fewer than 10 commands: $commands"

tree_state() { git -C "$SRC" status --porcelain --untracked-files=all -- tests experiments bpf harness netns 2>/dev/null; }
before=$(tree_state)
mkdir -p "$WORK/baseline" "$WORK/latest"
cp "$SRC"/tests/fixtures/baseline/*.json "$WORK/baseline/"
cp "$SRC"/tests/fixtures/matrix/*.json "$WORK/latest/"
n=0
while IFS= read -r cmd; do
  [ -n "$cmd" ] || continue
  case "$cmd" in "./run.sh test"*) note "skipped (it is this test's own command): $cmd"; continue ;; esac
  real=$cmd
  if [[ $real == *"/path/to/bzImage"* ]]; then
    image=$(find /var/cache/xdplab/kernels -path '*/boot/vmlinuz-*' -o -path '*/modules/*/vmlinuz' 2>/dev/null | sort | head -1)
    [ -n "$image" ] || fail "no cached kernel image for: $cmd"
    real=${real//\/path\/to\/bzImage/$image}
  fi
  real=${real//results\/baseline\//$WORK/baseline/}
  real=${real//results\/latest\//$WORK/latest/}
  real=${real//.../egress-ifindex/native}
  start=$(date +%s)
  eval "$real" > "$WORK/out" 2>&1; rc=$?
  ok=0
  case "$cmd" in
    *--kernels*|*--kernel-image*|*"report "*) [ "$rc" -le 1 ] && ok=1 ;; # deviations are findings there
    *) [ "$rc" -eq 0 ] && ok=1 ;;
  esac
  [ "$ok" -eq 1 ] || { tail -30 "$WORK/out"; fail "exit $rc: $real"; }
  n=$((n + 1))
  note "ok ($rc, $(( $(date +%s) - start )) s): $cmd"
done <<< "$commands"
[ -z "$(dead_leftovers)" ] || fail "left behind: $(dead_leftovers)"
[ "$(tree_state)" = "$before" ] || fail "the commands wrote into the source tree: $(diff <(echo "$before") <(tree_state))"
echo "PASS ($n commands)"
