#!/usr/bin/env bash
# tlbsim: `hvobench run --sim-markers` runs natively (the marker is a plain
# load) and says so in the JSON context; the QEMU plugin (when built: make
# tlbsim-plugin) loads, reports its variants at exit, and refuses bad
# arguments.  The simulation itself is checked in guests (make tlbsim).
set -u
fail=0
say() { echo "$*"; }
bad() { echo "FAIL: $*"; fail=1; }
export HVOBENCH_RESULTS=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$HVOBENCH_RESULTS" "$tmp"' EXIT

# selftest touches no kernel state: a private lock directory.
HVOBENCH_STATE_DIR=$tmp/state "$HVOBENCH" run --suite=selftest --filter='^selftest/empty$' --sim-markers \
	--min-time=0.01 --out="$tmp/r.json" > /dev/null 2>&1 ||
	bad "hvobench run --sim-markers failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["context"]["hvobench"]["sim_markers"] is True' \
	"$tmp/r.json" 2>/dev/null && say "ok: --sim-markers run, context.hvobench.sim_markers" ||
	bad "no sim_markers in the JSON context"
"$HVOBENCH" run --sim-markers=1 > /dev/null 2>&1
[ $? = 2 ] && say "ok: --sim-markers=1 refused" || bad "--sim-markers=1 not refused with 2"

so=${HVOBENCH_CMAKE_BUILD:-build}/tlbsim.so
if [ ! -f "$so" ] || ! command -v qemu-system-x86_64 > /dev/null; then
	say "plugin not built or no QEMU: plugin checks skipped"
	[ $fail = 0 ] && exit 77
	exit 1
fi
so=$(realpath "$so")
q=(timeout 20 qemu-system-x86_64 -M pc -accel tcg,thread=single -display none
   -monitor none -serial none -nodefaults -S)
# Started paused (-S): the plugin installs; quitting writes the summary.
echo quit | "${q[@]}" -monitor stdio -plugin "$so,vmemmap=ffffea0000000000-ffffeb0000000000,sens=glc,out=$tmp/p.jsonl" > /dev/null 2>&1
python3 - "$tmp/p.jsonl" <<'PY' && say "ok: plugin loads, summary lists glc, zen5 and glc sensitivity variants" || bad "plugin summary missing or wrong"
import json, sys
s = json.loads(open(sys.argv[1]).read().splitlines()[-1])["summary"]
names = [v["name"] for v in s["variants"]]
assert s["valid"] and s["regions"] == 0, s
assert names[:2] == ["glc", "zen5"] and "glc+dmap1g" in names, names
PY
echo quit | "${q[@]}" -monitor stdio -plugin "$so,vmemmap=ffffea0000000000-ffffeb0000000000,models=zen5:zen5-nc,out=$tmp/nc.jsonl" > /dev/null 2>&1
python3 - "$tmp/nc.jsonl" <<'PY' && say "ok: models=zen5:zen5-nc gives the diagnostic variant without coalescing" || bad "zen5-nc variant missing"
import json, sys
s = json.loads(open(sys.argv[1]).read().splitlines()[-1])["summary"]
assert [v["name"] for v in s["variants"]] == ["zen5", "zen5-nc"], s
assert s["vmemmap_no_phys"] == 0, s
PY
for args in "vmemmap=zz" "models=nosuch-nc,vmemmap=1-2" "vmemmap=10-1" "models=nosuch,vmemmap=1-2" \
	    "vmemmap=1-2,dmap_shift=13" "vmemmap=1-2,bogus=1" "dmap=1-2"; do
	if "${q[@]}" -plugin "$so,$args" > /dev/null 2> "$tmp/err"; then
		bad "plugin accepted '$args'"
	elif grep -q '^tlbsim: ' "$tmp/err"; then
		say "ok: plugin refused '$args': $(grep -m1 '^tlbsim: ' "$tmp/err")"
	else
		bad "plugin refused '$args' without saying why"
	fi
done
exit $fail
