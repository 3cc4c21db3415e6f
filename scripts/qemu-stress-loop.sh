#!/bin/bash
# Boot one kernel N times with scripts/qemu-boot.sh (quick mode, stress on)
# and tabulate what the hvo-stress section of scripts/guest/init left in the
# 2M pool: one line per boot, then how many boots left pages behind.
#
#   scripts/qemu-stress-loop.sh [--arch x86_64|arm64] [--variant stock|patched]
#                               [--runs N] [--stress SECONDS] [--pages N]
#                               [--append ARGS] [--out DIR] [--tag TAG]
#
# --out DIR   where the per-boot .result/.log files and TAG.txt go
#             (default /tmp/hvo-stress-loop)
# --tag TAG   file name prefix (default <arch>-<variant>)
#
# Columns: run verdict stress-status pool_cycles user_cycles remap_errors
# after-stress nr_hugepages/surplus/resv/free, optimized folios, then the
# state 2 s later, after writing 0, and after a grow and shrink.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

usage() { printf 'qemu-stress-loop: %s (see --help)\n' "$*" >&2; exit 2; }

arch=x86_64 variant=patched runs=8 stress=20 pages= append= outdir=/tmp/hvo-stress-loop tag=
while [ $# -gt 0 ]; do
	case $1 in
	--arch|--variant|--runs|--stress|--pages|--append|--out|--tag)
		[ $# -ge 2 ] || usage "$1 needs a value" ;;&
	--arch) arch=$2; shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--stress) stress=$2; shift 2 ;;
	--pages) pages=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--tag) tag=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) usage "unknown option $1" ;;
	esac
done
case $arch in x86_64|arm64) ;; *) usage "--arch must be x86_64 or arm64" ;; esac
case $variant in stock|patched) ;; *) usage "--variant must be stock or patched" ;; esac
[[ $runs =~ ^[1-9][0-9]*$ ]] || usage "--runs must be a positive integer"
[[ $stress =~ ^[1-9][0-9]*$ ]] || usage "--stress must be a positive number of seconds"
[ -z "$pages" ] || [[ $pages =~ ^[1-9][0-9]*$ ]] || usage "--pages must be a positive integer"
tag=${tag:-$arch-$variant}
mkdir -p "$outdir"
table=$outdir/$tag.txt

field() { # <result file> <HVOINFO key prefix>: the pool state on that line
	awk -v k="$2" '$1 == "HVOINFO" && $2 == k {
		for (i = 3; i <= NF; i++) if ($i ~ /^(nr_hugepages|surplus|resv|free|optimized_folios)=/) {
			split($i, kv, "="); s = s (s == "" ? "" : "/") kv[2]
		}
		print s; exit }' "$1"
}

{
	echo "# qemu-stress-loop $arch $variant runs=$runs stress=${stress}s${pages:+ pages=$pages}${append:+ append='$append'} $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# state columns: nr_hugepages/surplus/resv/free/nr_hugetlb_vmemmap_optimized"
	echo "# run verdict stress pool_cycles user_cycles remap_errors after_stress after_2s after_write_0 after_grow_shrink"
} > "$table"
left=0
for i in $(seq 1 "$runs"); do
	name=$tag-$i
	"$HVO_REPO/scripts/qemu-boot.sh" --arch "$arch" --variant "$variant" --quick \
		--stress "$stress" ${pages:+--pages "$pages"} ${append:+--append "$append"} \
		--out "$outdir" --name "$name" 2> "$outdir/$name.stderr" || true
	r=$outdir/$name.result
	[ -f "$r" ] || { echo "$i no-result" | tee -a "$table"; continue; }
	verdict=$(awk '$1 == "VERDICT" { print $2 }' "$r")
	st=$(awk '$1 == "HVOTEST" && $3 == "stress" { print $2 }' "$r")
	num() { grep -o "$1=[0-9]*" "$r" | head -1 | cut -d= -f2 || true; }
	cyc=$(num pool_cycles)
	ucyc=$(num user_cycles)
	rerr=$(num remap_errors_during_stress)
	a=$(field "$r" after_stress:)
	b=$(field "$r" left_after_2s:)
	c=$(field "$r" left_after_write_0:)
	d=$(field "$r" left_after_grow_shrink:)
	[ "${a%%/*}" = 0 ] || left=$((left + 1))
	echo "$i ${verdict:-?} ${st:-?} ${cyc:-?} ${ucyc:-?} ${rerr:--} ${a:-?} ${b:--} ${c:--} ${d:--}" | tee -a "$table"
done
echo "# $left of $runs boots left page(s) in the pool after the stress" | tee -a "$table"
