# The report as a browser sees it: `xdplab report` over the fixture matrix
# (real results of 5.10, 6.1, 6.12, the 6.18 host and 7.2), report.html
# loaded in Debian's headless chromium, the DOM it built read back, specific
# cells (kernel x subtest x headline), the column order, the findings
# timeline and the splat column asserted; report.png must be a real PNG.
# Without chromium the report still succeeds and says in one line why there
# is no screenshot. Needs no root: nothing here touches the network stack.
source "$(dirname "$0")/lib.bash"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip_or_fail "chromium is not installed (./run.sh test installs it)"

# Profiles the report's own chromium calls leave behind (they must not).
profiles() { ls -d /tmp/xdplab-chromium.* 2>/dev/null | sort; }
profiles_before=$(profiles)

"$XDPLAB" report "$SRC/tests/fixtures/matrix" --out "$WORK/rep" > "$WORK/out" 2>&1; rc=$?
cat "$WORK/out" >&2
[ "$rc" -eq 0 ] || fail "report over the fixture matrix: exit $rc, expected 0 (no deviation, no error there)"
grep -qx "report: screenshot $WORK/rep/report.png" "$WORK/out" || fail "the report did not say it wrote report.png"
[ "$(profiles)" = "$profiles_before" ] || fail "a chromium profile was left under /tmp: $(profiles)"

# A PNG: signature, IHDR first, the window's width, a page's height, and pixels.
python3 - "$WORK/rep/report.png" <<'PY' || fail "report.png is not a valid screenshot"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
length, kind = struct.unpack(">I4s", data[8:16])
assert kind == b"IHDR" and length == 13, "IHDR is not the first chunk"
width, height = struct.unpack(">II", data[16:24])
assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0], "IHDR checksum"
assert width == 1600 and height >= 2000, f"{width}x{height}"
assert data.rstrip(b"\0")[-8:-4] == b"IEND", "no IEND chunk at the end"
assert len(data) > 50000, f"{len(data)} bytes: a blank page?"
print(f"--- report.png {width}x{height}, {len(data)} bytes", file=sys.stderr)
PY

# The DOM chromium built from the page, read with a profile of our own.
dump_dom() { # html-file dom-file
  timeout 90 "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions \
    --disable-background-networking --user-data-dir="$WORK/profile" --dump-dom "file://$1" > "$2" 2> "$WORK/chromium.err" ||
    { tail -5 "$WORK/chromium.err" >&2; fail "chromium could not load $1"; }
  rm -rf "$WORK/profile"
}
dump_dom "$WORK/rep/report.html" "$WORK/dom.html"

cat > "$WORK/dom.py" <<'PY'
# Reads the report's DOM: cells, kernel columns, timeline entries, splat cells.
import html.parser, sys

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.cells, self.kernels, self.claims, self.splats = [], {}, [], {}, {}
        self.groups, self.external = [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        for k in ("src", "href"):
            if a.get(k, "").startswith(("http:", "https:", "//")):
                self.external.append(a[k])
        if tag == "script":
            self.external.append("<script>")
        rec = None
        if tag == "td" and "cell" in cls:
            rec = self.cells[(a["data-kernel"], a["data-subtest"])] = {"verdict": a["data-verdict"], "seed": a.get("data-seed"), "headline": ""}
        elif tag == "th" and "kernel" in cls:
            self.kernels.append(a["data-kernel"])
        elif tag == "li" and "claim" in cls:
            rec = self.claims[a["data-subtest"]] = {"summary": "", "kernels": {}}
        elif tag == "span" and "claim-kernel" in cls:
            self.current_claim["kernels"][a["data-kernel"]] = a["data-state"]
        elif tag == "td" and "splats" in cls:
            rec = self.splats[a["data-kernel"]] = {"count": int(a["data-splats"]), "text": ""}
        elif tag == "div" and "seed-group" in cls:
            self.groups.append(a["data-experiment"])
        if tag == "li" and rec is not None:
            self.current_claim = rec
        self.stack.append((tag, cls, rec))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
    def handle_data(self, data):
        for tag, cls, rec in reversed(self.stack):
            if "headline" in cls or "summary" in cls and tag == "div":
                owner = next((r for _, _, r in reversed(self.stack) if r is not None), None)
                if owner is not None:
                    owner["headline" if "headline" in cls else "summary"] += data
                break
        for _, cls, rec in self.stack:
            if "splats" in cls and rec is not None:
                rec["text"] += data

def load(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    return d

def check(cond, what):
    if not cond:
        print("FAIL: " + what, file=sys.stderr)
        sys.exit(1)
PY

python3 - "$WORK/dom.html" <<'PY' || fail "the matrix page's DOM is not what the fixtures say"
import sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from dom import load, check
d = load(sys.argv[1])
K510, K61, K612, K618, K72 = "5.10.0-46-amd64", "6.1.0-56-amd64", "6.12.117+deb12-amd64", "6.18.44-fc-v657", "7.2.13+deb14-amd64"
check(d.kernels == [K510, K61, K612, K618, K72], f"kernel columns in version order: {d.kernels}")
def cell(k, s, verdict, headline, seed=None):
    c = d.cells.get((k, s))
    check(c is not None, f"no cell {k} x {s}")
    check(c["verdict"] == verdict, f"{k} x {s}: verdict {c['verdict']}, expected {verdict}")
    check(c["headline"] == headline, f"{k} x {s}: headline {c['headline']!r}, expected {headline!r}")
    if seed is not None:
        check(c["seed"] == seed, f"{k} x {s}: seed {c['seed']!r}, expected {seed!r}")
# Seed 000: data_meta in the devmap program, invalid before 5.14, kept after.
cell(K510, "metadata-across-devmap/native", "confirmed", "meta invalid (len -1)", "holds")
cell(K61, "metadata-across-devmap/native", "confirmed", "meta 4 B kept", "does-not-hold")
cell(K72, "metadata-across-devmap/native", "confirmed", "meta 4 B kept", "does-not-hold")
# veth without XDP on the peer: dropped at flush before 6.3, refused at redirect after.
cell(K61, "veth-peer-needs-xdp/none", "confirmed", "dropped: xdp_devmap_xmit -6")
cell(K612, "veth-peer-needs-xdp/none", "confirmed", "dropped: xdp_redirect_err -95")
cell(K510, "veth-peer-needs-xdp/gro", "confirmed", "dropped: xdp_devmap_xmit -6")
cell(K72, "devmap-broadcast/devmap_exclude_ingress", "confirmed", "copies: keyed=32 other=32")
cell(K510, "devmap-broadcast/devmap_broadcast", "confirmed", "ret 0, dropped: xdp_exception")
check(d.cells[(K510, "metadata-across-devmap/generic")]["verdict"] == "skipped", "5.10 generic is skipped")
check(d.cells[(K61, "devmap-delete/devmap")]["verdict"] == "none", "a subtest a kernel did not run is no verdict")
# The findings timeline.
t = d.claims.get("metadata-across-devmap/native")
check(t is not None, "no timeline entry for metadata-across-devmap/native")
check(t["summary"].startswith("holds on 5.10.262; stops holding from 6.1.192 on"), f"timeline: {t['summary']!r}")
check(t["kernels"] == {K510: "holds", K61: "does-not-hold", K612: "does-not-hold", K618: "does-not-hold", K72: "does-not-hold"},
      f"timeline states: {t['kernels']}")
b = d.claims.get("devmap-broadcast/devmap_broadcast")
check(b is not None and b["kernels"][K510] == "does-not-hold" and b["kernels"][K72] == "holds"
      and b["kernels"][K61] == "not-measured", f"broadcast timeline: {b}")
check("not measured on 6.1.192 (not run)" in b["summary"], f"broadcast summary: {b['summary']!r}")
check(d.groups.count("metadata-across-devmap") == 1, f"timeline groups: {d.groups}")
# No splat anywhere in these runs.
check(sorted(d.splats) == sorted([K510, K61, K612, K618, K72]), f"splat cells: {list(d.splats)}")
check(all(s["count"] == 0 and s["text"].strip() == "none" for s in d.splats.values()), f"splats: {d.splats}")
check(not d.external, f"external resources: {d.external}")
print(f"--- DOM: {len(d.cells)} cells, {len(d.claims)} timeline entries", file=sys.stderr)
PY

# A guest that died with a kernel panic: its splat is in the splat column.
"$XDPLAB" report "$SRC/tests/fixtures/dead" "$SRC/tests/fixtures/matrix/6.18.44-fc-v657.json" --out "$WORK/dead" \
  > "$WORK/out" 2>&1; rc=$?
[ "$rc" -eq 2 ] || { cat "$WORK/out" >&2; fail "report with a dead guest: exit $rc, expected 2"; }
dump_dom "$WORK/dead/report.html" "$WORK/dead-dom.html"
python3 - "$WORK/dead-dom.html" <<'PY' || fail "the dead guest's splat is not in the DOM"
import sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from dom import load, check
d = load(sys.argv[1])
s = d.splats.get("6.1.0-56-amd64")
check(s is not None and s["count"] == 1 and "Kernel panic - not syncing" in s["text"], f"6.1 splats: {s}")
check(d.splats["6.18.44-fc-v657"]["count"] == 0, "the host had no splat")
c = d.cells[("6.1.0-56-amd64", "egress-ifindex/native")]
check(c["verdict"] == "error" and c["headline"].startswith("VM for kernel 6.1 gave no results"), f"dead cell: {c}")
PY

# No browser: the same report, one line saying why there is no screenshot.
XDPLAB_CHROMIUM=/nonexistent "$XDPLAB" report "$SRC/tests/fixtures/matrix" --out "$WORK/plain" > "$WORK/out" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { cat "$WORK/out" >&2; fail "report without chromium: exit $rc"; }
[ "$(grep -c '^report: no screenshot (chromium is not installed)$' "$WORK/out")" -eq 1 ] ||
  { cat "$WORK/out" >&2; fail "no one-line note about the missing browser"; }
[ -s "$WORK/plain/report.html" ] && [ ! -e "$WORK/plain/report.png" ] || fail "report.html missing or a report.png appeared"
[ "$(profiles)" = "$profiles_before" ] || fail "a chromium profile was left under /tmp: $(profiles)"
echo "PASS"
