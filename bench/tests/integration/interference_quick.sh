#!/usr/bin/env bash
# interference family, quick suite, as root: every instance runs or says
# why not, pages counted equal pages asked, the detector's gaps are
# non-negative and one max-gap sample exists per operation, and the
# hugetlb state is as we found it.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"
tmp=$TMP

t0=$SECONDS
"$HVOBENCH" run --suite=quick --filter='^interference/' \
	--out="$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
echo "run took $((SECONDS - t0)) s"
if [[ $rc != 0 ]]; then
	echo "FAIL: hvobench run exited $rc"
	FAILED=1
fi
n=$("$HVOBENCH" list --instances --suite=quick --filter='^interference/' | grep -c .)
cpus=$(nproc)

python3 - "$tmp/r.json" "$n" "$cpus" <<'PY' || fail "result JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
want, cpus = int(sys.argv[2]), int(sys.argv[3])
rows = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
skips = d.get("hvobench_skipped", [])
bad = []
names = {b["name"] for b in rows} | {s["name"] for s in skips}
if len(names) != want:
    bad.append(f"{len(names)} instances reported, {want} listed")
for s in skips:
    if not s.get("reason"):
        bad.append(f"{s['name']}: skipped without a reason")
    if s.get("error"):
        bad.append(f"{s['name']}: error: {s['reason']}")
    if cpus < 2 and "CPU" not in s.get("reason", ""):
        bad.append(f"{s['name']}: 1 CPU but reason {s['reason']!r}")
for b in rows:
    n, h = b["name"], b["hvobench"]
    pages, it = int(h["params"]["pages"]), b["iterations"]
    if b.get("partial_ops", 0) == 0 and h["items"] != it * pages:
        bad.append(f"{n}: {h['items']} pages counted, asked {it} x {pages}")
    if h["items"] > it * pages:
        bad.append(f"{n}: {h['items']} pages counted > {it} x {pages}")
    for k in ("max_gap_us", "stall_ns_per_page", "stalls_per_op",
              "stall_frac", "idle_max_gap_us", "idle_stall_frac"):
        if not b.get(k, -1) >= 0:
            bad.append(f"{n}: {k} = {b.get(k)}")
    if not 0 < b.get("detector_loop_ns", 0) < 100000:
        bad.append(f"{n}: detector loop {b.get('detector_loop_ns')} ns")
    for k in ("max_gap", "idle_max_gap"):
        hh = h.get("hist", {}).get(k)
        if not hh or hh["count"] != it or hh["min"] < 0:
            bad.append(f"{n}: histogram {k}: {hh and hh['count']} "
                       f"samples for {it} operations")
    if b["real_time"] <= 0:
        bad.append(f"{n}: time {b['real_time']}")
if cpus >= 2 and not rows:
    bad.append("no row ran")
for x in bad:
    print("FAIL:", x)
print(f"ok: {len(rows)} rows, {len(skips)} skipped")
sys.exit(1 if bad else 0)
PY
