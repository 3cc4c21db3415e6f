#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The run store, from files only (no kernel state): `db import` of the
# recorded results/ tree holds exactly the result documents there, with
# what each run is (host, kernel, suite, commit, UTC date) read back as
# the JSON says; importing twice adds nothing; `db list` filters; a
# corrupt, truncated, foreign or newer database and bad JSON get one line
# and exit 2 with the files untouched and nothing half-imported;
# concurrent importers all land.
set -u
H=${HVOBENCH:?HVOBENCH not set}
SRC=${HVOBENCH_SRC:?HVOBENCH_SRC not set}
. "$(dirname "$0")/../lib/cli_expect.sh"
unset HVOBENCH_RESULTS
export HVOBENCH_DB=$T/store.db
command -v sqlite3 >/dev/null || echo "note: no sqlite3 CLI, foreign-database case not run"
count() { "$H" db list --format=json "$@" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

expect2 "list without a store" "$H" db list
[ -e "$HVOBENCH_DB" ] && bad "list created a store"

# 1. The recorded tree: every document with a benchmarks array is one run.
"$H" db import "$SRC/results" >"$T/imp" 2>&1 || bad "import results/: $(cat "$T/imp")"
cat "$T/imp"
"$H" db list --format=json >"$T/list.json" || bad "db list --format=json"
python3 - "$SRC/results" "$T/list.json" <<'PY' || bad "stored runs differ from results/"
import hashlib, json, os, sys
from datetime import datetime, timezone
root, listing = sys.argv[1], json.load(open(sys.argv[2]))
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return "%016x" % h
# One run per distinct document (files with the same bytes are one run).
want, paths = {}, {}
for d, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".json"):
            continue
        p = os.path.join(d, f)
        raw = open(p, "rb").read()
        if not raw:
            continue
        doc = json.loads(raw)
        if isinstance(doc, dict) and isinstance(doc.get("benchmarks"), list):
            h = hashlib.sha256(raw).hexdigest()
            want.setdefault(h, (p, doc, raw))
            paths.setdefault(h, set()).add(p)
by_src = {r["source"]: r for r in listing}
got = {}
bad = []
for h, ps in paths.items():
    hit = [by_src[p] for p in ps if p in by_src]
    if len(hit) != 1:
        bad.append(h)
        print("%d stored runs for %s" % (len(hit), sorted(ps)))
    else:
        got[h] = hit[0]
if len(listing) != len(want):
    bad.append("count")
# The digest is the store's identity: FNV-1a of the bytes (the small ones).
for h, (p, doc, raw) in sorted(want.items(), key=lambda x: len(x[1][2]))[:3]:
    if h in got and got[h]["digest"] != fnv(raw):
        bad.append(h)
        print("%s: digest %s, FNV-1a %s" % (p, got[h]["digest"], fnv(raw)))
for h, (path, doc, raw) in want.items():
    r, c = got.get(h), doc.get("context", {})
    if not r:
        continue
    env = c.get("hvobench", {}).get("env", {})
    exp = {"host": c.get("host_name"),
           "kernel": env.get("kernel", {}).get("release"),
           "arch": env.get("kernel", {}).get("machine"),
           "suite": c.get("hvobench", {}).get("suite"),
           "commit": c.get("hvobench", {}).get("version"),
           "rows": len(doc["benchmarks"]),
           "benchmarks": len({b["name"] for b in doc["benchmarks"]})}
    if c.get("date"):
        d = c["date"].replace("Z", "+00:00")
        if d[-5] in "+-" and d[-3] != ":":
            d = d[:-2] + ":" + d[-2:]
        exp["date"] = datetime.fromisoformat(d).astimezone(
            timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for k, v in exp.items():
        if r[k] != v:
            bad.append(h)
            print("%s: %s stored %r, JSON says %r" % (path, k, r[k], v))
print("%d result documents, %d runs stored, %d mismatches" %
      (len(want), len(listing), len(bad)))
sys.exit(1 if bad or len(want) < 10 else 0)
PY
n0=$(count)
"$H" db import "$SRC/results" >"$T/imp2" || bad "second import"
grep -q "^0 runs added, $n0 already stored" "$T/imp2" && ok "import twice: $(cat "$T/imp2")" ||
	bad "second import added runs: $(cat "$T/imp2")"

# 2. Filters, checked against the listing itself.
python3 - "$T/list.json" >"$T/expect" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
host = runs[-1]["host"]; kernel = runs[-1]["kernel"]
print("host", host, sum(r["host"] == host for r in runs))
print("kernel", kernel, sum(r["kernel"] == kernel for r in runs))
print("kglob", kernel[:3] + "*", sum((r["kernel"] or "").startswith(kernel[:3]) for r in runs))
print("since 2026-11-22T04", sum((r["date"] or "") >= "2026-11-22T04" for r in runs))
print("until 2026-11-22T03", sum((r["date"] or "")[:13] <= "2026-11-22T03" and r["date"] is not None for r in runs))
print("run", runs[0]["id"], 1)
PY
while read -r what val n; do
	case $what in
	host) got=$(count --host="$val") ;;
	kernel) got=$(count --kernel="$val") ;;
	kglob) got=$(count --kernel="$val") ;;
	since) got=$(count --since="$val") ;;
	until) got=$(count --until="$val") ;;
	run) got=$(count --run="$val") ;;
	esac
	[ "$got" = "$n" ] && [ "$n" -gt 0 ] && ok "--$what=$val: $got runs" ||
		bad "--$what=$val: $got runs, expected $n"
done <"$T/expect"
[ "$(count --host=no-such-host)" = 0 ] && ok "no match: 0 runs" || bad "no-match filter"
"$H" db list --kernel=no-such-kernel | grep -q '^no runs match' ||
	bad "text list of no match"
"$H" db list | awk 'NR > 1 && $1 !~ /^[0-9]+$/ { exit 1 }' || bad "text list rows"

# 3. Bad input: one line, exit 2, nothing stored, nothing changed.
sum0=$(sha256sum "$HVOBENCH_DB" | cut -c1-64)
expect2 "unknown subcommand" "$H" db drop
expect2 "unknown option" "$H" db list --bogus=1
expect2 "bad run id" "$H" db list --run=abc
expect2 "bad format" "$H" db list --format=xml
expect2 "import without a path" "$H" db import
expect2 "import of a missing path" "$H" db import "$T/nope"
mkdir -p "$T/mixed/a" "$T/mixed/b"
python3 - "$SRC/results" "$T/mixed/a/result.json" <<'PY'
import json, os, sys
for d, _, fs in sorted(os.walk(sys.argv[1])):
    for f in sorted(fs):
        if f == "result.json" and os.path.getsize(os.path.join(d, f)):
            doc = json.load(open(os.path.join(d, f)))
            doc["context"]["host_name"] = "mixed-good"
            json.dump(doc, open(sys.argv[2], "w"))
            sys.exit(0)
PY
head -c 300 "$T/mixed/a/result.json" >"$T/mixed/b/result.json"
expect2 "directory with a truncated file" "$H" db import "$T/mixed"
[ "$(count --host=mixed-good)" = 0 ] && ok "nothing of it imported" ||
	bad "a failed import left runs behind"
echo '{"benchmarks": [{"real_time": 1}]}' >"$T/noname.json"
expect2 "row without a name" "$H" db import "$T/noname.json"
[ "$(sha256sum "$HVOBENCH_DB" | cut -c1-64)" = "$sum0" ] &&
	ok "store unchanged by bad input" || bad "bad input changed the store"

for k in garbage truncated damaged foreign newer; do
	case $k in
	garbage) head -c 8192 /dev/urandom >"$T/$k.db" ;;
	truncated) head -c 3000 "$HVOBENCH_DB" >"$T/$k.db" ;;
	damaged) cp "$HVOBENCH_DB" "$T/$k.db"
		sz=$(stat -c %s "$T/$k.db")
		# Pages in the middle overwritten: what a bad copy leaves.
		dd if=/dev/urandom of="$T/$k.db" bs=4096 seek=$((sz / 8192)) \
			count=16 conv=notrunc 2>/dev/null ;;
	foreign) command -v sqlite3 >/dev/null || continue
		sqlite3 "$T/$k.db" 'CREATE TABLE t (a); INSERT INTO t VALUES (1)' ;;
	newer) cp "$HVOBENCH_DB" "$T/$k.db"
		python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version=99"); c.commit()' "$T/$k.db" ;;
	esac
	before=$(sha256sum "$T/$k.db")
	expect2 "$k database: list" env HVOBENCH_DB="$T/$k.db" "$H" db list
	expect2 "$k database: import" env HVOBENCH_DB="$T/$k.db" "$H" db import \
		"$T/mixed/a"
	[ "$(sha256sum "$T/$k.db")" = "$before" ] && ok "$k database untouched" ||
		bad "$k database was changed"
	[ -e "$T/$k.db-wal" ] && bad "$k database got a WAL file"
done

# 4. Concurrent writers: 8 importers at once, each its own documents.
mkdir -p "$T/conc"
python3 - "$T/mixed/a/result.json" "$T/conc" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for i in range(8):
    for j in range(3):
        doc["context"]["host_name"] = "conc-%d-%d" % (i, j)
        json.dump(doc, open("%s/%d-%d.json" % (sys.argv[2], i, j), "w"))
PY
pids=()
for i in $(seq 0 7); do
	"$H" db import "$T"/conc/"$i"-*.json >"$T/conc/$i.log" 2>&1 &
	pids+=($!)
done
cfail=0
for p in "${pids[@]}"; do wait "$p" || cfail=1; done
[ $cfail = 0 ] || bad "a concurrent importer failed: $(cat "$T"/conc/*.log | grep -v added)"
[ "$(count --host='conc-*')" = 24 ] && ok "8 concurrent importers: 24 runs" ||
	bad "concurrent importers: $(count --host='conc-*') of 24 runs"
"$H" db list >/dev/null || bad "store unreadable after concurrent imports"

exit $fail
