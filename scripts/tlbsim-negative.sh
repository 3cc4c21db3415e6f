#!/bin/bash
# Negative controls for the tlbsim unit tests: break the TLB model and the
# footprint code on purpose, one mutation at a time, and check that
# bench/tests/unit/tlbsim_model.c fails for each.  Prints one line per
# mutation; exits 1 if any mutation survives (the tests would not notice).
#
#   scripts/tlbsim-negative.sh [RUN_DIR]
#
# With RUN_DIR (a scripts/tlbsim-run.sh output), also take one page away
# from the calibration region's own block in a copy of its plugin output and
# check that scripts/tlbsim-merge.py then fails the calibration.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tlbsim-neg.XXXXXX")
trap 'rm -rf "$work"' EXIT
# name | file | sed expression
mutations=(
	"evict MRU instead of LRU|tlbmodel.c|s/if (e\[w\].used < v->used)/if (e[w].used > v->used)/"
	"never coalesce|tlbmodel.c|s/a->cfg.coalesce4 \&\& contig4/a->cfg.coalesce4 \&\& contig4 \&\& 0/"
	"ignore the page size in tags|tlbmodel.c|s/return vpn << 3 | 4 | code;/return vpn << 3 | 4;/"
	"L2 hit does not fill L1|tlbmodel.c|s/^\t\tif (a1)\$/\t\tif (a1 \&\& r == TLB_WALK)/"
	"no splintering of large pages|tlbmodel.c|s/for (unsigned int b = bit; b; b >>= 1)/for (unsigned int b = bit; b == bit; b >>= 1)/"
	"reuse distance counts the page itself|footprint.c|s/fen_sum(f, now - 1) - fen_sum(f, prev)/fen_sum(f, now - 1) - fen_sum(f, prev - 1)/"
	"blocks of 1M instead of 2M|footprint.c|s/e->key >> 9/e->key >> 8/"
)
survived=0
for m in "${mutations[@]}"; do
	IFS='|' read -r name file expr <<< "$m"
	rm -rf "$work/src" && mkdir -p "$work/src"
	cp "$repo"/bench/tlbsim/*.[ch] "$work/src/"
	sed -i "$expr" "$work/src/$file"
	if cmp -s "$repo/bench/tlbsim/$file" "$work/src/$file"; then
		echo "NOT APPLIED  $name (the sed expression no longer matches)"
		survived=1
		continue
	fi
	gcc -std=c11 -D_GNU_SOURCE -I"$work/src" -o "$work/t" \
		"$repo/bench/tests/unit/tlbsim_model.c" "$work/src/tlbmodel.c" \
		"$work/src/tlbpresets.c" "$work/src/footprint.c" -lcmocka
	if out=$(CMOCKA_MESSAGE_OUTPUT=stdout "$work/t" 2>&1); then
		echo "SURVIVED     $name"
		survived=1
	else
		echo "caught       $name: $(grep -m1 -o 'FAILED  \] test_[a-z_0-9]*' <<< "$out" | sed 's/FAILED  \] //')"
	fi
done
if [ -n "${1:-}" ]; then
	run=$1
	python3 - "$run/sim/plugin.jsonl" "$work/p.jsonl" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("blocks") and o.get("family") is not None:
        o["blocks"] = [[b, n - 1 if n == 256 else n] for b, n in o["blocks"]]
    out.write(json.dumps(o) + "\n")
PY
	if "$repo/scripts/tlbsim-merge.py" merge "$run/sim/result.json" "$work/p.jsonl" \
		"$work/r.json" > "$work/out.txt" 2>&1; then
		echo "SURVIVED     calibration with one page fewer in its block ($run)"
		survived=1
	else
		echo "caught       calibration with one page fewer in its block: $(grep -m1 'CALIBRATION FAIL' "$work/out.txt" | cut -c1-160)"
	fi
fi
exit $survived
