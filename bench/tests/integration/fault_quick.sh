#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fault family on the real kernel, quick suite: every instance runs
# (1G may skip with its reason), the kernel's fault count matches the
# pages touched, histograms hold one entry per fault, the scaling
# benchmark samples steadily; the page-faults software counter agrees
# when the counters extension is built in; non-root skips; every hugetlb
# value is as found afterwards.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

out=$TMP/out.json
run_quick_family fault 40 "$out"
python3 - "$out" "$TMP/names" <<'PY' || fail "result JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
names = open(sys.argv[2]).read().split()
rows = {b["name"]: b for b in d["benchmarks"] if b.get("run_type") == "iteration"}
sk = {s["name"]: s for s in d.get("hvobench_skipped", [])}
bad = 0
def no(n, *msg):
    global bad
    print("bad:", n, *msg)
    bad += 1
for n in names:
    if n in sk:
        s = sk[n]
        if s.get("error") or not s["reason"]:
            no(n, "error:", s["reason"])
        elif "size:1G" not in n:
            no(n, "unexpected skip:", s["reason"])
        else:
            print("skipped:", n, s["reason"])
        continue
    b = rows.get(n)
    if not b:
        no(n, "missing row")
        continue
    kind = n.split("/")[1]
    ips = b.get("items_per_second", 0)
    fns = b.get("fault_ns", 0)
    fpp = b.get("faults_per_page", -1)
    if not ips > 0 or not fns > 0:
        no(n, "no rate or fault time", ips, fns)
    # One fault per page touched (COW: plus the parent's own pages).
    hi = 1.5 if kind == "cow" else 1.02
    if not 0.99 <= fpp <= hi:
        no(n, "faults_per_page", fpp)
    # A 4K fault takes ~0.3-50 us here, a 2M one ~20 us-50 ms.
    if "size:4K" in n and not 100 < fns < 1e6:
        no(n, "implausible 4K fault_ns", fns)
    if "size:2M" in n and kind != "refault" and not 5e3 < fns < 1e8:
        no(n, "implausible 2M fault_ns", fns)
    h = b["hvobench"].get("hist", {})
    if kind in ("first-touch", "refault", "cow"):
        c = h.get("fault", {}).get("count")
        if c != b["hvobench"].get("items"):
            no(n, "fault histogram count", c, "items", b["hvobench"].get("items"))
        elif not 0 < h["fault"]["p50"] <= h["fault"]["p99"] <= h["fault"]["max"]:
            no(n, "bad percentiles", h["fault"])
    # Sampled processes: the overall rate lies within its samples.
    if kind == "scale" and "mode:process" in n:
        lo, hi2 = b.get("sample_min_per_s", 0), b.get("sample_max_per_s", 0)
        if not (0 < lo <= ips * 1.0001 and ips <= hi2 * 1.0001):
            no(n, "rate outside its samples", lo, ips, hi2)
    # Harness threads: one row per thread count, threads as asked.
    if kind == "scale" and "mode:thread" in n:
        want = int(b["hvobench"]["params"]["threads"])
        if b.get("threads") != want:
            no(n, "threads", b.get("threads"), "want", want)
print("%d rows, %d skipped" % (len(rows), len(sk)))
sys.exit(1 if bad else 0)
PY

# The page-faults software counter sees one fault per page touched.
if "$HVOBENCH" run --help 2>&1 | grep -q -- '--counters'; then
	cout=$TMP/counters.json
	if ! "$HVOBENCH" run --suite=quick --min-time=0.02 --repetitions=1 \
		--filter='^fault/first-touch/size:(4K|2M)/map:private/access:write/hvo:off' \
		--counters=page-faults --out="$cout" >"$TMP/clog" 2>&1; then
		fail "run with --counters=page-faults"
		cat "$TMP/clog"
	fi
	python3 - "$cout" <<'PY' || fail "page-faults counter check"
import json, sys
d = json.load(open(sys.argv[1]))
bad = 0
rows = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
for b in rows:
    c = b["hvobench"].get("counters", {}).get("page-faults")
    if not c:
        print("no page-faults counter in", b["name"]); bad += 1; continue
    items = b["hvobench"]["items"]
    if not 0.99 * items <= c["value"] <= 1.02 * items + 16:
        print(b["name"], "page-faults", c["value"], "for", items, "pages"); bad += 1
    else:
        print(b["name"], "page-faults", c["value"], "pages", items)
sys.exit(1 if bad or len(rows) != 2 else 0)
PY
fi

nonroot_check '^fault/first-touch/size:2M/map:private'
