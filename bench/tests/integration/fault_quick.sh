#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The fault family on the real kernel, quick suite: every instance runs
# (1G may skip with its reason), the kernel's fault count matches the
# pages touched, histograms hold one entry per fault, the scaling
# benchmark samples steadily; the page-faults software counter agrees
# when the counters extension is built in; non-root skips; every hugetlb
# value is as found afterwards.
set -u
HVOBENCH=${HVOBENCH:?HVOBENCH must point at the hvobench binary}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (changes hugetlb sysctls)"
	exit 77
fi
P2M=/sys/kernel/mm/hugepages/hugepages-2048kB
if [ ! -w $P2M/nr_hugepages ]; then
	echo "SKIP: no writable 2M hugetlb pool"
	exit 77
fi
TMP=$(mktemp -d /tmp/hvobench-it.XXXXXX)
chmod 755 "$TMP"
# A private state dir (journal, lock) and results dir for this test.
export HVOBENCH_STATE_DIR=$TMP/state HVOBENCH_RESULTS=$TMP/results
# Keep hvobench runs that use the default state dir off the machine
# while this test changes kernel state (they are refused, not mixed in).
mkdir -p /var/lib/hvobench
exec 9<>/var/lib/hvobench/lock
if ! flock -w 900 9; then
	echo "FAIL: /var/lib/hvobench/lock stayed busy"
	exit 1
fi
echo $$ >/var/lib/hvobench/lock
FAILED=0

# Every value a run may change; the test ends with all of them as found.
snap() {
	local f
	for f in /proc/sys/vm/nr_hugepages /proc/sys/vm/nr_overcommit_hugepages \
		/proc/sys/vm/hugetlb_optimize_vmemmap \
		/sys/kernel/mm/hugepages/hugepages-*/nr_hugepages \
		/sys/kernel/mm/hugepages/hugepages-*/nr_overcommit_hugepages \
		/sys/kernel/mm/transparent_hugepage/enabled; do
		[ -r "$f" ] && echo "$f=$(cat "$f")"
	done
}
BEFORE=$(snap)

fail() {
	echo "FAIL: $*"
	FAILED=1
}

# Freeing huge pages can finish in a kworker: allow 10 s to settle.
settled() {
	local i
	for i in $(seq 100); do
		[ "$(snap)" = "$BEFORE" ] && return 0
		sleep 0.1
	done
	return 1
}

finish() {
	if ! settled; then
		fail "kernel state differs from the start of the test:"
		diff <(echo "$BEFORE") <(snap)
		"$HVOBENCH" restore >/dev/null 2>&1
	fi
	rm -rf "$TMP"
	[ $FAILED = 0 ] && echo PASS
	exit $FAILED
}
trap finish EXIT

# Non-root: every instance is skipped with a reason, nothing is written.
# $1: filter.
nonroot_check() {
	local nr=$TMP/nonroot out=$TMP/nonroot/out.json
	mkdir -p "$nr" && chmod 777 "$nr"
	if ! command -v setpriv >/dev/null; then
		echo "note: no setpriv, non-root check not run"
		return
	fi
	if ! setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env HVOBENCH_STATE_DIR=$nr/state HVOBENCH_RESULTS=$nr/results \
		"$HVOBENCH" run --suite=quick --filter="$1" --min-time=0.01 \
		--out="$out" >"$TMP/nonroot.log" 2>&1; then
		fail "non-root run exited non-zero"
		cat "$TMP/nonroot.log"
		return
	fi
	python3 - "$out" <<'PY' || fail "non-root: not every instance skipped with a reason"
import json, sys
d = json.load(open(sys.argv[1]))
rows = [b for b in d["benchmarks"]]
sk = d.get("hvobench_skipped", [])
bad = [b["name"] for b in rows] + [s["name"] for s in sk
                                   if s.get("error") or not s["reason"]]
print("non-root: %d skipped, e.g. %s" % (len(sk), sk[0]["reason"] if sk else "-"))
sys.exit(1 if bad or not sk else 0)
PY
	[ "$(snap)" = "$BEFORE" ] || fail "non-root run changed kernel state"
}

out=$TMP/out.json
"$HVOBENCH" list --suite=quick --filter='^fault/' >"$TMP/names" ||
	fail "hvobench list"
[ "$(grep -c . "$TMP/names")" -ge 40 ] || fail "too few fault instances listed"
if ! "$HVOBENCH" run --suite=quick --filter='^fault/' --min-time=0.02 \
	--repetitions=1 --out="$out" >"$TMP/log" 2>&1; then
	fail "hvobench run exited non-zero"
	cat "$TMP/log"
fi
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "journal left after a clean run"
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
