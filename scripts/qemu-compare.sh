#!/bin/bash
# Run the same hvobench selection on two kernels in QEMU (scripts/qemu-bench.sh)
# and compare the results with `hvobench compare` and `hvobench report`.
#
#   scripts/qemu-compare.sh [--preset basepages|stock] [--arch x86_64|arm64]
#                           [--ka IMAGE] [--kb IMAGE]
#                           [--append-a ARGS] [--append-b ARGS]
#                           [--name-a NAME] [--name-b NAME]
#                           [--filter REGEX] [--suite quick|full]
#                           [--mem SIZE] [--timeout SECONDS] [--out DIR]
#                           [-- HVOBENCH-RUN-ARGS]
#
# Presets (the kernels of scripts/kernel-build.sh for --arch):
#   basepages (default)  A = patched, B = patched + vmemmap_basepages:
#                        HVO splitting PMD-mapped vmemmap vs a vmemmap
#                        mapped with base pages from boot
#   stock                A = stock, B = patched (stock x86_64 6.12 has the
#                        "Bad page state" bug that patch 0001 fixes: its run
#                        fails the kernel-log check; compared anyway)
# --ka/--kb/--append-* override the preset.  HVOBENCH (default
# build/hvobench) is the host binary used to compare.
#
# Writes DIR/<name-a>/ and DIR/<name-b>/ (qemu-bench.sh output),
# DIR/compare.txt, DIR/compare.md and DIR/report/.  Exits non-zero when a
# run failed (the comparison is still written when both JSON came back).
# TCG timings: relative and functional evidence, not hardware numbers.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

usage() { hvo_log "ERROR: $*"; sed -n '5,11p' "$0" >&2; exit 2; }

preset=basepages arch=x86_64 ka= kb= appa= appb= namea= nameb= outdir=
bench=()
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--preset) preset=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--ka) ka=$2; shift 2 ;;
	--kb) kb=$2; shift 2 ;;
	--append-a) appa=$2; shift 2 ;;
	--append-b) appb=$2; shift 2 ;;
	--name-a) namea=$2; shift 2 ;;
	--name-b) nameb=$2; shift 2 ;;
	--filter|--suite|--mem|--timeout) bench+=("$1" "$2"); shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--) shift; extra=(-- "$@"); break ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	*) usage "unknown option $1" ;;
	esac
done
case $arch in x86_64|arm64) ;; *) usage "--arch must be x86_64 or arm64, not '$arch'" ;; esac
case $preset in
basepages)
	: "${ka:=$(hvo_image "$arch" patched)}" "${kb:=$(hvo_image "$arch" patched)}"
	: "${appb:=vmemmap_basepages}"
	: "${namea:=$arch-patched}" "${nameb:=$arch-patched-basepages}"
	;;
stock)
	: "${ka:=$(hvo_image "$arch" stock)}" "${kb:=$(hvo_image "$arch" patched)}"
	: "${namea:=$arch-stock}" "${nameb:=$arch-patched}"
	;;
*) usage "--preset must be basepages or stock, not '$preset'" ;;
esac
: "${namea:=A}" "${nameb:=B}"
[ "$namea" != "$nameb" ] || usage "--name-a and --name-b must differ"
hvobench=${HVOBENCH:-$HVO_REPO/build/hvobench}
[ -x "$hvobench" ] || hvo_die "no host hvobench at $hvobench (make build)"
: "${outdir:=$HVO_REPO/results/qemu/compare-$namea-vs-$nameb-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$outdir"

failed=0
run() { # <name> <image> <append>
	hvo_log "qemu-compare: $1"
	"$HVO_REPO/scripts/qemu-bench.sh" --arch "$arch" --kernel "$2" \
		${3:+--append "$3"} "${bench[@]}" --out "$outdir/$1" "${extra[@]}" ||
		failed=$((failed + 1))
}
# One after the other: each guest wants both host CPUs.
run "$namea" "$ka" "$appa"
run "$nameb" "$kb" "$appb"

a=$outdir/$namea/result.json b=$outdir/$nameb/result.json
if [ -s "$a" ] && [ -s "$b" ]; then
	"$hvobench" compare "$a" "$b" --no-color > "$outdir/compare.txt"
	"$hvobench" compare "$a" "$b" --format=markdown > "$outdir/compare.md"
	"$hvobench" report "$a" "$b" --no-color --out="$outdir/report" > /dev/null
	hvo_log "qemu-compare: $outdir/compare.txt, $outdir/report/"
else
	hvo_log "qemu-compare: no comparison: a result JSON is missing"
	failed=$((failed + 1))
fi
{
	echo "# qemu-compare $(date -u +%Y-%m-%dT%H:%M:%SZ): A=$namea B=$nameb"
	for n in "$namea" "$nameb"; do
		echo "$n: $(grep -h '^VERDICT' "$outdir/$n/run.txt" 2>/dev/null || echo 'VERDICT FAIL: no run.txt')"
	done
} > "$outdir/summary.txt"
cat "$outdir/summary.txt" >&2
[ "$failed" = 0 ]
