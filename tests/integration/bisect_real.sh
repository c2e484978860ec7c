# One real bisect over Debian builds in VMs: metadata-across-devmap/native
# changed in 5.14 (data_meta kept across the devmap program), so between
# bullseye's 5.10 and bookworm's 6.1.172 the first change must be the step
# from the newest 5.10 build to the oldest 6.1 build: four candidates, the
# middle one booted after good and bad.
source "$(dirname "$0")/lib.bash"
require_root
# Bad input is refused at once, before any boot.
for args in "--good host --bad 6.1" "--good 5.10 --bad all" "--good 6.1 --bad 6.1" "--good 5.10 --bad 6.1 metadata-across-devmap"; do
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$XDPLAB" bisect metadata-across-devmap/native $args --results-dir "$WORK/bad" > /dev/null 2> "$WORK/bad.err"; rc=$?
  [ "$rc" -eq 3 ] || fail "bisect $args: exit $rc, not 3 ($(cat "$WORK/bad.err"))"
  [ $(( $(date +%s) - start )) -le 20 ] || fail "bisect $args: refused only after $(( $(date +%s) - start )) s"
done
grep -q . "$WORK/bad.err" || fail "no word on bad input"
[ ! -e "$WORK/bad" ] || [ -z "$(ls -A "$WORK/bad")" ] || fail "bad input wrote results"
t0=$(date +%s)
"$XDPLAB" bisect metadata-across-devmap/native --good 5.10 --bad 6.1.172 \
  --results-dir "$WORK/res" --json "$WORK/bisect.json" > "$WORK/out" 2> "$WORK/err"; rc=$?
cat "$WORK/err" "$WORK/out" >&2
[ "$rc" -eq 0 ] || fail "exit $rc"
j="$WORK/bisect.json"
[ -f "$j" ] || fail "no record written"
[ "$(json_get "$j" 'd["schema"]')" = "xdplab-bisect/1" ] || fail "bad schema"
[ "$(json_get "$j" 'd["status"]')" = "found" ] || fail "status $(json_get "$j" 'd["status"]')"
[ "$(json_get "$j" 'd["subtest"]')" = "metadata-across-devmap/native" ] || fail "subtest"
[ "$(json_get "$j" 'd["result"]["adjacent"]')" = "True" ] || fail "pair not adjacent"
last_good=$(json_get "$j" 'd["result"]["last_good"]["upstream"]')
first_bad=$(json_get "$j" 'd["result"]["first_bad"]["upstream"]')
[ "$last_good" = "$(json_get "$j" 'd["good"]["upstream"]')" ] || fail "last good is $last_good, not the newest 5.10 build"
case "$last_good" in 5.10.*) ;; *) fail "last good $last_good is not a 5.10 build" ;; esac
[ "$first_bad" = "$(json_get "$j" 'd["candidates"][1]["upstream"]')" ] || fail "first bad $first_bad is not the oldest 6.1 build"
case "$first_bad" in 6.1.*) ;; *) fail "first bad $first_bad is not a 6.1 build" ;; esac
# The middle build was booted too, after good and bad, and nothing errs.
[ "$(json_get "$j" 'len(d["candidates"])')" -ge 3 ] || fail "fewer than 3 candidates: nothing booted between"
[ "$(json_get "$j" 'len(d["tried"])')" -ge 3 ] || fail "only $(json_get "$j" 'len(d["tried"])') builds tried"
[ "$(json_get "$j" '[t["judged"] for t in d["tried"]][:2]')" = "['good', 'bad']" ] || fail "good and bad not first"
[ "$(json_get "$j" 'sorted({t["verdict"] for t in d["tried"]})')" = "['confirmed']" ] || fail "verdicts: $(json_get "$j" '[t["verdict"] for t in d["tried"]]')"
# The diff is the 5.14 change, measured, not copied from the expectations.
diff=$(json_get "$j" 'sorted((c["name"], c["good"], c["bad"]) for c in d["diff"])')
[ "$diff" = "[('meta_len', -1, 4), ('meta_valid', False, True), ('meta_value_equal', False, True)]" ] || fail "diff: $diff"
grep -q 'meta_valid: false -> true' "$WORK/out" || fail "diff not printed"
# Upstream releases between the two builds, from the 6.1 build's changelog.
rel=$(json_get "$j" 'd["upstream_releases_between"]')
for want in "'5.14'" "'6.1'" "'$first_bad'"; do
  [[ "$rel" == *"$want"* ]] || fail "release $want missing from the releases between"
done
[[ "$rel" != *"'$last_good'"* ]] || fail "the good build's own release listed as between"
grep -q '^  5.14: ' "$WORK/out" || fail "releases not printed per series"
# Each build's results kept beside the record; no work directory left in the cache.
ls "$WORK"/res/bisect-metadata-across-devmap-native/*.json > /dev/null 2>&1 || fail "no per-build results"
for v in $(json_get "$j" '" ".join(t["build"]["version"] for t in d["tried"])'); do
  ls -d "/var/cache/xdplab/kernels/work-${v//[^A-Za-z0-9._-]/_}-"* 2>/dev/null | grep -q . && fail "work directory of $v left in the kernel cache"
done
echo "PASS in $(( $(date +%s) - t0 )) s"
