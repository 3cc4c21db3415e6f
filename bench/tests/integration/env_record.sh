#!/usr/bin/env bash
# The environment record: `hvobench env` prints it (every section), it is
# read-only (kernel state identical before and after), every result
# carries it in context.hvobench.env, and rows carry vmstat deltas.
set -u
d=$(mktemp -d)
export HVOBENCH_RESULTS=$d/results HVOBENCH_STATE_DIR=$d/state
trap 'rm -rf "$d"' EXIT
fail=0

state() {
	cat /proc/sys/vm/nr_hugepages /proc/sys/vm/nr_overcommit_hugepages \
		/proc/sys/vm/hugetlb_optimize_vmemmap \
		/sys/kernel/mm/hugepages/*/nr_hugepages \
		/sys/kernel/mm/transparent_hugepage/enabled \
		/sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null
	grep -E ' (tracefs|debugfs) ' /proc/mounts | sort
}

# Read-only: the state is the same before and after.  Other users of the
# machine may change it meanwhile, so a difference counts only if it
# shows in each of three tries.
same=0
for try in 1 2 3; do
	before=$(state)
	"$HVOBENCH" env >"$d/env.json" 2>"$d/env.err" ||
		{ echo "FAIL: hvobench env exit $?: $(cat "$d/env.err")"; fail=1; }
	after=$(state)
	if [[ $before == "$after" ]]; then
		same=1
		break
	fi
	diff <(echo "$before") <(echo "$after")
	sleep 1
done
[[ $same == 1 ]] || { echo "FAIL: hvobench env changed kernel state"; fail=1; }
# Stronger where strace exists: no writable open of /proc or /sys, no mount.
if command -v strace >/dev/null; then
	strace -f -qq -e trace=openat,open,mount,umount2 -o "$d/strace" \
		"$HVOBENCH" env >/dev/null 2>&1
	if grep -E '"/(proc|sys)/[^"]*", [^)]*O_(WRONLY|RDWR)|mount\(' \
		"$d/strace" | grep -v ENOENT; then
		echo "FAIL: hvobench env opened kernel state for writing"
		fail=1
	fi
fi

/usr/bin/python3 - "$d/env.json" <<'PY' || fail=1
import json, sys
e = json.load(open(sys.argv[1]))
need = {
    "suite": ["version", "build_type"],
    "kernel": ["release", "version", "cmdline", "aslr"],
    "kconfig": ["source", "options"],
    "hugetlb": ["hugetlb_optimize_vmemmap", "nr_overcommit_hugepages",
                "pools", "meminfo"],
    "thp": ["enabled", "defrag"],
    "perf": ["perf_event_paranoid", "hardware_pmu"],
    "cpu": ["model_name", "cpufreq", "online"],
    "virtualization": ["virtualized", "note"],
    "clock": ["clocksource", "resolution_ns", "timer_overhead_ns"],
}
bad = [f"{s}.{k}" for s, ks in need.items() for k in ks
       if s not in e or k not in e[s]]
assert not bad, "missing: %s" % bad
for p in e["hugetlb"]["pools"]:
    for k in ("nr_hugepages", "free_hugepages", "resv_hugepages",
              "surplus_hugepages", "nr_overcommit_hugepages", "nodes"):
        assert k in p, (p["size_kb"], k)
if e["virtualization"]["virtualized"]:
    assert "bare metal" in e["virtualization"]["note"]
print("ok: env record: kernel %s, kconfig from %s, %d pool sizes, pmu=%s, "
      "virtualized=%s, clocksource=%s" % (
          e["kernel"]["release"], e["kconfig"]["source"],
          len(e["hugetlb"]["pools"]), e["perf"]["hardware_pmu"]["present"],
          e["virtualization"]["virtualized"], e["clock"]["clocksource"]))
PY

"$HVOBENCH" env --bogus >/dev/null 2>"$d/err"
rc=$?
[[ $rc == 2 && $(grep -c '' "$d/err") == 1 ]] ||
	{ echo "FAIL: env --bogus -> rc=$rc: $(cat "$d/err")"; fail=1; }

# Every result carries the record; rows carry their vmstat deltas.
"$HVOBENCH" run --suite=selftest --filter='selftest/touch' \
	--out="$d/run.json" >/dev/null 2>&1 ||
	{ echo "FAIL: hvobench run"; fail=1; }
/usr/bin/python3 - "$d/run.json" "$d/env.json" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
e = json.load(open(sys.argv[2]))
env = r["context"]["hvobench"]["env"]
assert set(env) == set(e), (set(env) ^ set(e))
row = [b for b in r["benchmarks"] if b["run_type"] == "iteration"][0]
vm = row["hvobench"]["vmstat_delta"]
assert all(v != 0 for v in vm.values()), vm
# selftest/touch faults each item once; pgfault is system-wide.
assert vm.get("pgfault", 0) >= 0.99 * row["hvobench"]["items"], vm
print("ok: result carries env; row vmstat_delta", vm)
PY
exit $fail
