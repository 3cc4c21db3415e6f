#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion offers commands, a command's own options (and not
# another's) and instance names for --filter.
set -u
. "${HVOBENCH_SRC:?}/bench/cli/hvobench.bash-completion"
fail=0
comp() { # expected-word words...
	local want=$1
	shift
	COMP_WORDS=("$HVOBENCH" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_hvobench
	if printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$want"; then
		echo "ok: ${*@Q} -> $want (${#COMPREPLY[@]} offered)"
	else
		echo "FAIL: ${*@Q} does not offer $want: ${COMPREPLY[*]:0:8}"
		fail=1
	fi
}
comp run r
comp restore help re
comp --repetitions= run --rep
comp --wait= restore --w
comp selftest/100ns run --filter= selftest/1
comp selftest/100ns run --filter=selftest/1
comp full list --suite= f
# list has no --repetitions: offering it would be a lie.
COMP_WORDS=("$HVOBENCH" list --rep) COMP_CWORD=2 COMPREPLY=()
_hvobench
[[ ${#COMPREPLY[@]} == 0 ]] || { echo "FAIL: list offers ${COMPREPLY[*]}"; fail=1; }
exit $fail
