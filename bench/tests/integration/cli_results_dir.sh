#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs started in the same second get their own results directories
# (<timestamp>, <timestamp>-2, ...), each with its own result.json.
set -u
export HVOBENCH_RESULTS=$(mktemp -d)
trap 'rm -rf "$HVOBENCH_RESULTS"' EXIT
pids=()
for i in 1 2 3; do
	HVOBENCH_STATE_DIR=$HVOBENCH_RESULTS/state$i "$HVOBENCH" run \
		--suite=selftest --filter='^selftest/empty$' --min-time=0.001 \
		>"$HVOBENCH_RESULTS/log$i" 2>&1 &
	pids+=($!)
done
fail=0
for p in "${pids[@]}"; do wait "$p" || fail=1; done
[[ $fail == 0 ]] || { echo "FAIL: a run failed"; cat "$HVOBENCH_RESULTS"/log*; exit 1; }
dirs=$(sed -n 's/^results: //p' "$HVOBENCH_RESULTS"/log* | sort -u)
n=$(grep -c . <<<"$dirs")
echo "$dirs"
[[ $n == 3 ]] || { echo "FAIL: 3 runs reported $n result files"; exit 1; }
for f in $dirs; do
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" ||
		{ echo "FAIL: $f is not one run's JSON"; exit 1; }
done
echo PASS
