#!/usr/bin/env bash
# --counters end to end on the real kernel: presets, unavailable events
# (no PMU in a VM) reported once and never fatal, known fault counts per
# item in user and kernel mode, bad lists refused with exit 2, tracefs
# left mounted or unmounted as found.
set -u
[[ $(id -u) == 0 ]] || { echo "skipped: needs root (tracepoints)"; exit 77; }
d=$(mktemp -d)
export HVOBENCH_RESULTS=$d/results HVOBENCH_STATE_DIR=$d/state
trap 'rm -rf "$d"' EXIT
fail=0
tracefs_before=$(grep -c ' /sys/kernel/tracing tracefs' /proc/mounts)

# Bad lists: one line on stderr, exit 2.
for bad in 'page-faults,,cycles' ''; do
	"$HVOBENCH" run --suite=selftest --filter=selftest/touch \
		--counters="$bad" >/dev/null 2>"$d/err"
	rc=$?
	if [[ $rc != 2 || $(grep -c '' "$d/err") != 1 ]]; then
		echo "FAIL: --counters='$bad' -> rc=$rc: $(cat "$d/err")"
		fail=1
	fi
done

"$HVOBENCH" run --counters=list >"$d/list" 2>&1 ||
	{ echo "FAIL: --counters=list exit $?"; fail=1; }
grep -q -- '--counters=tlb' "$d/list" || { echo "FAIL: list output"; fail=1; }
grep -q 'page-faults .*yes' "$d/list" || { echo "FAIL: list: page-faults"; fail=1; }

# tlb preset: on a PMU-less machine every event is unavailable with its
# reason, said once on stderr (two repetitions), and the run succeeds.
"$HVOBENCH" run --suite=selftest --filter='selftest/touch' --repetitions=2 \
	--counters=tlb --out="$d/tlb.json" >/dev/null 2>"$d/tlb.err" ||
	{ echo "FAIL: --counters=tlb run failed: $(cat "$d/tlb.err")"; fail=1; }
/usr/bin/python3 - "$d/tlb.json" "$d/tlb.err" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
ctx = d["context"]["hvobench"]
pmu = ctx["env"]["perf"]["hardware_pmu"]["present"]
evs = ctx["counters"]["events"]
rows = [b for b in d["benchmarks"] if b["run_type"] == "iteration"]
assert len(rows) == 2, "want 2 repetitions"
assert len(evs) >= 2, evs
for e in evs:
    for r in rows:
        c = r["hvobench"]["counters"][e["name"]]
        if pmu and e["available"]:
            assert c["value"] is not None, (e["name"], c)
            continue
        assert c["value"] is None and c["note"].startswith("unavailable: "), c
        assert len(c["note"]) > len("unavailable: "), c
    if not e["available"]:
        n = err.count("counters: %s unavailable: " % e["name"])
        assert n == 1, "%s said %d times on stderr" % (e["name"], n)
    print("ok: %-40s %s" % (e["name"], "counted" if e["available"] else e["why"]))
for r in rows:
    assert r["real_time"] > 0
PY

# Known counts: selftest/touch = 1 user fault per item, selftest/kfault =
# 1 kernel-mode fault per item; software events count both modes.
"$HVOBENCH" run --suite=selftest --filter='selftest/(touch|kfault)' \
	--counters=hvo,page-faults:u,minor-faults --out="$d/hvo.json" \
	>/dev/null 2>"$d/hvo.err" ||
	{ echo "FAIL: --counters=hvo run: $(cat "$d/hvo.err")"; fail=1; }
/usr/bin/python3 - "$d/hvo.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
rows = {b["name"]: b for b in d["benchmarks"] if b["run_type"] == "iteration"}
def per_item(row, ev):
    c = rows[row]["hvobench"]["counters"][ev]
    assert c["value"] is not None, (row, ev, c["note"])
    assert c["scale"] == 1.0, (row, ev, c)
    return c["per_item"]
def near(row, ev, want):
    v = per_item(row, ev)
    ok = abs(v - want) <= 0.01 * max(want, 1)
    print("%s %s %s per item = %.4f (want %g +-1%%)" %
          ("ok:" if ok else "FAIL:", row, ev, v, want))
    return ok
t, k = "selftest/touch/pages:4096", "selftest/kfault/pages:4096"
good = all([
    near(t, "page-faults", 1), near(t, "exceptions:page_fault_user", 1),
    near(t, "exceptions:page_fault_kernel", 0), near(t, "minor-faults", 1),
    near(t, "page-faults:u", 1),
    near(k, "page-faults", 1), near(k, "exceptions:page_fault_kernel", 1),
    near(k, "exceptions:page_fault_user", 0),
])
note = rows[t]["hvobench"]["counters"]["page-faults:u"]["note"]
assert "modifier ignored" in note, note
# System-wide counters exist and are flagged as such.
c = rows[t]["hvobench"]["counters"]["tlb:tlb_flush@all"]
assert c["system_wide"] and c["value"] is not None, c
# vmstat agrees with the software event (pgfault is system-wide).
vm = rows[t]["hvobench"]["vmstat_delta"]
items = rows[t]["hvobench"]["items"]
assert vm.get("pgfault", 0) >= 0.99 * items, vm
sys.exit(0 if good else 1)
PY

tracefs_after=$(grep -c ' /sys/kernel/tracing tracefs' /proc/mounts)
if [[ $tracefs_before != "$tracefs_after" ]]; then
	echo "FAIL: tracefs mounts $tracefs_before -> $tracefs_after"
	fail=1
fi
exit $fail
