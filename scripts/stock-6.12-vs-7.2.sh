#!/bin/bash
# Stock Linux 6.12.117 vs stock 7.2.13, x86_64: what growing and shrinking
# the HugeTLB pool costs with HVO on (HVO off: the control), in QEMU TCG
# with the boots of the two kernels alternating.  7.2 has the "remove fake
# head pages" rework of HVO; 6.12 has fake heads.
#
#   scripts/stock-6.12-vs-7.2.sh [--rounds N] [--filter REGEX] [--out DIR]
#                                [--no-build]
#
# Kernels, each built by scripts/kernel-build.sh from the same config
# fragments (kernel-patch/config) in $HVOBENCH_BUILD/stock-6.12-vs-7.2/<k>/:
#   k612     Debian 12's linux-source-6.12 (6.12.117)
#   k612fix  k612 plus the restore fix, patch 0001 of the 6.12 series
#            (git show 1a99772:kernel-patch/): stock 6.12.117 loses every
#            2M page whose vmemmap HVO restores ("Bad page state"), so its
#            HVO-on rows are not a cost; 0001 touches only the restore
#   k72      Debian sid's linux-source-7.2 (7.2.13)
# Runs (scripts/qemu-compare.sh --rounds N, A B A B ...):
#   OUT/6.12fix-vs-7.2/          k612fix vs k72: pool grow/shrink, HVO off+on
#   OUT/6.12-vs-7.2-hvo-off/     k612 vs k72: the same, HVO off only
# OUT defaults to results/kernel/stock-6.12-vs-7.2; N to 8; REGEX (the
# hvobench instances) to ^pool/(grow|shrink)/.  The guests have 6 GiB: the
# 2M x4096 instances are skipped for memory.
# TCG times are emulation times, not hardware times.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

usage() { echo "stock-6.12-vs-7.2.sh: $*" >&2; exit 2; }
rounds=8 out=results/kernel/stock-6.12-vs-7.2 build=1 filter='^pool/(grow|shrink)/'
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) [ $# -ge 2 ] || usage "--rounds needs a value"
		  rounds=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || usage "--out needs a value"
	       out=$2; shift 2 ;;
	--filter) [ $# -ge 2 ] || usage "--filter needs a value"
		  filter=$2; shift 2 ;;
	--no-build) build=; shift ;;
	-h|--help) sed -n '2,24p' "$0"; exit 0 ;;
	*) usage "unknown option $1 (--help for usage)" ;;
	esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || usage "--rounds must be a positive integer, not '$rounds'"
out=$(realpath -m "$out")
cd "$HVO_REPO"
out=$(realpath -m --relative-base=. "$out")  # paths in the reports: relative

W=$HVOBENCH_BUILD/stock-6.12-vs-7.2
fix_commit=1a99772
fix_patch=kernel-patch/0001-mm-hugetlb_vmemmap-do-not-leave-fake-heads-in-restor.patch
t612=/usr/src/linux-source-6.12.tar.xz
image() { echo "$W/$1/build/x86_64-stock/arch/x86/boot/bzImage"; }

kbuild() { # <name> <kernel-build.sh source option>
	HVOBENCH_BUILD=$W/$1 nice -n 10 "$HVO_REPO/scripts/kernel-build.sh" \
		--no-deps --arch x86_64 --variant stock "${@:2}" > /dev/null
}

if [ -n "$build" ]; then
	"$HVO_REPO/scripts/kernel-deps.sh" --arch x86_64  # and the 7.2 tarball
	if [ ! -f "$t612" ]; then
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq linux-source-6.12
	fi
	mkdir -p "$W"
	if [ ! -f "$W/linux-6.12-fix.applied" ]; then
		rm -rf "$W/linux-6.12-fix"
		mkdir -p "$W/linux-6.12-fix"
		tar -xf "$t612" -C "$W/linux-6.12-fix" --strip-components=1
		git -C "$HVO_REPO" show "$fix_commit:$fix_patch" |
			patch -d "$W/linux-6.12-fix" -p1 --quiet
		echo "$fix_commit:$fix_patch" > "$W/linux-6.12-fix.applied"
	fi
	kbuild k612 --tarball "$t612"
	kbuild k612fix --src "$W/linux-6.12-fix"
	kbuild k72 --tarball "$HVO_TARBALL"
fi
for k in k612 k612fix k72; do
	[ -f "$(image $k)" ] || hvo_die "no kernel $(image $k) (run without --no-build)"
done

bench=(--filter "$filter" --mem 6G)
run=(-- --min-time=0.05 --repetitions=5 --safety-margin=512M)
rc=0
# --preset stock: no vmemmap_basepages on either side (the default preset
# appends it to B).
"$HVO_REPO/scripts/qemu-compare.sh" --preset stock --rounds "$rounds" \
	--ka "$(image k612fix)" --kb "$(image k72)" \
	--name-a 6.12.117-restorefix --name-b 7.2.13 "${bench[@]}" \
	--out "$out/6.12fix-vs-7.2" "${run[@]}" || rc=1
bench[1]="$filter.*/hvo:off\$"
"$HVO_REPO/scripts/qemu-compare.sh" --preset stock --rounds "$rounds" \
	--ka "$(image k612)" --kb "$(image k72)" \
	--name-a 6.12.117 --name-b 7.2.13 "${bench[@]}" \
	--out "$out/6.12-vs-7.2-hvo-off" "${run[@]}" || rc=1
# What was built from what, beside the results.
for k in k612 k612fix k72; do
	echo "== $k"
	cat "$W/$k/build/x86_64-stock/hvobench-build.txt"
	echo "config_sha256=$(sha256sum < "$W/$k/build/x86_64-stock/.config" | cut -c1-16)"
done > "$out/kernels.txt"
echo "fix=$(cat "$W/linux-6.12-fix.applied" 2>/dev/null || echo "$fix_commit:$fix_patch")" >> "$out/kernels.txt"
exit $rc
