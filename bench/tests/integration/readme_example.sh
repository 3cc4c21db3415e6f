#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's example benchmark, built as it stands into a program of its
# own ($README_EXAMPLE, see bench/tests/CMakeLists.txt), does the right
# thing when copied: its hvo:on rows ran with HVO on and its hvo:off rows
# with HVO off (as observed by the harness), each off/on pair alternates
# round by round, and the machine is left as found.  Negative control
# (run by this test each time): the same check on a copy of the result
# whose hvo:on rows say HVO was off must fail.  The harness's own check
# (a row whose axis changed under it is an error) is unit/harness_axes.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"
EX=${README_EXAMPLE:?README_EXAMPLE must point at the example program}
if [ ! -e /proc/sys/vm/hugetlb_optimize_vmemmap ]; then
	echo "SKIP: kernel has no vm.hugetlb_optimize_vmemmap"
	exit 77
fi

check() { # json: 0 if every hvo row ran as labelled and pairs alternate
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
bad = 0
for b in rows:
    h = b["hvobench"]
    if h["axes"].get("hvo") != h["axes_observed"].get("hvo"):
        print("ran as", h["axes_observed"], "labelled", b["name"]); bad += 1
for s in d["hvobench_skipped"]:
    print("skipped/failed:", s["name"], s["reason"]); bad += 1
sets = {}
for b in rows:
    sets.setdefault(b["hvobench"]["group"], []).append(b)
for g, rs in sets.items():
    rs.sort(key=lambda b: b["hvobench"]["block"])
    seq = [b["hvobench"]["axes"]["hvo"] for b in rs]
    want = [("off", "on") if r % 2 == 0 else ("on", "off")
            for r in range(len(seq) // 2)]
    want = [v for p in want for v in p]
    if seq != want:
        print("not alternating:", g, seq); bad += 1
on = sum(b["hvobench"]["axes"]["hvo"] == "on" for b in rows)
if not on:
    print("no hvo:on row"); bad += 1
print("rows", len(rows), "hvo:on", on, "bad", bad)
sys.exit(1 if bad else 0)
PY
}

args=(--suite=quick --filter='^example/grow/size:2M/' --min-time=0.001
	--repetitions=3)
"$EX" "${args[@]}" --out="$TMP/ok.json" >"$TMP/ok.log" 2>&1 ||
	{ fail "example run exited non-zero"; cat "$TMP/ok.log"; }
check "$TMP/ok.json" || fail "README example rows did not run as labelled"

# Negative control: the same check on rows whose HVO was changed under
# them must fail (the harness marks them as errors, and check sees it).
python3 - "$TMP/ok.json" "$TMP/broken.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    if b.get("run_type") == "iteration" and b["hvobench"]["axes"].get("hvo") == "on":
        b["hvobench"]["axes_observed"]["hvo"] = "off"
json.dump(d, open(sys.argv[2], "w"))
PY
check "$TMP/broken.json" >/dev/null && fail "check passed rows labelled on that ran off"
