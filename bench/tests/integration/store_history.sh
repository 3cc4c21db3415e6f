#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# hvobench history over the recorded results/ tree (files only): one line
# per stored run of the benchmark on the host, oldest first, whose median
# and interval are recomputed here from the JSON (median of the iteration
# rows; interval [x(k), x(n+1-k)] by the binomial rule); the plot is drawn
# when gnuplot is there; bad input is one line and exit 2.
set -u
H=${HVOBENCH:?HVOBENCH not set}
SRC=${HVOBENCH_SRC:?HVOBENCH_SRC not set}
. "$(dirname "$0")/../lib/cli_expect.sh"
export HVOBENCH_DB=$T/store.db

B='pool/grow/size:2M/pages:64/hvo:on'
expect2 "no store" "$H" history "$B"
"$H" db import "$SRC/results" >/dev/null || bad "import results/"
"$H" history "$B" --host=vm --out="$T/plot" >"$T/table" 2>"$T/err" ||
	bad "history exit $?: $(cat "$T/err")"
cat "$T/table"
python3 - "$SRC/results" "$T/table" "$B" <<'PY' || bad "history table differs from the JSON"
import json, math, os, re, statistics, sys
root, table, bench = sys.argv[1:4]
scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
runs, seen = [], set()
for d, _, fs in os.walk(root):
    for f in fs:
        p = os.path.join(d, f)
        if not f.endswith(".json") or not os.path.getsize(p):
            continue
        raw = open(p, "rb").read()
        doc = json.loads(raw)
        if not isinstance(doc, dict) or doc.get("context", {}).get("host_name") != "vm" or raw in seen:
            continue
        seen.add(raw)
        v = sorted(b["real_time"] * scale[b.get("time_unit", "ns")]
                   for b in doc.get("benchmarks", [])
                   if b.get("name") == bench and b.get("run_type", "iteration") == "iteration")
        if v:
            runs.append((doc["context"].get("date", ""), v))
def unit(s):
    m = re.fullmatch(r"([0-9.]+)(ns|us|ms|s)", s)
    return float(m.group(1)) * scale[m.group(2)]
lines = [l for l in open(table) if re.match(r"\s+\d+\s+\d{4}-", l)]
assert len(lines) == len(runs) >= 3, (len(lines), len(runs))
got = sorted((l.split()[1], l) for l in lines)
for (date, l), (_, v) in zip(got, sorted(runs, key=lambda r: r[0])):
    f = l.split()
    n, med = int(f[4]), unit(f[5])
    lo, hi = unit(f[6].strip("[,")), unit(f[7].strip("],"))
    assert n == len(v), (l, len(v))
    exp = statistics.median(v)
    k = 1
    cdf = lambda k: sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    while k + 1 <= (n + 1) // 2 and cdf(k) <= 0.025:
        k += 1
    for what, x, e in (("median", med, exp), ("lo", lo, v[k - 1]), ("hi", hi, v[n - k])):
        assert abs(x - e) <= 0.0051 * e, (l, what, x, e)
print("%d runs: medians and intervals as computed from the JSON" % len(lines))
PY
if command -v gnuplot >/dev/null; then
	[ -s "$T/plot/history.png" ] && [ -s "$T/plot/history.svg" ] &&
		ok "plot drawn" || bad "no plot: $(cat "$T/plot/gnuplot.log" 2>/dev/null)"
else
	echo "note: no gnuplot, plot not checked"
fi
grep -c . "$T/plot/history.dat" | grep -qx "$(grep -cE '^ +[0-9]+ +[0-9]{4}-' "$T/table")" ||
	bad "history.dat has not one line per run"
"$H" history "$B" --host=vm --metric=cpu_time --out="$T/p2" >/dev/null || bad "--metric=cpu_time"
"$H" history "$B" --host=vm --metric=vmemmap_saved_per_page --out="$T/p3" >/dev/null ||
	bad "--metric=<user counter>"

expect2 "unknown benchmark" "$H" history no/such/bench
expect2 "unknown metric" "$H" history "$B" --host=vm --metric=nope
expect2 "several hosts" "$H" history "$B"
expect2 "no BENCH" "$H" history
expect2 "two BENCHes" "$H" history "$B" "$B"
expect2 "bad --alpha" "$H" history "$B" --alpha=2
exit $fail
