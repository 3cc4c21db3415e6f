#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SIGINT, SIGTERM and SIGHUP mid-run, and SIGPIPE (output piped to a
# reader that went away): the handler restores every value, removes the
# journal and the process dies of that signal.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

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
