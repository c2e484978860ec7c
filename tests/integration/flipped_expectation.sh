# The check can fail: with one expectation flipped, the run must report
# `deviates` and exit 1. One case file of the bench (catalog A) and one C++
# experiment of the DEVMAP contract (catalog B, a procedure).
source "$(dirname "$0")/lib.bash"
require_root
flip() { # file subtest observation value selector expected-reason
  local file=$1 sub=$2 key=$3 value=$4 selector=$5
  rm -rf "$WORK/exp" "$WORK/r.json"
  cp -r "$SRC/experiments" "$WORK/exp"
  python3 - "$WORK/exp/$file" "$sub" "$key" "$value" <<'PY'
import json, sys, yaml
p, sub, key, value = sys.argv[1:]
case = p.endswith(".yaml")
d = yaml.safe_load(open(p)) if case else json.load(open(p))
for r in d["subtests"][sub]["expect"]:
    r["observations"][key] = json.loads(value)   # no kernel reports this
open(p, "w").write(yaml.safe_dump(d, sort_keys=False) if case else json.dumps(d, indent=2))
PY
  "$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json" --quiet "$selector"; rc=$?
  [ "$rc" -eq 1 ] || fail "$selector: exit code $rc, expected 1"
  v=$(json_get "$WORK/r.json" 'd["experiments"][0]["verdict"]')
  [ "$v" = deviates ] || fail "$selector: verdict $v, expected deviates"
  json_get "$WORK/r.json" 'd["experiments"][0]["reason"]' | grep -q "$key: expected $value" ||
    fail "$selector: reason does not name the mismatch"
  note "$selector: deviates, exit 1"
}
flip metadata-across-devmap.yaml native meta_len 999 metadata-across-devmap/native
flip devmap-lookup-prog-id.json devmap no_prog_word 999 devmap-lookup-prog-id/devmap
echo "PASS"
