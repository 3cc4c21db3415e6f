#!/usr/bin/env bash
# scripts/qemu-bench.sh: bad input gets one line and exit status 2; the
# --smoke run boots the patched x86_64 kernel in QEMU and brings back a
# result JSON with rows whose HVO regimes fit a fresh boot (and, booted
# with vmemmap_basepages, a base-page vmemmap); a kernel
# BUG in the guest (stock 6.12's "Bad page state" after an HVO restore)
# fails the run; a stock 7.2 kernel passes.  Skipped (77) without QEMU or the kernels of
# scripts/kernel-build.sh.  Nothing runs on the host kernel.
set -u
src=${HVOBENCH_SRC:?}
qb=$src/scripts/qemu-bench.sh
# HVOBENCH_BUILD is the kernel build directory of scripts/kernel-*.sh.
kbuild=${HVOBENCH_BUILD:-/var/tmp/hvobench-kernel}
export HVOBENCH_BUILD=$kbuild
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bad() {
	local rc
	"$qb" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" != 2 ] || [ "$(grep -c '' "$tmp/err")" != 1 ] ||
	   ! grep -q 'ERROR' "$tmp/err" || [ -s "$tmp/out" ]; then
		echo "FAIL: qemu-bench.sh $* -> rc=$rc: $(head -1 "$tmp/err")"
		fail=1
	else
		echo "ok: qemu-bench.sh $* -> $(head -1 "$tmp/err")"
	fi
}
bad --arch sparc
bad --suite nope
bad --timeout 10s
bad --no-such-option

patched=$kbuild/build/x86_64-patched/arch/x86/boot/bzImage
stock=$kbuild/build/x86_64-stock/arch/x86/boot/bzImage
if ! command -v qemu-system-x86_64 > /dev/null || [ ! -f "$patched" ]; then
	echo "skip: no qemu-system-x86_64 or no $patched (scripts/kernel-build.sh)"
	[ "$fail" = 0 ] && exit 77
	exit 1
fi
# A kernel built before common.config gained FILE_LOCKING cannot run
# hvobench's privileged benchmarks (qemu-bench.sh says so and fails).
if ! grep -q '^CONFIG_FILE_LOCKING=y' "$kbuild/build/x86_64-patched/.config"; then
	echo "skip: $patched has no CONFIG_FILE_LOCKING (rebuild: scripts/kernel-build.sh)"
	[ "$fail" = 0 ] && exit 77
	exit 1
fi

# The HVO-on rows of a smoke run ($1) carry the regime a fresh boot of
# the patched kernel must show ($2): fresh: the first grow splits vmemmap
# PMDs (the patch counts them), later ones do not; basepages: the vmemmap
# is PTE-mapped from boot, no grow splits anything.
regimes() {
	if python3 - "$1/result.json" "$2" <<'PY'; then
import json, sys
on = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
      if b.get("run_type") == "iteration" and b["name"].endswith("hvo:on")]
reg = [b["label"].split()[0][len("regime="):] for b in on]
spl = [b.get("vmemmap_pmd_splits") for b in on]
print("%s: regimes %s, splits %s" % (sys.argv[2], reg, spl))
if sys.argv[2] == "fresh":
    # The runner's discarded warm-up run of the set may do the first
    # split itself; then every measured row reads "split" (the counter,
    # 0 at boot, is already > 0) and none splits again.
    want = ["first-split"] + ["split"] * (len(on) - 1)
    ok = (reg[:1] in (["first-split"], ["mixed"]) and reg[1:] == want[1:]
          and (spl[0] or 0) > 0 and not any(spl[1:])) or \
        (reg == ["split"] * len(on) and not any(spl))
else:
    ok = reg == ["basepages"] * len(on) and not any(spl)
sys.exit(0 if ok and len(on) >= 2 and None not in spl else 1)
PY
		echo "ok: smoke: $2 regimes as expected"
	else
		echo "FAIL: smoke: $2 regimes not as expected"
		fail=1
	fi
}

if "$qb" --smoke --out "$tmp/smoke"; then
	rows=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(sum(1 for b in d["benchmarks"] if b.get("run_type") == "iteration"))' \
		"$tmp/smoke/result.json")
	if [ "${rows:-0}" -gt 0 ] && grep -q '^VERDICT PASS' "$tmp/smoke/run.txt"; then
		echo "ok: smoke: $rows rows back from the guest"
	else
		echo "FAIL: smoke: rows=${rows:-none}"
		fail=1
	fi
	regimes "$tmp/smoke" fresh
	"$qb" --smoke --append vmemmap_basepages --out "$tmp/bp" >/dev/null 2>&1 ||
		{ echo "FAIL: smoke with vmemmap_basepages"; fail=1; }
	regimes "$tmp/bp" basepages
else
	echo "FAIL: smoke run failed: $(grep '^VERDICT' "$tmp/smoke/run.txt" 2>/dev/null)"
	fail=1
fi

# The stock kernel of the build dir: 6.12.117 loses pages after an HVO
# restore ("Bad page state"), which the kernel-log check must catch; 7.2
# (the default base now) must pass like the patched one.
stockver=$(sed -n 's/^kernelversion=//p' "$kbuild/build/x86_64-stock/hvobench-build.txt" 2>/dev/null)
if [ -f "$stock" ] && [ "${stockver#6.12}" != "$stockver" ]; then
	if "$qb" --smoke --kernel "$stock" \
		--out "$tmp/stock" 2> /dev/null; then
		echo "FAIL: stock $stockver run passed; expected the kernel-log check to catch 'Bad page state'"
		fail=1
	elif grep -q '^VERDICT FAIL:.*Bad page state' "$tmp/stock/run.txt"; then
		echo "ok: stock kernel: $(grep '^VERDICT' "$tmp/stock/run.txt" | cut -c1-160)"
	else
		echo "FAIL: stock kernel failed for another reason: $(grep '^VERDICT' "$tmp/stock/run.txt" 2>/dev/null)"
		fail=1
	fi
elif [ -f "$stock" ]; then
	if "$qb" --smoke --kernel "$stock" --out "$tmp/stock" 2> /dev/null; then
		echo "ok: stock $stockver kernel: $(grep '^VERDICT' "$tmp/stock/run.txt")"
	else
		echo "FAIL: stock $stockver kernel: $(grep '^VERDICT' "$tmp/stock/run.txt" 2>/dev/null)"
		fail=1
	fi
fi
exit "$fail"
