#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/pool-shell-check: bad arguments get one line and exit 2; a small
# run prints the shell and hvobench rows for grow and shrink with a verdict
# and leaves nothing changed; a kill -9 of the script with the pool grown
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

# kill -9 (the script and its children) once the shell phase has grown
# the pool: the journal it wrote must let hvobench put everything back.
orig=$(cat $P2M/nr_hugepages)
setsid "$SC" --pages=512 --reps=50 --rounds=1 --hvobench="$HVOBENCH" \
	>"$TMP/klog" 2>&1 &
pid=$!
for i in $(seq 3000); do
	[ "$(cat $P2M/nr_hugepages)" -gt "$orig" ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.01
done
if [ "$(cat $P2M/nr_hugepages)" -gt "$orig" ] || [ "$(snap)" != "$BEFORE" ]; then
	kill -9 -- -$pid
	wait $pid 2>/dev/null
	[ -s "$HVOBENCH_STATE_DIR/journal" ] || fail "killed with state changed, no journal"
	"$HVOBENCH" restore >"$TMP/rlog" 2>&1 || { fail "hvobench restore"; cat "$TMP/rlog"; }
	settled || { fail "not restored after kill -9"; diff <(echo "$BEFORE") <(snap); }
	echo "ok: kill -9 with the pool grown, restored"
else
	kill -9 -- -$pid 2>/dev/null
	wait $pid 2>/dev/null
	fail "the pool never grew within 30 s"
	cat "$TMP/klog"
fi
