#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One run at a time: while a run holds the lock, a second `hvobench run`
# is refused with one line and exit 2 and changes nothing, `hvobench
# restore` leaves the live run's journal alone, and a run with a state
# directory of its own is refused before it touches kernel state.
set -u
HVOBENCH=${HVOBENCH:?HVOBENCH must point at the hvobench binary}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (changes hugetlb sysctls)"
	exit 77
fi
P2M=/sys/kernel/mm/hugepages/hugepages-2048kB
if [ ! -w $P2M/nr_hugepages ]; then
	echo "SKIP: no writable 2M hugetlb pool"
	exit 77
fi
TMP=$(mktemp -d /tmp/hvobench-it.XXXXXX)
# A private state dir (journal, lock) and results dir for this test.
export HVOBENCH_STATE_DIR=$TMP/state HVOBENCH_RESULTS=$TMP/results
# Keep hvobench runs that use the default state dir off the machine
# while this test changes kernel state (they are refused, not mixed in).
mkdir -p /var/lib/hvobench
exec 9<>/var/lib/hvobench/lock
if ! flock -w 900 9; then
	echo "FAIL: /var/lib/hvobench/lock stayed busy"
	exit 1
fi
echo $$ >/var/lib/hvobench/lock
FAILED=0

# Every value a run may change; the test ends with all of them as found.
snap() {
	local f
	for f in /proc/sys/vm/nr_hugepages /proc/sys/vm/nr_overcommit_hugepages \
		/proc/sys/vm/hugetlb_optimize_vmemmap \
		/sys/kernel/mm/hugepages/hugepages-*/nr_hugepages \
		/sys/kernel/mm/hugepages/hugepages-*/nr_overcommit_hugepages \
		/sys/kernel/mm/hugepages/hugepages-*/demote_size \
		/sys/kernel/mm/transparent_hugepage/enabled \
		/sys/kernel/mm/transparent_hugepage/defrag; do
		[ -r "$f" ] && echo "$f=$(cat "$f")"
	done
}
BEFORE=$(snap)

fail() {
	echo "FAIL: $*"
	FAILED=1
}

# Freeing huge pages can finish in a kworker: allow 10 s to settle.
settled() {
	local i
	for i in $(seq 100); do
		[ "$(snap)" = "$BEFORE" ] && return 0
		sleep 0.1
	done
	return 1
}

finish() {
	if ! settled; then
		fail "kernel state differs from the start of the test:"
		diff <(echo "$BEFORE") <(snap)
		"$HVOBENCH" restore >/dev/null 2>&1
	fi
	rm -rf "$TMP"
	[ $FAILED = 0 ] && echo PASS
	exit $FAILED
}
trap finish EXIT

"$HVOBENCH" pool --size=2M --pages=8 -- sleep 4 2>"$TMP/holder" &
holder=$!
# The holder has its pool once the command runs (stderr says so).
for i in $(seq 250); do
	grep -q 'pool has' "$TMP/holder" 2>/dev/null && break
	sleep 0.02
done
grep -q 'pool has' "$TMP/holder" || fail "first run never set its pool"
held=$(snap)

"$HVOBENCH" run --filter='^pool/grow/size:2M/pages:1/hvo:off' \
	--out="$TMP/r.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "second run: exit $rc, want 2"
grep -q 'another run (pid [0-9]*) holds .*lock' "$TMP/err" ||
	fail "second run: no clear message"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "second run: want one line"
cat "$TMP/err"
[ "$(snap)" = "$held" ] || fail "second run changed the state"

"$HVOBENCH" restore >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "restore during a live run: exit $rc, want 2"
[ -s "$HVOBENCH_STATE_DIR/journal" ] || fail "restore took the live journal"
[ "$(snap)" = "$held" ] || fail "restore changed a live run's state"

# A run with a state dir of its own is refused too: kernel state is
# shared.  (fd 9, the lock this test holds, is not passed down to it.)
HVOBENCH_STATE_DIR=$TMP/other "$HVOBENCH" pool --size=2M --pages=2 -- true \
	9>&- >"$TMP/out" 2>"$TMP/err"
[ $? != 0 ] || fail "run in another state dir was not refused"
grep -q 'holds /var/lib/hvobench/lock; not touching kernel state' "$TMP/err" ||
	{ fail "run in another state dir: no clear message"; cat "$TMP/err"; }
[ "$(snap)" = "$held" ] || fail "run in another state dir changed the state"
[ -e "$TMP/other/journal" ] && fail "run in another state dir journalled"

wait $holder || fail "holder run failed: $(cat "$TMP/holder")"
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "journal left by the holder"
