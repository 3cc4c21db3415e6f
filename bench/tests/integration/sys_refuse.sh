#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Refusal of unsafe sizes: a pool beyond MemAvailable minus the safety
# margin is refused with one clear line and exit 2 before anything is
# changed; a benchmark that would need too much is skipped with the
# reason; malformed sizes are exit 2.
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

nr0=$(cat $P2M/nr_hugepages)
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
too_many=$((avail_kb / 2048 + 1000))

# hvobench pool: refused before any change, one line, exit 2.
"$HVOBENCH" pool --size=2M --pages=$((nr0 + too_many)) --hvo=on -- true \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] || fail "unsafe pool: exit $rc, want 2"
[ "$(wc -l <"$TMP/err")" = 1 ] || fail "unsafe pool: want one line, got:"
grep -q 'refusing: .*MemAvailable' "$TMP/err" || fail "unsafe pool: message"
cat "$TMP/err"
[ "$(snap)" = "$BEFORE" ] || fail "unsafe pool: state changed"
[ -e "$HVOBENCH_STATE_DIR/journal" ] && fail "unsafe pool: journal written"

# A safety margin that leaves no room: the benchmark is skipped with the
# reason, nothing is changed, the run itself succeeds.
margin=$((avail_kb / 1024 - 100))M
"$HVOBENCH" run --filter='^pool/grow/size:2M/pages:512/hvo:off' \
	--safety-margin=$margin --out="$TMP/r.json" >"$TMP/out" 2>&1
rc=$?
[ $rc = 0 ] || { fail "margin run: exit $rc"; cat "$TMP/out"; }
python3 - "$TMP/r.json" <<'PY' || fail "margin run: not skipped with the reason"
import json, sys
d = json.load(open(sys.argv[1]))
s = d.get("hvobench_skipped", [])
ok = any(x["name"] == "pool/grow/size:2M/pages:512/hvo:off" and
         "safety margin" in x["reason"] for x in s)
print([x["reason"] for x in s])
sys.exit(0 if ok and not d["benchmarks"] else 1)
PY
[ "$(snap)" = "$BEFORE" ] || fail "margin run: state changed"

# Bad sizes are bad input: one line, exit 2.
for bad in --safety-margin=lots --safety-margin=-1G --safety-margin=; do
	"$HVOBENCH" run --filter='^nothing$' "$bad" --out="$TMP/x.json" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc = 2 ] || fail "$bad: exit $rc, want 2"
	[ "$(wc -l <"$TMP/err")" = 1 ] || { fail "$bad: want one line"; cat "$TMP/err"; }
done
"$HVOBENCH" pool --size=3M --pages=1 -- true 2>"$TMP/err"
[ $? = 2 ] || fail "pool --size=3M: want exit 2"
