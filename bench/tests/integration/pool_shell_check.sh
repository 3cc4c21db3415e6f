#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/pool-shell-check: bad arguments get one line and exit 2; a small
# run prints the shell and hvobench rows for grow and shrink with a verdict
# and leaves nothing changed; a kill -9 of the script in its shell phase
# is repaired by `hvobench restore` from the journal it wrote.  (The
# agreement itself is checked by the recorded runs under results/pool: a
# timed test on this machine would only measure its load.)
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

SC=${HVOBENCH_SRC:?}/scripts/pool-shell-check

for bad in --pages=x --reps= --bogus; do
	"$SC" "$bad" --hvobench="$HVOBENCH" >"$TMP/bad" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "$bad: exit $rc, not 2"
	[ "$(wc -l <"$TMP/bad")" = 1 ] || fail "$bad: not one line"
	grep -q '^pool-shell-check: ' "$TMP/bad" || fail "$bad: no message"
done
[ "$(snap)" = "$BEFORE" ] || fail "bad arguments changed kernel state"

# rc 1 (ratios differ at 64 pages on a noisy machine) is data, not an error.
"$SC" --pages=64 --reps=2 --rounds=1 --hvobench="$HVOBENCH" \
	--out="$TMP/sc" >"$TMP/log" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { fail "run exited $rc"; cat "$TMP/log"; }
for row in 'grow +shell ' 'grow +hvobench ' 'shrink +shell ' \
	'shrink +hvobench ' 'grow +ratio hvobench vs shell' \
	'shrink +ratio hvobench vs shell'; do
	grep -Eq "^$row" "$TMP/sc/report.txt" 2>/dev/null ||
		{ fail "report has no '$row' row"; cat "$TMP/log"; }
done
[ "$(grep -c ' grow ' "$TMP/sc/shell-times.txt")" = 4 ] ||
	fail "expected 2 reps x (off, on) shell grow times"
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "journal left after a run"
[ "$(snap)" = "$BEFORE" ] || fail "a run changed kernel state"

# kill -9 (the script and its children) in the middle of its shell phase:
# once HVO is flipped from the machine's value (it stays so for a whole
# block of reps, while the pool grows and shrinks under it) -- the pool
# itself is grown for only a millisecond at a time.  The journal the
# script wrote must let hvobench put everything back.
HVO=/proc/sys/vm/hugetlb_optimize_vmemmap
if [ -w $HVO ]; then
	hvo0=$(cat $HVO)
	# Job control: the background job gets a process group of its own
	# (pgid = its pid), so one kill reaches the script and its children.
	set -m
	"$SC" --pages=512 --reps=50 --rounds=1 --hvobench="$HVOBENCH" \
		>"$TMP/klog" 2>&1 &
	pid=$!
	set +m
	hit=0
	for i in $(seq 3000); do
		[ "$(cat $HVO)" != "$hvo0" ] && hit=1 && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.01
	done
	kill -9 -- -$pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ $hit = 1 ]; then
		[ -s "$HVOBENCH_STATE_DIR/journal" ] ||
			fail "killed with HVO flipped, no journal"
		"$HVOBENCH" restore >"$TMP/rlog" 2>&1 ||
			{ fail "hvobench restore"; cat "$TMP/rlog"; }
		settled || { fail "not restored after kill -9"; diff <(echo "$BEFORE") <(snap); }
		echo "ok: kill -9 mid shell phase (HVO flipped), restored"
	else
		fail "the script never flipped HVO within 30 s"
		cat "$TMP/klog"
	fi
fi
