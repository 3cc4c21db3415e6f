#!/usr/bin/env bash
# Google Benchmark's own compare.py reads two of our JSON files.
set -u
cmp=/usr/share/benchmark/compare.py
[[ -r $cmp ]] || { echo "skipped: $cmp missing (libbenchmark-tools)"; exit 77; }
/usr/bin/python3 -c 'import scipy' 2>/dev/null || { echo "skipped: no python3-scipy"; exit 77; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
# Selftests change no kernel state: a private lock directory.
export HVOBENCH_STATE_DIR=$d/state
for x in a b; do
	"$HVOBENCH" run --suite=selftest --filter='selftest/(empty|sleep|skip)' \
		--min-time=0.02 --repetitions=9 --out="$d/$x.json" >/dev/null ||
		{ echo "FAIL: hvobench run ($x)"; exit 1; }
done
out=$(/usr/bin/python3 "$cmp" --no-color benchmarks "$d/a.json" "$d/b.json" 2>&1)
rc=$?
echo "$out"
[[ $rc == 0 ]] || { echo "FAIL: compare.py exit $rc"; exit 1; }
for n in selftest/empty selftest/sleep/us:100 selftest/sleep/us:1000 \
	 selftest/sleep/us:100_pvalue selftest/empty_mean OVERALL_GEOMEAN; do
	grep -q "^$n " <<<"$out" || { echo "FAIL: compare.py output lacks $n"; exit 1; }
done
# Skipped instances never reach compare.py as zero-time rows.
if grep -q 'selftest/skip' <<<"$out"; then echo "FAIL: skip row compared"; exit 1; fi
echo "compare.py read both files"
