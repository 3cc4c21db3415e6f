#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pool benchmarks on the real kernel: 2M grow/shrink/step run with HVO off
# and on (and one NUMA node's pool), report what they measured (vmemmap
# saved, per-page histograms), and leave every hugetlb value as found.  hvobench pool sets a pool for
# a command and puts it back.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

out=$TMP/out.json
if ! "$HVOBENCH" run --filter='^pool/(grow|shrink)/size:2M/pages:64/|^pool/step/size:2M/' \
	--min-time=0.01 --repetitions=1 --out="$out" >"$TMP/log" 2>&1; then
	fail "hvobench run exited non-zero"
	cat "$TMP/log"
fi
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "journal left after a clean run"
grep -q '^nr_memmap_pages' /proc/vmstat && memmap=1 || memmap=0
python3 - "$out" "$memmap" <<'PY' || fail "result JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
memmap = sys.argv[2] == "1"
rows = {b["name"]: b for b in d["benchmarks"] if b.get("run_type") == "iteration"}
skipped = {s["name"]: s["reason"] for s in d.get("hvobench_skipped", [])}
bad = 0
for op in ("grow/size:2M/pages:64", "shrink/size:2M/pages:64",
           "step/size:2M/pages:64"):
    for hvo in ("off", "on"):
        name = "pool/%s/hvo:%s" % (op, hvo)
        if name in skipped:
            if hvo == "on" and "hugetlb_optimize_vmemmap" in skipped[name]:
                continue
            print("skipped:", name, skipped[name]); bad += 1; continue
        b = rows.get(name)
        if not b:
            print("missing row", name); bad += 1; continue
        if not b["real_time"] > 0 or not b.get("items_per_second", 0) > 0:
            print("no time or rate", name); bad += 1
        if "regime=" not in b.get("label", ""):
            print("no regime label", name); bad += 1
        want = 7 if hvo == "on" else 0
        if memmap and b.get("vmemmap_saved_per_page") != want:
            print(name, "vmemmap_saved_per_page",
                  b.get("vmemmap_saved_per_page"), "want", want); bad += 1
        if op.startswith("step"):
            h = b["hvobench"].get("hist", {})
            for k in ("alloc", "free"):
                if h.get(k, {}).get("count") != 2 * 64:
                    print(name, "hist", k, h.get(k)); bad += 1
                elif not 0 < h[k]["p50"] <= h[k]["p99"] <= h[k]["max"]:
                    print(name, "bad percentiles", h[k]); bad += 1
sys.exit(1 if bad else 0)
PY

# A node's pool (full suite): node 0 runs and saves 7 per 2M page with
# HVO on; an absent node skips with the reason; all is put back.
N0=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
if [ -w $N0 ]; then
	n0=$(cat $N0)
	"$HVOBENCH" run --suite=full --filter='^pool/grow/size:2M/pages:512/node:' \
		--min-time=0.01 --repetitions=1 --out="$TMP/node.json" >"$TMP/log" 2>&1 ||
		{ fail "node run exited non-zero"; cat "$TMP/log"; }
	python3 - "$TMP/node.json" "$memmap" <<'PY' || fail "node rows"
import json, os, sys
d = json.load(open(sys.argv[1]))
rows = {b["name"]: b for b in d["benchmarks"] if b.get("run_type") == "iteration"}
skip = {s["name"]: s["reason"] for s in d.get("hvobench_skipped", [])}
bad = 0
for hvo, want in (("off", 0), ("on", 7)):
    b = rows.get("pool/grow/size:2M/pages:512/node:0/hvo:" + hvo)
    if not b or not b["real_time"] > 0:
        print("node 0 row missing", hvo); bad += 1
    elif sys.argv[2] == "1" and b.get("vmemmap_saved_per_page") != want:
        print("node 0", hvo, b.get("vmemmap_saved_per_page")); bad += 1
    r = skip.get("pool/grow/size:2M/pages:512/node:1/hvo:" + hvo)
    if not os.path.exists("/sys/devices/system/node/node1") and \
            (not r or "no NUMA node 1" not in r):
        print("node 1 not skipped with the reason:", r); bad += 1
sys.exit(1 if bad else 0)
PY
	[ "$(cat $N0)" = "$n0" ] || fail "node 0 pool not put back"
fi

# hvobench pool: the pool exists while the command runs, then is gone.
if ! "$HVOBENCH" pool --size=2M --pages=16 --hvo=off -- \
	sh -c "test \$(cat $P2M/nr_hugepages) -ge 16" 2>"$TMP/err"; then
	fail "hvobench pool: command did not see the pool"
	cat "$TMP/err"
fi
