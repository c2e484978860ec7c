# Two runs at once must not collide: per-run names, tags and trace instances.
source "$(dirname "$0")/lib.bash"
require_root
sel=(redirect-map-last-call-wins egress-ifindex veth-peer-needs-xdp)
"$XDPLAB" --json "$WORK/a.json" --quiet "${sel[@]}" > "$WORK/a.log" 2>&1 &
a=$!
"$XDPLAB" --json "$WORK/b.json" --quiet "${sel[@]}" > "$WORK/b.log" 2>&1 &
b=$!
wait $a; ra=$?
wait $b; rb=$?
[ "$ra" -eq 0 ] || { cat "$WORK/a.log"; fail "first run exit $ra"; }
[ "$rb" -eq 0 ] || { cat "$WORK/b.log"; fail "second run exit $rb"; }
[ -z "$(dead_leftovers)" ] || fail "left behind: $(dead_leftovers)"
echo "PASS"
