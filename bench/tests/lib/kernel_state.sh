# SPDX-License-Identifier: GPL-2.0
# Sourced by integration tests that change kernel state: skip without
# root or a writable 2M pool; private state and results directories;
# hold the machine's hvobench lock; snapshot every value a run may change
# and, on exit, fail unless all of them are back (restoring if not).
# Gives: $HVOBENCH, $TMP, $P2M, fail(), snap(), $BEFORE, $FAILED,
# nonroot_check(), run_quick_family().
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
# Readable by the unprivileged user some tests switch to.
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
		/sys/kernel/mm/hugepages/hugepages-*/demote_size \
		/sys/kernel/mm/transparent_hugepage/enabled \
		/sys/kernel/mm/transparent_hugepage/defrag; do
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

# Run one family's quick instances once into $3 (names in $TMP/names);
# $2: the fewest instances the family may list.
run_quick_family() {
	"$HVOBENCH" list --instances --suite=quick --filter="^$1/" >"$TMP/names" ||
		fail "hvobench list"
	[ "$(grep -c . "$TMP/names")" -ge "$2" ] ||
		fail "too few $1 instances listed"
	if ! "$HVOBENCH" run --suite=quick --filter="^$1/" --min-time=0.02 \
		--repetitions=1 --out="$3" >"$TMP/log" 2>&1; then
		fail "hvobench run exited non-zero"
		cat "$TMP/log"
	fi
	[ -e "$HVOBENCH_STATE_DIR/journal" ] &&
		fail "journal left after a clean run"
}
