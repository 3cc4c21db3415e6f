#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The CSV is lossless: one run writes CSV to stdout and JSON to a file;
# every field of every JSON row (parameters, user counters, counters,
# vmstat deltas, histograms, binding...) must be in the CSV row of the
# same instance and repetition, reals equal bit for bit.  Negative
# control (2026-11-30): the CSV before this test (%.6g, 15 columns) fails
# it ("column family_index missing", ...).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
HVOBENCH_STATE_DIR=$T/state "$HVOBENCH" run --suite=selftest \
	--filter='^selftest/(empty|100ns|threads|skip|kfault)' --min-time=0.01 \
	--repetitions=2 --format=csv --out="$T/r.json" >"$T/r.csv" 2>"$T/err" ||
	{ echo "FAIL: run"; cat "$T/err"; exit 1; }
python3 - "$T/r.json" "$T/r.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))

def flat(v, p, out):
    if isinstance(v, dict):
        for k, x in v.items():
            flat(x, p + "." + k if p else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flat(x, "%s[%d]" % (p, i), out)
    else:
        out[p] = v
    return out

by = {(r["name"], r.get("repetition_index", "")): r for r in rows}
n = fields = 0
bad = []
for b in d["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    c = by.get((b["name"], str(b["repetition_index"])))
    if c is None:
        bad.append("no CSV row for %s #%s" % (b["name"], b["repetition_index"]))
        continue
    n += 1
    for k, v in flat(b, "", {}).items():
        fields += 1
        s = c.get(k)
        if s is None:
            bad.append("%s: column %s missing" % (b["name"], k))
        elif v is None:
            ok = s == ""
        elif isinstance(v, bool):
            ok = s == ("true" if v else "false")
        elif isinstance(v, int):
            ok = int(s) == v
        elif isinstance(v, float):
            ok = float(s) == v and ("." in s or "e" in s)
        else:
            ok = s == v
        if s is not None and not ok:
            bad.append("%s: %s is %r in CSV, %r in JSON" % (b["name"], k, s, v))
skipped = [s["name"] for s in d.get("hvobench_skipped", [])]
for name in skipped:
    if not any(r["name"] == name and r["skipped"] == "true" for r in rows):
        bad.append("skipped %s not in the CSV" % name)
print("%d rows, %d fields, %d skipped compared" % (n, fields, len(skipped)))
for x in bad[:10]:
    print("FAIL:", x)
sys.exit(1 if bad or n < 4 or not skipped else 0)
PY
