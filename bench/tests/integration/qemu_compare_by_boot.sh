#!/usr/bin/env bash
# scripts/qemu-compare-by-boot.py on a recorded qemu-compare result: one
# row per benchmark per boot holding the median of that boot's
# repetitions, compared with n = boots; bad input exits 2.  Touches no
# kernel state.
set -u
src=${HVOBENCH_SRC:-$(cd "$(dirname "$0")/../../.." && pwd)}
rec=$src/results/qemu/patched-vs-basepages-x86_64-pool
[ -f "$rec/summary.txt" ] || { echo "skipped: $rec missing"; exit 77; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
gen() { python3 "$src/scripts/qemu-compare-by-boot.py" "$@" --hvobench "$HVOBENCH"; }

cp -r "$rec" "$d/c"
rm -rf "$d/c/by-boot"
gen "$d/c" 2> "$d/err" || bad "exit $?: $(cat "$d/err")"
python3 - "$d/c" <<'PY' || bad "per-boot rows are not the medians of the boots"
import glob, json, os, statistics, sys
top = sys.argv[1]
checked = 0
for boot in glob.glob(f'{top}/*/r*/result.json'):
    side = os.path.basename(os.path.dirname(os.path.dirname(boot)))
    r = os.path.basename(os.path.dirname(boot))
    reps = {}
    for b in json.load(open(boot))['benchmarks']:
        if b['run_type'] == 'iteration':
            reps.setdefault(b['name'], []).append(b['real_time'])
    rows = json.load(open(f'{top}/by-boot/{side}/{r}.json'))['benchmarks']
    assert sorted(x['name'] for x in rows) == sorted(reps), boot
    for x in rows:
        assert x['real_time'] == statistics.median(reps[x['name']]), x['name']
        checked += 1
assert checked > 40, checked
PY
grep -q '^A: .*by-boot/x86_64-patched (2 runs)$' "$d/c/by-boot/compare.txt" ||
	bad "compare.txt does not compare the 2 boots of A"
grep -q 'n=2/2' "$d/c/by-boot/compare.txt" || bad "n is not 2 boots per side"
[ -s "$d/c/by-boot/report/report.json" ] || bad "no report.json"

# Bad input: one line, exit 2.
for args in "" "$d/nonexistent" "--bogus"; do
	# shellcheck disable=SC2086
	python3 "$src/scripts/qemu-compare-by-boot.py" $args 2> "$d/err"
	rc=$?
	{ [ $rc = 2 ] && [ "$(wc -l < "$d/err")" = 1 ]; } ||
		bad "args '$args': exit $rc, $(cat "$d/err")"
done
rm -r "$d/c/x86_64-patched/r2"
gen "$d/c" 2> "$d/err"
[ $? = 2 ] && grep -q 'need 2 or more' "$d/err" || bad "one boot accepted"

[ "$fails" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
[ "$fails" = 0 ]
