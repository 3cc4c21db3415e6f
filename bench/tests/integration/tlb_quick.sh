#!/usr/bin/env bash
# tlb family, quick suite, as root: every instance runs or says why not,
# pages counted equal pages asked, the pmd regime runs before the 4k one,
# and the hugetlb state is as we found it.  The 4k regime splits vmemmap
# PMDs until reboot (no sysctl changes): that is expected.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"
tmp=$TMP

# The pmd regime must come first in the run order (the 4k one splits).
order=$("$HVOBENCH" list --instances --suite=quick --filter='^tlb/' |
	awk -F/ '{print $3}' | uniq | tr '\n' ' ')
if [[ $order != "vmemmap:pmd vmemmap:4k " ]]; then
	echo "FAIL: run order of regimes is '$order'"
	FAILED=1
fi

t0=$SECONDS
"$HVOBENCH" run --suite=quick --filter='^tlb/' --out="$tmp/r.json" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
echo "run took $((SECONDS - t0)) s"
if [[ $rc != 0 ]]; then
	echo "FAIL: hvobench run exited $rc"
	FAILED=1
fi
n=$("$HVOBENCH" list --instances --suite=quick --filter='^tlb/' | grep -c .)

python3 - "$tmp/r.json" "$n" <<'PY' || fail "result JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
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
seen4k = False
for b in rows:
    n, h = b["name"], b["hvobench"]
    pages = 65536 if h["params"]["pages"] == "64K" else int(h["params"]["pages"])
    if h["items"] != b["iterations"] * pages:
        bad.append(f"{n}: {h['items']} pages counted, asked "
                   f"{b['iterations']} x {pages}")
    if not b.get("ns_per_page", 0) > 0:
        bad.append(f"{n}: ns_per_page {b.get('ns_per_page')}")
    if not 0 <= b.get("phys_seq_frac", -1) <= 1:
        bad.append(f"{n}: phys_seq_frac {b.get('phys_seq_frac')}")
    if not 0 < b.get("vmemmap_pmds", 0) <= b.get("vmemmap_4k_pages", 0):
        bad.append(f"{n}: vmemmap span {b.get('vmemmap_pmds')} PMDs, "
                   f"{b.get('vmemmap_4k_pages')} pages")
    k4 = h["params"]["vmemmap"] == "4k"
    if k4:
        seen4k = True
        if not 0 <= b.get("buf_in_split_frac", -1) <= 1:
            bad.append(f"{n}: buf_in_split_frac {b.get('buf_in_split_frac')}")
        if "vmemmap=4k" not in b.get("label", ""):
            bad.append(f"{n}: label {b.get('label')!r}")
    else:
        if seen4k:
            bad.append(f"{n}: a pmd row after a 4k row")
        if "split_before=" not in b.get("label", ""):
            bad.append(f"{n}: pmd row does not say whether a split "
                       f"happened before: {b.get('label')!r}")
    t = h.get("tlb", {})
    if b.get("virtualized") == 1 and "no vmemmap timing effect" not in t.get("note", ""):
        bad.append(f"{n}: virtualized but no note")
if not rows:
    bad.append("no row ran")
for x in bad:
    print("FAIL:", x)
print(f"ok: {len(rows)} rows, {len(skips)} skipped")
sys.exit(1 if bad else 0)
PY
