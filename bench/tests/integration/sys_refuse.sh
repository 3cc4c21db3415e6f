#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Refusal of unsafe sizes: a pool beyond MemAvailable minus the safety
# margin is refused with one clear line and exit 2 before anything is
# changed; a benchmark that would need too much is skipped with the
# reason; malformed sizes are exit 2.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

nr0=$(cat $P2M/nr_hugepages)
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
too_many=$((avail_kb / 2048 + 1000))

# hvobench pool: refused before any change, one line, exit 2.
"$HVOBENCH" pool --size=2M --pages=$((nr0 + too_many)) --hvo=on -- true \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "unsafe pool: exit $rc, want 2"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "unsafe pool: want one line, got:"
grep -q 'refusing: .*MemAvailable' "$TMP/err" || fail "unsafe pool: message"
cat "$TMP/err"
[ "$(snap)" = "$BEFORE" ] || fail "unsafe pool: state changed"
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "unsafe pool: journal written"

# A safety margin that leaves no room: the benchmark is skipped with the
# reason, nothing is changed, the run itself succeeds.
margin=$((avail_kb / 1024 - 100))M
"$HVOBENCH" run --filter='^pool/grow/size:2M/pages:512/hvo:off' \
	--safety-margin=$margin --out="$TMP/r.json" >"$TMP/out" 2>&1
rc=$?
[ $rc = 0 ] || { fail "margin run: exit $rc"; cat "$TMP/out"; }
python3 - "$TMP/r.json" <<'PY' || fail "margin run: not skipped with the reason"
import json, sys
d = json.load(open(sys.argv[1]))
s = d.get("hvobench_skipped", [])
ok = any(x["name"] == "pool/grow/size:2M/pages:512/hvo:off" and
         "safety margin" in x["reason"] for x in s)
print([x["reason"] for x in s])
sys.exit(0 if ok and not d["benchmarks"] else 1)
PY
[ "$(snap)" = "$BEFORE" ] || fail "margin run: state changed"

# Bad sizes are bad input: one line, exit 2.
for bad in --safety-margin=lots --safety-margin=-1G --safety-margin=; do
	"$HVOBENCH" run --filter='^nothing$' "$bad" --out="$TMP/x.json" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 2 ] || fail "$bad: exit $rc, want 2"
	[ "$(wc -l <"$TMP/err")" = 1 ] || { fail "$bad: want one line"; cat "$TMP/err"; }
done
"$HVOBENCH" pool --size=3M --pages=1 -- true 2>"$TMP/err"
[ $? = 2 ] || fail "pool --size=3M: want exit 2"
