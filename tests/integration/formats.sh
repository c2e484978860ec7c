# Results in the formats kernel CI and packet tools read, from one real run
# with one expectation flipped (so the run holds a deviation as well as
# confirmations and skips):
#  - KTAP parsed by the rules of Documentation/dev-tools/ktap.rst
#    (tools/ktap_check.py), its counts equal to the JSON results' summary, and
#    the parser refusing a broken copy;
#  - KCIDB validated by python3-jsonschema against tests/schemas/, one test per
#    subtest, and a broken copy refused;
#  - pcapng read by tcpdump -r: every tagged frame sent and delivered is there.
source "$(dirname "$0")/lib.bash"
require_root
command -v tcpdump >/dev/null || skip_or_fail "no tcpdump"
python3 -c 'import jsonschema' 2>/dev/null || skip_or_fail "no python3-jsonschema"
ktap_check="$(dirname "$0")/tools/ktap_check.py"

cp -r "$SRC/experiments" "$WORK/exp"
python3 - "$WORK/exp/egress-ifindex.yaml" <<'PY'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
sub = next(iter(d["subtests"]))
for r in d["subtests"][sub]["expect"]:
    r["observations"] = dict(r["observations"], delivered=999)   # no kernel delivers 999 of 32
open(p, "w").write(yaml.safe_dump(d, sort_keys=False))
PY
"$XDPLAB" --expectations "$WORK/exp" --json "$WORK/r.json" --ktap "$WORK/r.ktap" --pcap "$WORK/pcap" --quiet \
  egress-ifindex veth-peer-needs-xdp 'devmap-hash-*' >"$WORK/out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || { tail -20 "$WORK/out"; fail "exit $rc, expected 1 (one flipped expectation)"; }

# KTAP: the counts of the parsed document against the JSON summary.
python3 "$ktap_check" "$WORK/r.ktap" >"$WORK/counts" || fail "the KTAP output does not parse"
python3 - "$WORK/r.json" "$WORK/counts" <<'PY' || fail "KTAP counts differ from the JSON results"
import json, sys
r = json.load(open(sys.argv[1]))
k = json.load(open(sys.argv[2]))
v = [e["verdict"] for e in r["experiments"]]
want = {"ok": v.count("confirmed"), "not_ok": v.count("deviates"), "error": v.count("error"),
        "skip": v.count("skipped") + v.count("unpinned")}
print("--- KTAP", k, "JSON", want, file=sys.stderr)
assert k == want, (k, want)
assert want["not_ok"] >= 1 and want["ok"] >= 1
PY
grep -q '^not ok [0-9]* egress-ifindex$' "$WORK/r.ktap" || fail "the experiment with the deviation is not 'not ok'"
# The parser can fail: a result line removed breaks the plan.
grep -v '^  ok 1 ' "$WORK/r.ktap" >"$WORK/broken.ktap"
if python3 "$ktap_check" "$WORK/broken.ktap" >/dev/null 2>&1; then fail "a KTAP document missing a result parses"; fi
note "KTAP: $(cat "$WORK/counts")"
# To stdout, the table out of the way.
"$XDPLAB" report "$WORK/r.json" --out "$WORK/rep" --ktap - 2>/dev/null >"$WORK/stdout.ktap"
python3 "$ktap_check" "$WORK/stdout.ktap" >/dev/null || fail "report --ktap - does not print KTAP alone on stdout"

# KCIDB: the export against the schema, with a kept validator.
"$XDPLAB" report "$WORK/r.json" --out "$WORK/rep" --kcidb "$WORK/kcidb.json" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "report --kcidb: exit $rc"
python3 - "$SRC/tests/schemas/kcidb-v5.3-export.schema.json" "$WORK/kcidb.json" "$WORK/r.json" <<'PY' || fail "the KCIDB export does not validate"
import copy, json, sys, jsonschema
schema, doc, results = (json.load(open(p)) for p in sys.argv[1:])
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
v.validate(doc)
assert len(doc["tests"]) == len(results["experiments"]), "one test per subtest"
status = {"confirmed": "PASS", "deviates": "FAIL", "error": "ERROR", "skipped": "SKIP", "unpinned": "DONE"}
for t, e in zip(doc["tests"], results["experiments"]):
    assert t["path"] == "xdplab.%s.%s" % (e["id"], e["subtest"]), t["path"]
    assert t["status"] == status[e["verdict"]], (t["path"], t["status"])
broken = copy.deepcopy(doc)
broken["tests"][0]["status"] = "PASSED"
assert not v.is_valid(broken), "a wrong status validates"
print("--- KCIDB: %d tests valid" % len(doc["tests"]), file=sys.stderr)
PY

# pcapng: every subtest's file, read back by tcpdump; its tagged frames
# ("XLAB" in the payload) are the frames sent plus the frames delivered.
n=0
while IFS=$'\t' read -r file sent delivered; do
  [ -f "$file" ] || fail "no pcapng file $file"
  tcpdump -nn -r "$file" >"$WORK/td" 2>"$WORK/td.err" || { cat "$WORK/td.err"; fail "tcpdump -r $file"; }
  tagged=$(tcpdump -nn -A -r "$file" 2>/dev/null | grep -c XLAB)
  [ "$tagged" -eq $((sent + delivered)) ] ||
    fail "$file: $tagged tagged frames, expected $sent sent + $delivered delivered"
  subtest=$(basename "$file" .pcapng); subtest=${subtest/--//}
  grep -aq "$subtest: receiver " "$file" || fail "$file: no interface description names $subtest and a receiver"
  n=$((n + 1))
done < <(python3 - "$WORK/r.json" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["experiments"]:
    ev = e.get("evidence", {})
    if "pcap_file" in ev:
        a = ev.get("accounting", {})
        print("%s\t%d\t%d" % (ev["pcap_file"], a.get("sent", 0), a.get("delivered", 0)))
PY
)
[ "$n" -ge 3 ] || fail "only $n pcapng files"
note "pcapng: $n files, tagged frames = sent + delivered in each"
echo "PASS"
