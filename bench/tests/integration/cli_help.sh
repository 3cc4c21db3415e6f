#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Help agrees with the parser and the man page: every option a command's
# --help lists is one its parser knows (a valued option given no value is
# refused, but not as unknown; a flag is accepted before --help),
# the man page lists exactly those options, --opt VALUE equals
# --opt=VALUE, and the defaults the help states are what the code does.
# Negative control (2026-11-30): the generated page with restore's --wait
# entry removed fails with "restore: help (<) and man page (>) differ".
set -u
fail=0
H=$HVOBENCH
# hvobench(1) as the build generated it (scripts/gen-manpage).
MAN=${HVOBENCH_CMAKE_BUILD:?}/hvobench.1
bad() { echo "FAIL: $*"; fail=1; }

[[ -r $MAN ]] || bad "no man page $MAN"
w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
[[ -z $w ]] || bad "man page warnings: $w"
for a in -h --help help; do
	"$H" $a | grep -q '^  run ' || bad "hvobench $a lists no commands"
done
"$H" --version | grep -Eq '^hvobench [^ ]+$' || bad "--version"
cmds=$("$H" --help | sed -n 's/^  \([a-z]\+\)  .*/\1/p')
[[ $(wc -w <<<"$cmds") -ge 7 ]] || bad "only $cmds"

# Options of one command from its --help, as "name=ARG" or "name".
opts_of() {
	"$H" "$1" --help | sed -n 's/^  \(-h, \)\?--\([a-z][a-z0-9-]*\)\(=[^ ]*\)\?.*/\2\3/p' |
		grep -v '^help$' | sort -u
}
# Options of one command from the man page's section ".SS hvobench CMD".
man_opts_of() {
	sed 's/\\-/-/g' "$MAN" |
		awk -v c="$1" '/^\.SS /{on = ($0 ~ "^\\.SS hvobench " c "( |$)")} on' |
		sed -n 's/^\.TP$//; s/^\\fB--\([a-z][a-z0-9-]*\)\\fR\(=\\fI\([^\\]*\)\\fR\)\?.*/\1=\3/p' |
		sed 's/=$//' | sort -u
}

for c in $cmds; do
	[[ "$("$H" help "$c")" == "$("$H" "$c" --help)" ]] ||
		bad "help $c differs from $c --help"
	[[ "$("$H" "$c" -h)" == "$("$H" "$c" --help)" ]] || bad "$c -h"
	opts=$(opts_of "$c")
	for o in $opts; do
		name=${o%%=*}
		if [[ $o == *=* ]]; then
			err=$("$H" "$c" "--$name" 2>&1 >/dev/null)
			[[ $? == 2 && $err != *unknown* ]] ||
				bad "$c --$name: listed in help, parser says: $err"
		else
			err=$("$H" "$c" "--$name" --help 2>&1 >/dev/null)
			[[ $? == 0 ]] ||
				bad "$c --$name (flag): parser says: $err"
		fi
	done
	d=$(diff <(echo "$opts" | sed 's/=.*//') \
		<(man_opts_of "$c" | sed 's/=.*//'))
	[[ -z $d ]] || bad "$c: help (<) and man page (>) differ: $d"
	echo "ok: $c: $(echo $opts | wc -w) options"
done

# Defaults stated in help are the code's: list and run default to quick.
"$H" run --help | grep -q 'default: quick' || bad "run --help: no default"
[[ "$("$H" list)" == "$("$H" list --suite=quick)" ]] ||
	bad "list without --suite is not the quick suite"
[[ "$("$H" list)" != "$("$H" list --suite=all)" ]] ||
	bad "--suite=all lists the same as quick"
# --opt VALUE is --opt=VALUE; unique prefixes are accepted.
[[ $("$H" list --instances --suite selftest --filter 100ns) == selftest/100ns ]] ||
	bad "--opt VALUE form"
[[ $("$H" list --instances --suite=selftest --filt=100ns) == selftest/100ns ]] ||
	bad "--opt=VALUE with a prefix"
# list takes no run-only options.
"$H" list --repetitions=2 >/dev/null 2>&1 && bad "list accepted --repetitions"
exit $fail
