#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One run at a time: while a run holds the lock, a second `hvobench run`
# is refused with one line and exit 2 and changes nothing, `hvobench
# restore` leaves the live run's journal alone, and a run with a state
# directory of its own is refused before it touches kernel state.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

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
