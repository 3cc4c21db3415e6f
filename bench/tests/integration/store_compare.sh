#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compare with sets selected from the store (files only): the recorded
# results/ tree imported; --kernel A --kernel B gives the two-way report
# over every stored run of each kernel; three and four --run sets give the
# N-way table within 72 columns whose medians are recomputed here from the
# JSON, with each interval around its change; Markdown has one row per
# benchmark; bad selections are one line and exit 2.
set -u
H=${HVOBENCH:?HVOBENCH not set}
SRC=${HVOBENCH_SRC:?HVOBENCH_SRC not set}
. "$(dirname "$0")/../lib/cli_expect.sh"
export HVOBENCH_DB=$T/store.db

"$H" db import "$SRC/results" >/dev/null || bad "import results/"
"$H" db list --format=json >"$T/runs.json" || bad "db list"

# Two kernels: the two-way report over all their runs.
read -r ka na kb nb < <(python3 - "$T/runs.json" <<'PY'
import collections, json, sys
c = collections.Counter(r["kernel"] for r in json.load(open(sys.argv[1]))
                        if r["kernel"] and r["arch"] == "x86_64")
(ka, na), (kb, nb) = c.most_common(2)
print(ka, na, kb, nb)
PY
)
"$H" compare --kernel="$ka" --kernel="$kb" --arch=x86_64 --filter='^pool/' \
	>"$T/two" 2>"$T/err" || bad "compare --kernel x2: $(cat "$T/err")"
grep -qx "A: kernel $ka ($na runs)" "$T/two" && grep -qx "B: kernel $kb ($nb runs)" "$T/two" &&
	ok "two kernels: $ka ($na runs) vs $kb ($nb runs)" || bad "two-way header: $(head -3 "$T/two")"

# Three and four sets of runs: runs of one host with pool grow rows.
python3 - "$T/runs.json" >"$T/sets" <<'PY'
import json, sys
def has_pool(path):
    return any(b["name"].startswith("pool/grow/size:2M/pages:64/")
               for b in json.load(open(path))["benchmarks"])
runs = [r for r in json.load(open(sys.argv[1]))
        if r["host"] == "vm" and r["kernel"] and has_pool(r["source"])]
runs.sort(key=lambda r: r["date"])
ids = [r["id"] for r in runs]
print(",".join(map(str, ids[:2])), *ids[2:5])
for r in runs[:5]:
    print("src", r["id"], r["source"])
PY
read -r s1 s2 s3 s4 <"$T/sets"
for cols in 3 4; do
	args=(--run="$s1" --run="$s2" --run="$s3")
	[ $cols = 4 ] && args+=(--run="$s4")
	"$H" compare "${args[@]}" --filter='^pool/(grow|shrink)/size:2M' >"$T/n$cols" 2>"$T/err" ||
		bad "$cols sets: $(cat "$T/err")"
	awk -v c="$cols" 'length($0) > 72 { print "FAIL: " c " sets: line of " length($0) " columns"; e = 1 } END { exit e }' "$T/n$cols" ||
		fail=1
	python3 - "$T/n$cols" "$T/sets" "$cols" <<'PY' || bad "$cols-way table differs from the JSON"
import json, re, statistics, sys
out, sets, ncols = open(sys.argv[1]).read().splitlines(), sys.argv[2], int(sys.argv[3])
lines = open(sets).read().splitlines()
cols = [c.split(",") for c in lines[0].split()][:ncols]
src = dict(l.split()[1:3] for l in lines[1:])
scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
def vals(ids, bench):
    v = []
    for i in ids:
        for b in json.load(open(src[i]))["benchmarks"]:
            if b["name"] == bench and b.get("run_type", "iteration") == "iteration":
                v.append(b["real_time"] * scale[b.get("time_unit", "ns")])
    return v
def num(s):
    m = re.fullmatch(r"([0-9.]+)(ns|us|ms|s)", s)
    return float(m.group(1)) * scale[m.group(2)] if m else None
assert out[0] == "hvobench compare: primary metrics, %d sets" % ncols, out[0]
checked = 0
for i, l in enumerate(out):
    if not re.match(r"pool/(grow|shrink)/size:2M[^ ]*$", l):
        continue
    # A's median, then each other column's median and change.
    cells = out[i + 1].split()
    assert len(cells) == 2 * ncols - 1, (l, cells)
    meds = cells[:1] + cells[1::2]
    for j, c in enumerate(meds):
        v = vals(cols[j], l)
        if c == "-":
            assert not v, (l, j, "has values")
            continue
        e = statistics.median(v)
        assert abs(num(c) - e) <= 0.0006 * e, (l, j, c, e)
    # Every interval holds its estimate's side of zero or spans it.
    if i + 2 < len(out) and out[i + 2].startswith(" "):
        for lo, hi in re.findall(r"\[([-+][0-9.]+)%,([-+][0-9.]+)%\]", out[i + 2]):
            assert float(lo) <= float(hi), out[i + 2]
    checked += 1
assert checked >= 4, checked
print("ok: %d sets, %d benchmarks: medians as in the JSON" % (ncols, checked))
PY
done
"$H" compare --run="$s1" --run="$s2" --run="$s3" --filter='^pool/(grow|shrink)/size:2M' \
	--format=markdown >"$T/md" || bad "markdown"
[ "$(grep -c '^| `pool/' "$T/md")" = "$(grep -c '^pool/' "$T/n3")" ] &&
	ok "markdown: one row per benchmark" || bad "markdown rows"
# The table's one multiplicity family, named in its last line.
"$H" compare --run="$s1" --run="$s2" --run="$s3" --filter='^pool/(grow|shrink)/size:2M' \
	--correction=holm >"$T/holm" || bad "--correction=holm"
tr '\n' ' ' <"$T/holm" | grep -Eq 'Corrected as one family \(Holm\): the [0-9]+ tested cells of this table.s [0-9]+ \([0-9]+ benchmarks x 2 columns against A\); [0-9]+ significant at 0\.05\. $' &&
	ok "holm: the family in the last line" || bad "holm footer: $(tail -2 "$T/holm")"
expect2 "bad correction" "$H" compare --run=1 --run=2 --run=3 --correction=bonferroni

# Bad input: one line, exit 2, the store as it was.
sum0=$(sha256sum "$HVOBENCH_DB")
expect2 "unknown kernel" "$H" compare --kernel=no-such-kernel --kernel="$ka"
expect2 "one set" "$H" compare --kernel="$ka"
expect2 "two selectors repeated" "$H" compare --kernel=a --kernel=b --host=c --host=d
expect2 "files and selectors" "$H" compare --kernel=a --kernel=b x.json
expect2 "bad run id" "$H" compare --run=1 --run=x
expect2 "missing run" "$H" compare --run=1 --run=999999
expect2 "bad format" "$H" compare --run=1 --run=2 --format=xml
head -c 4096 /dev/urandom >"$T/garbage.db"
expect2 "garbage store" env HVOBENCH_DB="$T/garbage.db" "$H" compare --kernel=a --kernel=b
[ "$(sha256sum "$HVOBENCH_DB")" = "$sum0" ] && ok "store unchanged by bad input" ||
	bad "bad input changed the store"
exit $fail
