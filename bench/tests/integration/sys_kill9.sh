#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kill -9 a pool benchmark at several points (right after the first
# change, pool grown, HVO on with pages allocated, surplus pages mapped,
# random moments), then start hvobench (alternately `hvobench restore` and
# `hvobench run` with a filter matching nothing): every original value
# must be back.  A change without a journal on disk is a failure too.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

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
