# SPDX-License-Identifier: GPL-2.0
# Sourced by file-only CLI tests: $T (a scratch dir, removed on exit),
# $fail, ok(), bad(), and expect2 WHAT CMD… (exit 2, nothing on stdout,
# exactly one line on stderr).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
expect2() {
	local what=$1 rc lines
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	lines=$(wc -l <"$T/err")
	if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$T/out" ]; then
		ok "$what -> 2: $(cat "$T/err")"
	else
		bad "$what: rc=$rc, $lines stderr lines: $(head -3 "$T/err")"
	fi
}
