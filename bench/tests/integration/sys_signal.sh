#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SIGINT, SIGTERM and SIGHUP mid-run, and SIGPIPE (output piped to a
# reader that went away): the handler restores every value, removes the
# journal and the process dies of that signal.
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

HVO=/proc/sys/vm/hugetlb_optimize_vmemmap
orig_nr=$(cat $P2M/nr_hugepages)
# HVO on grows slowly enough (a grace period per page) to be caught.
filter='^pool/step/size:2M/.*hvo:on'
[ -e $HVO ] || filter='^pool/step/size:2M/'

for sig in INT TERM HUP; do
	"$HVOBENCH" run --filter="$filter" --out="$TMP/s.json" \
		>"$TMP/log" 2>&1 &
	pid=$!
	for i in $(seq 3000); do
		[ "$(cat $P2M/nr_hugepages)" -gt "$orig_nr" ] && break
		sleep 0.01
	done
	if [ "$(cat $P2M/nr_hugepages)" -le "$orig_nr" ]; then
		fail "SIG$sig: pool never grew"
		cat "$TMP/log"
	fi
	kill -$sig $pid
	wait $pid
	rc=$?
	want=$((128 + $(kill -l $sig)))
	[ $rc = $want ] || fail "SIG$sig: exit $rc, want $want"
	# Restored by the handler itself: no hvobench runs in between.
	if settled && [ ! -e "$HVOBENCH_STATE_DIR/journal" ]; then
		echo "ok: SIG$sig restored"
	else
		fail "SIG$sig: not restored by the handler"
		diff <(echo "$BEFORE") <(snap)
		"$HVOBENCH" restore >/dev/null 2>&1
	fi
done

# SIGPIPE: `head -1` takes the header and leaves after the first
# instance's rows are flushed; the next instance's rows kill the run.
"$HVOBENCH" run --filter='^pool/(grow/size:2M/pages:1|step/size:2M)/' --out="$TMP/p.json" 2>"$TMP/log" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
[ $rc = 141 ] || fail "SIGPIPE: exit $rc, want 141"
if settled && [ ! -e "$HVOBENCH_STATE_DIR/journal" ]; then
	echo "ok: SIGPIPE restored"
else
	fail "SIGPIPE: not restored by the handler"
	"$HVOBENCH" restore >/dev/null 2>&1
fi
