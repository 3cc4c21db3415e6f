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
#                           [--rounds N] [-- HVOBENCH-RUN-ARGS]
#
# Presets (the kernels of scripts/kernel-build.sh for --arch):
#   basepages (default)  A = patched, B = patched + vmemmap_basepages:
#                        HVO splitting PMD-mapped vmemmap vs a vmemmap
#                        mapped with base pages from boot
#   stock                A = stock, B = patched (stock x86_64 6.12 has the
#                        "Bad page state" bug that patch 0001 fixes: its run
#                        fails the kernel-log check; compared anyway)
# --rounds N   boot A, B, A, B, ... N times each (alternating, so slow
#              drift of the shared host hits both sides); the comparison
#              pools the repetitions of all rounds
# --ka/--kb/--append-* override the preset.  HVOBENCH (default
# build/hvobench) is the host binary used to compare.
#
# Writes DIR/<name-a>/ and DIR/<name-b>/ (qemu-bench.sh output; with
# --rounds > 1 one r<i>/ per round below them),
# DIR/compare.txt, DIR/compare.md and DIR/report/.  Exits non-zero when a
# run failed (the comparison is still written when both JSON came back).
# TCG timings: relative and functional evidence, not hardware numbers.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

usage() { hvo_log "ERROR: $* (--help for usage)"; exit 2; }

rounds=1 preset=basepages arch=x86_64 ka= kb= appa= appb= namea= nameb= outdir=
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
	--rounds) rounds=$2; shift 2 ;;
	--) shift; extra=(-- "$@"); break ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	*) usage "unknown option $1" ;;
	esac
done
case $arch in x86_64|arm64) ;; *) usage "--arch must be x86_64 or arm64, not '$arch'" ;; esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || usage "--rounds must be a positive integer, not '$rounds'"
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
verdicts=()
run() { # <name> <image> <append> <round>
	local dir=$outdir/$1
	[ "$rounds" = 1 ] || dir=$dir/r$4
	hvo_log "qemu-compare: $1${4:+ round $4/$rounds}"
	"$HVO_REPO/scripts/qemu-bench.sh" --arch "$arch" --kernel "$2" \
		${3:+--append "$3"} "${bench[@]}" --out "$dir" "${extra[@]}" ||
		failed=$((failed + 1))
	verdicts+=("$1${4:+ r$4}: $(grep -h '^VERDICT' "$dir/run.txt" 2>/dev/null || echo 'VERDICT FAIL: no run.txt')")
	[ -s "$dir/result.json" ] || missing=1
}
# One after the other: each guest wants both host CPUs.
missing=
for r in $(seq "$rounds"); do
	run "$namea" "$ka" "$appa" "$r"
	run "$nameb" "$kb" "$appb" "$r"
done

a=$outdir/$namea b=$outdir/$nameb
if [ -z "$missing" ]; then
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
	printf '%s\n' "${verdicts[@]}"
} > "$outdir/summary.txt"
cat "$outdir/summary.txt" >&2
[ "$failed" = 0 ]
