#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `hvobench run` records each run in the store as well as in JSON: a real
# run (one 4K fault instance, HVO off) lands in both; `db import` of the
# results folder into a new store rebuilds the same run; a store that
# cannot be written (garbage file, unwritable path) costs no JSON and
# does not fail the run; $HVOBENCH_DB=off records nothing.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

name=$("$HVOBENCH" list --instances --suite=quick --filter='size:4K' 2>/dev/null |
	grep -v 'hvo:on' | head -1)
[ -n "$name" ] || { echo "SKIP: no 4K instance listed"; exit 77; }
filter="^$(printf '%s' "$name" | sed 's/[]\/$*.^[]/\\&/g')\$"
run() { "$HVOBENCH" run --filter="$filter" --min-time=0.01 --repetitions=2 "$@"; }
unset HVOBENCH_DB
db=$HVOBENCH_RESULTS/hvobench.db

# 1. The default store beside the run folders.
run >"$TMP/log" 2>&1 || { fail "run exited non-zero"; cat "$TMP/log"; }
json=$(sed -n 's/^results: //p' "$TMP/log")
[ -s "$json" ] || fail "no result JSON ($json)"
grep -q "^store: run 1 in $db" "$TMP/log" || fail "run did not say it was recorded"
HVOBENCH_DB=$db "$HVOBENCH" db list --format=json >"$TMP/a.json" ||
	fail "db list of the run's store"
HVOBENCH_DB=$TMP/rebuilt.db "$HVOBENCH" db import "$HVOBENCH_RESULTS" >/dev/null ||
	fail "db import of the results folder"
HVOBENCH_DB=$TMP/rebuilt.db "$HVOBENCH" db list --format=json >"$TMP/b.json" ||
	fail "db list of the rebuilt store"
python3 - "$TMP/a.json" "$TMP/b.json" "$json" "$name" <<'PY' || fail "stored run"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
doc = json.load(open(sys.argv[3]))
keys = lambda r: {k: v for k, v in r.items() if k not in ("id", "source")}
assert len(a) == 1, "run store holds %d runs" % len(a)
assert [keys(r) for r in a] == [keys(r) for r in b], "rebuilt store differs"
r = a[0]
assert r["source"] == sys.argv[3], r["source"]
assert r["rows"] == len(doc["benchmarks"]) and r["rows"] > 0, r["rows"]
assert r["kernel"] == doc["context"]["hvobench"]["env"]["kernel"]["release"]
assert r["fingerprint"] and r["commit"] and r["hvo"] in ("off", "on", "n/a")
print("ok: run %d (%s, %d rows of %s) in the store and rebuilt the same "
      "from JSON" % (r["id"], r["kernel"], r["rows"], sys.argv[4]))
PY

# 2. A store that cannot take the run: the JSON is kept, the run succeeds.
head -c 4096 /dev/urandom >"$TMP/garbage.db"
sum=$(sha256sum <"$TMP/garbage.db")
for bad in "$TMP/garbage.db" /proc/hvobench-store-test.db; do
	rm -rf "$HVOBENCH_RESULTS"
	HVOBENCH_DB=$bad run >"$TMP/log" 2>"$TMP/err" ||
		fail "run with store $bad exited non-zero"
	json=$(sed -n 's/^results: //p' "$TMP/log")
	[ -s "$json" ] || fail "store $bad: the result JSON was lost"
	[ "$(grep -c 'not recorded in the store' "$TMP/err")" = 1 ] ||
		fail "store $bad: no one-line notice: $(cat "$TMP/err")"
	echo "ok: store $bad: $(grep 'not recorded' "$TMP/err")"
done
[ "$(sha256sum <"$TMP/garbage.db")" = "$sum" ] || fail "garbage store changed"

# 3. Off.
rm -rf "$HVOBENCH_RESULTS"
HVOBENCH_DB=off run >"$TMP/log" 2>&1 || fail "run with the store off"
[ -e "$db" ] && fail "HVOBENCH_DB=off still made $db"
grep -q '^store:' "$TMP/log" && fail "HVOBENCH_DB=off still recorded"
