#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Non-root: privileged benchmarks are skipped with their reasons, the run
# succeeds, and nothing is written (no kernel value, no journal, no lock).
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

if ! command -v setpriv >/dev/null; then
	echo "SKIP: setpriv not installed"
	exit 77
fi
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
if ! as_nobody test -x "$HVOBENCH"; then
	echo "SKIP: user nobody cannot execute $HVOBENCH"
	exit 77
fi
chmod 755 "$TMP"
mkdir -m 777 "$TMP/out"
as_nobody env HVOBENCH_STATE_DIR="$HVOBENCH_STATE_DIR" \
	"$HVOBENCH" run --filter='^pool/(grow|fault|demote)/size:2M/' \
	--out="$TMP/out/r.json" >"$TMP/log" 2>&1
rc=$?
[ $rc = 0 ] || { fail "non-root run: exit $rc"; cat "$TMP/log"; }
python3 - "$TMP/out/r.json" <<'PY' || fail "non-root: not all skipped with reasons"
import json, sys
d = json.load(open(sys.argv[1]))
s = d.get("hvobench_skipped", [])
print(len(s), "skipped, e.g.:", s[0]["reason"] if s else None)
sys.exit(0 if s and not d["benchmarks"] and
         all("root" in x["reason"] for x in s) else 1)
PY
[ -e "$HVOBENCH_STATE_DIR" ] && fail "non-root run created $HVOBENCH_STATE_DIR"
[ "$(snap)" = "$BEFORE" ] || fail "non-root run changed the state"

# A killed root run's journal: non-root start says so in one line and
# leaves it; root restore then puts the value back.
"$HVOBENCH" pool --size=2M --pages=4 -- sleep 30 2>/dev/null &
pid=$!
for i in $(seq 200); do
	[ -s "$HVOBENCH_STATE_DIR/journal" ] && [ "$(snap)" != "$BEFORE" ] && break
	sleep 0.02
done
child=$(pgrep -P $pid)
kill -9 $pid
wait $pid 2>/dev/null
[ -n "$child" ] && kill $child 2>/dev/null
as_nobody env HVOBENCH_STATE_DIR="$HVOBENCH_STATE_DIR" \
	"$HVOBENCH" run --filter='^nothing$' --out="$TMP/out/n.json" \
	>"$TMP/log" 2>&1
grep -q 'restore.* as root' "$TMP/log" || { fail "non-root: no journal notice"; cat "$TMP/log"; }
[ -s "$HVOBENCH_STATE_DIR/journal" ] || fail "non-root start touched the journal"
"$HVOBENCH" restore >/dev/null 2>&1 || fail "root restore failed"
