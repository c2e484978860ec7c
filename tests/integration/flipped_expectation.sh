# The check can fail: with one expectation flipped, the run must report
# `deviates` and exit 1.
source "$(dirname "$0")/lib.bash"
require_root
cp -r "$SRC/experiments" "$WORK/exp"
python3 - "$WORK/exp/metadata-across-devmap.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for r in d["subtests"]["native"]["expect"]:
    r["observations"]["meta_len"] = 999   # no kernel reports this
json.dump(d, open(p, "w"), indent=2)
PY
"$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json" --quiet metadata-across-devmap/native; rc=$?
[ "$rc" -eq 1 ] || fail "exit code $rc, expected 1"
v=$(json_get "$WORK/r.json" 'd["experiments"][0]["verdict"]')
[ "$v" = deviates ] || fail "verdict $v, expected deviates"
json_get "$WORK/r.json" 'd["experiments"][0]["reason"]' | grep -q 'meta_len: expected 999' || fail "reason does not name the mismatch"
echo "PASS"
