# The GitHub workflow that fans the matrix out is checked by a kept validator
# (@action-validator/cli, installed by ./run.sh test under the build tree):
# every .github/workflows/*.yml must pass, a broken copy must not, and no step
# may hide a failure behind `|| true`.
source "$(dirname "$0")/lib.bash"
validator="$(dirname "$XDPLAB")/test-tools/node_modules/.bin/action-validator"
[ -x "$validator" ] || skip_or_fail "no $validator (./run.sh test installs it)"

shopt -s nullglob
workflows=("$SRC"/.github/workflows/*.yml "$SRC"/.github/workflows/*.yaml)
[ ${#workflows[@]} -gt 0 ] || fail "no workflow under .github/workflows"
for w in "${workflows[@]}"; do
  "$validator" "$w" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; fail "$w does not validate"; }
  note "$(basename "$w"): valid"
  ! grep -nE '\|\|[[:space:]]*true' "$w" || fail "$w hides a failure behind || true"
done

# The validator can fail: a job with a misspelt key.
sed 's/^    runs-on:/    runs-onn:/' "${workflows[0]}" >"$WORK/broken.yml"
cmp -s "${workflows[0]}" "$WORK/broken.yml" && fail "the broken copy is not broken"
if "$validator" "$WORK/broken.yml" >"$WORK/out" 2>&1; then fail "a misspelt key validates"; fi
grep -q "runs-onn" "$WORK/out" || fail "the validator's complaint does not name the misspelt key"
note "a misspelt key is refused"
echo "PASS"
