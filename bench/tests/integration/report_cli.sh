#!/bin/bash
# hvobench compare/report end to end: bad input (exit 2, one line, no
# crash), golden text for fixed fixtures, 72 columns, JSON/Markdown,
# Google Benchmark's sample files, directories of runs, and the report
# folder with rendered plots.  Reads files only: no kernel state.
set -u
H=${HVOBENCH:?HVOBENCH not set}
D=${HVOBENCH_SRC:?HVOBENCH_SRC not set}/bench/tests/data/report
. "$(dirname "$0")/../lib/cli_expect.sh"

cd "$D" || exit 1
for f in empty truncated wrong-schema not-object nan inf infinity bad-row \
	bad-unit; do
	expect2 "$f.json as A" "$H" compare "$f.json" pool-a.json
	expect2 "$f.json as B" "$H" compare pool-a.json "$f.json"
	expect2 "$f.json in report" "$H" report "$f.json" pool-a.json \
		--out="$T/never"
done
expect2 "missing file" "$H" compare does-not-exist.json pool-a.json
expect2 "no common benchmarks" "$H" compare disjoint.json pool-a.json
expect2 "unknown option" "$H" compare pool-a.json pool-b.json --bogus
expect2 "option without value" "$H" compare pool-a.json pool-b.json --by
expect2 "bad --alpha" "$H" compare pool-a.json pool-b.json --alpha=nan
expect2 "bad --format" "$H" compare pool-a.json pool-b.json --format=xml
expect2 "bad --filter" "$H" compare pool-a.json pool-b.json --filter='('
expect2 "no metric matches" "$H" compare pool-a.json pool-b.json --metric=x
expect2 "filter matches nothing" "$H" compare pool-a.json pool-b.json \
	--filter=nothing
expect2 "one set without --by" "$H" compare pool-a.json
expect2 "--by with one value" "$H" compare pool-a.json --by=size
expect2 "--by unknown param" "$H" compare pool-a.json --by=nope
expect2 "--by same values" "$H" compare pool-a.json --by=hvo:on,on
expect2 "--by bad syntax" "$H" compare pool-a.json --by=hvo:on
expect2 "empty directory" "$H" compare "$T" pool-a.json
[ -e "$T/never" ] && bad "report wrote a folder for bad input"

# Golden text: stable layout for fixed input.
for g in "ab:pool-a.json pool-b.json" "by:pool-a.json --by=hvo"; do
	name=${g%%:*}
	# shellcheck disable=SC2086
	"$H" compare ${g#*:} --no-color >"$T/$name.txt" 2>"$T/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		bad "golden $name: rc=$rc $(cat "$T/err")"
	elif diff -u "golden-$name.txt" "$T/$name.txt"; then
		ok "golden $name matches"
	else
		bad "golden $name differs (diff above)"
	fi
	long=$(awk 'length > 72' "$T/$name.txt" | wc -l)
	[ "$long" -eq 0 ] && ok "$name: <= 72 columns" ||
		bad "$name: $long lines over 72 columns"
	grep -q $'\033' "$T/$name.txt" && bad "$name: colour in a pipe"
done
grep -q 'env.kernel.release: 6.18.0-a -> 6.18.0-b' "$T/ab.txt" &&
	ok "env diff names the kernel" || bad "env diff lacks the kernel"
grep -q 'hvo:off   B: hvo:on' "$T/by.txt" && ok "--by orders off, on" ||
	bad "--by order"

# Explicit order swaps the sides.
"$H" compare pool-a.json --by=hvo:on,off --no-color >"$T/rev.txt" &&
	grep -q 'A: hvo:on   B: hvo:off' "$T/rev.txt" &&
	grep -q 'better' "$T/rev.txt" && ok "--by=hvo:on,off" ||
	bad "--by=hvo:on,off"

# JSON and Markdown.
"$H" compare pool-a.json pool-b.json --format=json >"$T/r.json" &&
	python3 - "$T/r.json" <<'PY' && ok "json output" || bad "json output"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["hvobench_report"] == 1
c = [x for x in r["comparisons"]
     if x["benchmark"] == "pool/grow/size:2M/pages:64/hvo:on"
     and x["metric"] == "real_time"][0]
# One run a side: between-run variance unknown, never significant.
assert c["n_a"] == 6 and c["n_b"] == 6 and not c["significant"]
assert c["test"] == "none" and c["left_out"].startswith("one run"), c
assert c["ci_low"] < c["estimate"] < c["ci_high"]
assert not r["finding"]["tested"] and r["finding"]["rows"]
assert r["only_a"] == ["only/in-a"] and r["only_b"] == ["only/in-b"]
assert any(e["key"] == "env.kernel.release" for e in r["environment"])
l = [x for x in r["labels"]
     if x["benchmark"] == "pool/grow/size:2M/pages:64/hvo:on"][0]
assert l["b"] == [{"label": "regime=split", "rows": 6}], l
PY
"$H" compare pool-a.json pool-b.json --format=markdown >"$T/r.md" &&
	grep -q '^| benchmark | metric |' "$T/r.md" && ok "markdown table" ||
	bad "markdown"

# HVO regimes: A first-split vs B split is not like for like; one side
# pooling two regimes is said too; hvo-off vs split (--by=hvo) is not.
python3 - pool-a.json "$T" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
on = [b for b in d["benchmarks"] if b["name"].endswith("hvo:on")]
for b in on:
    b["label"] = "regime=first-split done=nr_hugepages+memmap"
json.dump(d, open(sys.argv[2] + "/first.json", "w"))
on[0]["label"] = "regime=split done=nr_hugepages+memmap"
json.dump(d, open(sys.argv[2] + "/mixed.json", "w"))
PY
"$H" compare "$T/first.json" pool-b.json --no-color >"$T/reg.txt" 2>&1
tr -s ' \n' ' ' <"$T/reg.txt" | grep -q 'ran in different HVO regimes in A and B (e.g. pool/grow/size:2M/pages:64/hvo:on: A first-split, B split)' &&
	ok "regime mismatch warned" || { bad "regime mismatch"; cat "$T/reg.txt"; }
"$H" compare "$T/mixed.json" pool-b.json --no-color >"$T/reg.txt" 2>&1
tr -s ' \n' ' ' <"$T/reg.txt" | grep -q 'pool rows of more than one HVO regime on one side (e.g. pool/grow/size:2M/pages:64/hvo:on: A split,first-split, B split)' &&
	ok "regimes pooled warned" || { bad "regimes pooled"; cat "$T/reg.txt"; }
"$H" compare pool-a.json pool-b.json --no-color | grep -q 'HVO regime' &&
	bad "regime warning for like-for-like runs"
"$H" compare pool-a.json --by=hvo --no-color | grep -q 'HVO regime' &&
	bad "regime warning for --by=hvo (off vs on is the point)"

# --metric and --filter narrow the report.
n=$("$H" compare pool-a.json pool-b.json --format=json \
	--metric='real_time,lat:.*' --filter='^pool/' |
	python3 -c 'import json,sys; r=json.load(sys.stdin)
print(sorted({c["metric"] for c in r["comparisons"]}),
      sorted({c["benchmark"][:5] for c in r["comparisons"]}))')
[ "$n" = "['lat:alloc:p50', 'lat:alloc:p99', 'real_time'] ['pool/']" ] &&
	ok "--metric/--filter" || bad "--metric/--filter: $n"

# Directories: several runs pool their repetitions.
mkdir -p "$T/runs/r1/x" "$T/runs/r2"
cp pool-a.json "$T/runs/r1/x/a.json"
cp pool-a.json "$T/runs/r2/a.json"
echo '{"not": "a result"}' >"$T/runs/r2/notes.json"
ln -s "$T/runs" "$T/runs/r2/loop" # a linked directory is not followed
"$H" compare "$T/runs" pool-b.json --format=json --metric=real_time |
	python3 -c 'import json,sys; r=json.load(sys.stdin)
assert len(r["a"]["runs"]) == 2, r["a"]["runs"]
assert all(c["n_a"] == 12 for c in r["comparisons"])' &&
	ok "directory of runs" || bad "directory of runs"

# Google Benchmark's own JSON (Debian libbenchmark-tools samples).
G=/usr/share/benchmark/gbench/Inputs
if [ -d "$G" ]; then
	"$H" compare "$G/test1_run1.json" "$G/test1_run2.json" >"$T/g1" &&
		grep -q '^BM_2xSlower' "$T/g1" && grep -q 'x100' "$T/g1" &&
		ok "gbench test1" || bad "gbench test1: $(head -3 "$T/g1")"
	"$H" compare "$G/test3_run0.json" "$G/test3_run1.json" >"$T/g3" &&
		ok "gbench test3 (repetitions)" || bad "gbench test3"
	expect2 "gbench aggregates only" "$H" compare "$G/test4_run.json" \
		"$G/test1_run1.json"
else
	echo "note: $G missing (libbenchmark-tools); gbench part skipped"
fi

# The report folder: text, Markdown, JSON and images.
out=$("$H" report pool-a.json pool-b.json --out="$T/rep" 2>"$T/err")
[ "$out" = "$T/rep" ] && ok "report prints its folder" ||
	bad "report printed '$out' ($(cat "$T/err"))"
for f in report.txt report.md report.json dist-1.png dist-1.svg \
	cdf-1.png cdf-1.svg scaling-1.png scaling-1.svg dist-1.dat plots.sh; do
	[ -s "$T/rep/$f" ] && ok "report has $f" || bad "report lacks $f"
done
head -c 8 "$T/rep/dist-1.png" | od -An -c | grep -q 'P   N   G' &&
	ok "dist-1.png is a PNG" || bad "dist-1.png is not a PNG"
grep -q '<svg' "$T/rep/cdf-1.svg" && ok "cdf-1.svg is SVG" || bad "svg"
# report.txt is the compare text plus the list of plots.
awk '/^Plots \(/{skip=1} skip && /^$/{skip=0; next} !skip' \
	"$T/rep/report.txt" | diff -q golden-ab.txt - >/dev/null &&
	ok "report.txt = compare text" || bad "report.txt differs from golden"
for p in dist-1 cdf-1 scaling-1; do
	grep -q "^  $p: " "$T/rep/report.txt" && grep -q "($p.png)" \
		"$T/rep/report.md" && ok "$p listed and linked" ||
		bad "$p not listed in report.txt or linked in report.md"
done
grep -q 'cdf-1: pool/grow/size:2M/pages:64/hvo:off: alloc latency' \
	"$T/rep/report.txt" && ok "cdf-1 names its benchmark" ||
	bad "cdf-1 title"
(cd "$T" && "$H" report "$D/pool-a.json" --by=hvo >"$T/p" 2>"$T/err") &&
	p=$(cat "$T/p") && [ -s "$T/$p/report.txt" ] &&
	case $p in results/reports/*) true ;; *) false ;; esac &&
	ok "default folder $p" || bad "default folder: $(cat "$T/err")"

# The finding comes first, the method last.
[ "$(grep -n '^Finding' "$T/by.txt" | cut -d: -f1)" -lt \
	"$(grep -n '^Details' "$T/by.txt" | cut -d: -f1)" ] &&
	tail -n 12 "$T/by.txt" | grep -q '^Method' &&
	ok "finding first, method last" || bad "section order"

# The primary verdict does not depend on the metrics displayed.
for m in real_time cpu_time 'lat:.*' '.*'; do
	"$H" compare pool-a.json --by=hvo --format=json --metric="$m" |
		python3 -c 'import json,sys; r=json.load(sys.stdin)
print(sorted((c["benchmark"], c["q"], c["significant"])
             for c in r["finding"]["rows"]),
      [f for f in r["families"] if f["primary"]])'
done >"$T/verdicts"
[ "$(sort -u "$T/verdicts" | wc -l)" -eq 1 ] &&
	grep -q "'significant': 3" "$T/verdicts" &&
	ok "same primary verdict for every --metric" ||
	{ bad "primary verdict depends on --metric"; cat "$T/verdicts"; }

# --fail-on=regression[:PCT]: 1 on a significant regression, 0 on A/A.
"$H" compare pool-a.json --by=hvo --fail-on=regression >/dev/null 2>&1
[ $? -eq 1 ] && ok "--fail-on: HVO on is slower -> 1" || bad "--fail-on 1"
"$H" compare pool-a.json --by=hvo --fail-on=regression:50% >/dev/null 2>&1
[ $? -eq 0 ] && ok "--fail-on: below the threshold -> 0" ||
	bad "--fail-on threshold"
python3 - pool-a.json "$T" <<'PY'
import json, random, sys, os
# A/A: 3 runs a side of the same "kernel", each run its own small offset.
d = json.load(open(sys.argv[1]))
random.seed(7)
for side in "ab":
    for k in range(3):
        off = random.gauss(1, 0.01)
        for b in d["benchmarks"]:
            if b.get("run_type") == "iteration":
                b["real_time"] = b["real_time"] * off
        os.makedirs(f"{sys.argv[2]}/aa/{side}/{k}", exist_ok=True)
        json.dump(d, open(f"{sys.argv[2]}/aa/{side}/{k}/r.json", "w"))
PY
"$H" compare "$T/aa/a" "$T/aa/b" --fail-on=regression >"$T/aa.txt" 2>&1
[ $? -eq 0 ] && grep -q 'runs 3/3: per-run medians' "$T/aa.txt" &&
	ok "--fail-on: A/A with 3 runs a side -> 0" ||
	{ bad "--fail-on A/A"; head -30 "$T/aa.txt"; }
expect2 "bad --fail-on" "$H" compare pool-a.json --by=hvo --fail-on=worse

# Control characters in names and paths are escaped in every format;
# extreme values keep every text line within 72 columns.
python3 - pool-a.json "$T" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    if b["name"].startswith("pool/"):
        b["name"] = b["name"].replace("pool/", "po\u001b[31mol\n/")
        b.pop("hvobench", None)
json.dump(d, open(sys.argv[2] + "/esc.json", "w"))
for b in d["benchmarks"]:
    if b.get("run_type") == "iteration" and "fault/" in b["name"]:
        b["real_time"] = 1.7e308 if b["name"].endswith("on") else 5e-324
        b["time_unit"] = "ns"
json.dump(d, open(sys.argv[2] + "/huge.json", "w"))
d["benchmarks"][0]["real_time"] = -1
json.dump(d, open(sys.argv[2] + "/neg.json", "w"))
PY
for fmt in text markdown json; do
	"$H" compare "$T/esc.json" --by=hvo --format=$fmt >"$T/out-esc.$fmt"
	if grep -q $'\033' "$T/out-esc.$fmt"; then
		bad "$fmt: raw escape character in the output"
	elif [ $fmt != json ] && ! grep -q 'po\\x1b\[31mol\\x0a' "$T/out-esc.$fmt"; then
		bad "$fmt: escaped name not found"
	else
		ok "$fmt: control characters escaped"
	fi
done
"$H" compare "$T/huge.json" --by=hvo --no-color >"$T/huge.txt" &&
	[ "$(awk 'length > 72' "$T/huge.txt" | wc -l)" -eq 0 ] &&
	ok "1.7e308 and 5e-324: <= 72 columns" ||
	{ bad "extreme values"; awk 'length > 72' "$T/huge.txt" | head -3; }
expect2 "negative time" "$H" compare "$T/neg.json" pool-a.json

# Simulated counters (tlbsim, "sim:...") are labelled as such; measured
# ones are not.
for side in a b; do
	python3 - pool-$side.json "$T/sim-$side.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i, b in enumerate(d["benchmarks"]):
    b.setdefault("hvobench", {}).setdefault("counters", {})[
        "sim:glc:4k:walks"] = {"per_iter": 10.0 + i % 3}
json.dump(d, open(sys.argv[2], "w"))
PY
done
"$H" compare "$T/sim-a.json" "$T/sim-b.json" --no-color >"$T/sim.txt" 2>&1 &&
	grep -q 'are SIMULATED, not measured' "$T/sim.txt" &&
	ok "sim: metrics labelled as simulated" ||
	bad "sim: metrics not labelled as simulated"
"$H" compare pool-a.json pool-b.json --no-color 2>&1 | grep -q SIMULATED &&
	bad "measured metrics labelled as simulated" ||
	ok "measured metrics not labelled as simulated"

# A directory compare skips empty files and files without benchmarks.
mkdir -p "$T/withempty"
cp pool-a.json "$T/withempty/a.json"
: >"$T/withempty/empty.json"
"$H" compare "$T/withempty" pool-b.json >/dev/null &&
	ok "directory with an empty file" || bad "directory with an empty file"

exit $fail
