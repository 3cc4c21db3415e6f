#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kill -9 the quick suite at random moments, then `hvobench restore`:
# restore must exit 0 only when every value is back (checked at once,
# not after a grace period), leave no journal, and no process of the
# killed run may be alive after it.  Each kill runs the quick suite from
# a random instance (and the next four) and kills it after a random delay
# of 0-3 s, so every instance's setup, timed loop and teardown, the
# journal writes and the change-over between instances can be hit.
# HVOBENCH_KILLS (default 20), HVOBENCH_KILL_SEED (default: the time;
# printed, so a failure can be replayed), HVOBENCH_KILL_FILTER (an ERE:
# draw only among these quick instances, e.g. those with children).
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

KILLS=${HVOBENCH_KILLS:-20}
SEED=${HVOBENCH_KILL_SEED:-$(date +%s)}
echo "seed $SEED, $KILLS kills (replay: HVOBENCH_KILL_SEED=$SEED HVOBENCH_KILLS=$KILLS)"
RANDOM=$SEED
mapfile -t names < <("$HVOBENCH" list --instances --suite=quick \
	--filter="${HVOBENCH_KILL_FILTER:-.}")
[ ${#names[@]} -ge 5 ] || fail "only ${#names[@]} quick instances"
ere() { sed 's/[][\.^$*+?(){}|]/\\&/g' <<<"$1"; }

# Live (not zombie) processes of session $1.
alive_in() { ps -eo sid=,stat=,pid=,args= | awk -v s="$1" '$1 == s && $2 !~ /^Z/'; }
# The same after a bounded moment (2 s) for processes whose mm is
# already detached: a user process without one (ps shows "[name]") is in
# do_exit(), tearing down its memory; a SIGKILLed child with a large
# mapping can still be there when restore returns.  Any process that
# still has its mm is reported at once (negative control, by hand
# 2026-11-30: a setsid'd leftover `sleep 3` was reported after 31 ms).
alive_after() {
	local n=0 left
	left=$(alive_in "$1")
	while [ -n "$left" ] && ! grep -qv ' \[[^]]*\]$' <<<"$left" && [ $n -lt 100 ]; do
		sleep 0.02
		n=$((n + 1))
		left=$(alive_in "$1")
	done
	echo "$left"
}

kills=0 changed=0 passed=0 draws=0
while [ $kills -lt "$KILLS" ] && [ $draws -lt $((KILLS * 3)) ]; do
	draws=$((draws + 1))
	i=$((RANDOM % ${#names[@]}))
	re="^($(ere "${names[i]}")"
	for j in 1 2 3 4; do
		[ $((i + j)) -lt ${#names[@]} ] && re+="|$(ere "${names[i + j]}")"
	done
	re+=")\$"
	ms=$((RANDOM % 3000))
	# Its own session: everything it forks is found by session id.
	setsid "$HVOBENCH" run --suite=quick --filter="$re" --repetitions=1 \
		--out="$TMP/k.json" >"$TMP/klog" 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	if ! kill -9 $pid 2>/dev/null; then
		wait $pid
		echo "draw $draws: ${names[i]} ended before ${ms} ms; drawn again"
		continue
	fi
	wait $pid 2>/dev/null
	kills=$((kills + 1))
	what="kill $kills at ${ms} ms into ${names[i]} (+4)"
	[ "$(snap)" != "$BEFORE" ] && changed=$((changed + 1))
	t0=$(date +%s%N)
	"$HVOBENCH" restore >"$TMP/rlog" 2>&1
	rc=$?
	t=$((($(date +%s%N) - t0) / 1000000))
	now=$(snap)
	left=$(alive_after $pid)
	if [ $rc = 0 ] && [ "$now" = "$BEFORE" ] &&
		[ ! -e "$HVOBENCH_STATE_DIR/journal" ] && [ -z "$left" ]; then
		passed=$((passed + 1))
		echo "ok: $what (restore $t ms)"
	else
		fail "$what: restore rc=$rc after $t ms"
		diff <(echo "$BEFORE") <(echo "$now")
		[ -e "$HVOBENCH_STATE_DIR/journal" ] && echo "journal left"
		[ -n "$left" ] && echo "alive after restore: $left"
		cat "$TMP/rlog"
		# Leave the next kill a clean machine.
		for p in $(alive_in $pid | awk '{print $3}'); do
			kill -9 "$p"
		done
		"$HVOBENCH" restore >/dev/null 2>&1
		settled || "$HVOBENCH" restore --wait=60 >/dev/null 2>&1
	fi
done
echo "$passed/$kills kills restored ($changed with the kernel state changed), seed $SEED"
[ $kills -ge "$KILLS" ] || fail "only $kills kills in $draws draws"
# Kills that found nothing changed prove nothing.
[ $changed -ge $((KILLS / 2)) ] ||
	fail "only $changed kills happened with the kernel state changed"
