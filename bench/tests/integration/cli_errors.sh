#!/usr/bin/env bash
# Bad input: one clear line on stderr, exit status 2, nothing on stdout.
set -u
fail=0
# Bad command lines must not leave a results directory behind.
export HVOBENCH_RESULTS=$(mktemp -d)
trap 'rm -rf "$HVOBENCH_RESULTS"' EXIT
check() {
	local out err rc
	out=$("$HVOBENCH" "$@" 2>/tmp/hvobench-cli-err.$$)
	rc=$?
	err=$(cat /tmp/hvobench-cli-err.$$)
	local lines
	lines=$(printf '%s' "$err" | grep -c '')
	if [[ $rc != 2 || $lines != 1 || -n $out ]]; then
		echo "FAIL: hvobench $* -> rc=$rc, stderr lines=$lines: $err"
		fail=1
	else
		echo "ok: hvobench $* -> $err"
	fi
}
check
check nosuchcommand
check run --nosuch
check run --repetitions=0
check run --repetitions=abc
check run --repetitions=1.5
check run --min-time=-1
check run --warmup=x
check run --format=xml
check run --filter='('
check run --suite=nosuch
check run --context=novalue
check run --out
check run stray
check list --filter='[a'
check run --cpu=9999
check run --node=99
check run --counters=a,,b
check run --safety-margin=lots
check run --precision=abc
check run --precision=0
check run --precision=3
check run --precision=150%
check run --shuffle=-1
check run --shuffle=x7
check run --budget=0
check run --run-budget=never
check list --instances=yes
rm -f /tmp/hvobench-cli-err.$$
if [[ -n $(ls -A "$HVOBENCH_RESULTS") ]]; then
	echo "FAIL: a bad command line created $(ls -A "$HVOBENCH_RESULTS")"
	fail=1
fi

# Result files carry their schema version; a newer one is refused.
S=$HVOBENCH_RESULTS/schema
mkdir -p "$S"
HVOBENCH_STATE_DIR=$S/state "$HVOBENCH" run --suite=selftest \
	--filter='^selftest/empty$' --min-time=0.001 --out="$S/a.json" >/dev/null 2>&1
python3 - "$S" <<'PY' || { echo "FAIL: no schema versions in the result"; fail=1; }
import json, sys
d = json.load(open(sys.argv[1] + "/a.json"))
assert d["context"]["json_schema_version"] == 1
assert d["context"]["hvobench"]["schema_version"] == 1
d["context"]["hvobench"]["schema_version"] = 2
json.dump(d, open(sys.argv[1] + "/newer.json", "w"))
PY
check compare "$S/newer.json" "$S/a.json"

# A filter that selects nothing is still a run, but it says so.
HVOBENCH_STATE_DIR=$S/state "$HVOBENCH" run --suite=selftest \
	--filter='^no-such-instance$' --out="$S/none.json" >/dev/null 2>"$S/err"
if [[ $? = 0 && $(cat "$S/err") == *"--filter '^no-such-instance\$' selects no instance of suite selftest: no rows"* ]]; then
	echo "ok: run with a filter that selects nothing -> $(cat "$S/err")"
else
	echo "FAIL: run with a filter that selects nothing: $(cat "$S/err")"
	fail=1
fi
rm -rf "$S"

# --help and list succeed.
"$HVOBENCH" --help >/dev/null || { echo "FAIL: --help"; fail=1; }
"$HVOBENCH" run --help | grep -q -- --filter || { echo "FAIL: run --help"; fail=1; }
n=$("$HVOBENCH" list --instances --suite=selftest | grep -c '^selftest/')
[[ $n -ge 5 ]] || { echo "FAIL: list shows $n selftest instances"; fail=1; }
exit $fail
