#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kill -9 a pool benchmark at several points (right after the first
# change, pool grown, HVO on with pages allocated, surplus pages mapped,
# random moments), then start hvobench (alternately `hvobench restore` and
# `hvobench run` with a filter matching nothing): every original value
# must be back.  A change without a journal on disk is a failure too.
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
recover_with=restore
changed_kills=0

# Wait (up to 60 s) until the condition holds while the run is alive.
reach() {
	local pid=$1 cond=$2 i
	for i in $(seq 6000); do
		kill -0 "$pid" 2>/dev/null || return 1
		eval "$cond" && return 0
		sleep 0.01
	done
	return 1
}

# One kill: start a run of filter, wait for cond, SIGKILL, recover.
kill_at() {
	local point=$1 filter=$2 cond=$3 pid
	"$HVOBENCH" run --filter="$filter" --out="$TMP/k.json" \
		>"$TMP/klog" 2>&1 &
	pid=$!
	if ! reach $pid "$cond"; then
		fail "$point: never reached (run ended or 60 s passed)"
		cat "$TMP/klog"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		return
	fi
	kill -9 $pid
	wait $pid 2>/dev/null
	# Whatever the kill left changed must be in the journal on disk.
	if [ "$(snap)" != "$BEFORE" ]; then
		changed_kills=$((changed_kills + 1))
		[ -s "$HVOBENCH_STATE_DIR/journal" ] ||
			fail "$point: state changed but no journal"
	fi
	if [ $recover_with = restore ]; then
		"$HVOBENCH" restore >"$TMP/rlog" 2>&1 ||
			{ fail "$point: hvobench restore failed"; cat "$TMP/rlog"; }
		recover_with=run
	else
		"$HVOBENCH" run --filter='^nothing-matches-this$' \
			--out="$TMP/n.json" >"$TMP/rlog" 2>&1
		recover_with=restore
	fi
	if settled && [ ! -e "$HVOBENCH_STATE_DIR/journal" ]; then
		echo "ok: $point (recovered by $([ $recover_with = run ] && echo restore || echo run))"
	else
		fail "$point: not restored"
		diff <(echo "$BEFORE") <(snap)
		cat "$TMP/rlog"
	fi
}

kill_at journal '^pool/step/size:2M/' \
	"[ -s $HVOBENCH_STATE_DIR/journal ]"
kill_at grown '^pool/step/size:2M/' \
	"[ \$(cat $P2M/nr_hugepages) -gt $orig_nr ]"
if [ -w $HVO ]; then
	kill_at hvo-on-grown '^pool/step/size:2M/.*hvo:on' \
		"[ \$(cat $HVO) = 1 ] && [ \$(cat $P2M/nr_hugepages) -gt $orig_nr ]"
	kill_at surplus-mapped '^pool/fault/size:2M/mode:private/hvo:on' \
		"[ \$(cat $P2M/surplus_hugepages) -gt 0 ]"
fi
for delay in 0.3 0.9 1.7; do
	kill_at "random-$delay" '^pool/(grow|step)/size:2M/' \
		"sleep $delay"
done
# The kills must have hit a changed machine, or they proved nothing.
[ $changed_kills -ge 3 ] ||
	fail "only $changed_kills kills happened while the state was changed"
echo "$changed_kills kills with the kernel state changed"
