#!/bin/bash
# Run hvobench in a QEMU guest under the tlbsim TCG plugin and merge the
# simulated per-region counters into the result JSON.
#
#   scripts/tlbsim-run.sh [--arch x86_64|arm64] [--kernel IMAGE]
#                         [--append ARGS] [--suite quick|full] [--filter RE]
#                         [--models M1:M2] [--sens MODEL] [--out DIR]
#                         [--timeout S] [--kconfig FILE] [-- HVOBENCH-RUN-ARGS]
#
# Two boots of the same kernel and command line (with nokaslr):
#   base/  without the plugin: the guest's ptdump gives the vmemmap and
#          direct-map ranges handed to the plugin (and the direct map's
#          page size, the default assumption for its accesses; kernels
#          without PTDUMP_DEBUGFS: the nokaslr layout, checked by the
#          calibration row), and the
#          reference timings for the plugin's slowdown;
#   sim/   with the plugin (plugin.jsonl: one line per kept region); the
#          ranges of this boot must equal the first boot's.
# DIR/result.json is sim/result.json with hvobench.counters "sim:*" added
# (scripts/tlbsim-merge.py); DIR/summary.txt the table and the checks;
# DIR/run.txt the provenance.  Exit non-zero when a guest run failed, the
# ranges differ, or a calibration row missed its predicted footprint.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"
usage() { hvo_log "ERROR: $* (--help for usage)"; exit 2; }

arch=x86_64 kernel= append= suite=full filter='^tlbsim/' models= sens=
outdir= timeout=3600 kconfig= extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	--models) models=$2; shift 2 ;;
	--sens) sens=$2; shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--kconfig) kconfig=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '2,24p' "$0"; exit 0 ;;
	*) usage "unknown option $1" ;;
	esac
done
case $arch in x86_64|arm64) ;; *) usage "--arch must be x86_64 or arm64, not '$arch'" ;; esac
[[ $timeout =~ ^[1-9][0-9]*$ ]] || usage "--timeout must be a positive number of seconds"
[[ -z $models || $models =~ ^[a-z0-9:-]+$ ]] || usage "--models is a list like glc:zen5 (a model with -nc: without coalescing)"
[[ -z $sens || $sens =~ ^[a-z0-9]+$ ]] || usage "--sens takes one model id"
[ ${#extra[@]} -gt 0 ] || extra=(--min-time=0.05 --repetitions=3)
: "${kernel:=$(hvo_image "$arch" patched)}"
[ -f "$kernel" ] || hvo_die "no kernel image $kernel (scripts/kernel-build.sh --arch $arch)"
kernel=$(realpath "$kernel")
: "${outdir:=$HVO_REPO/results/tlbsim/run-$arch-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$outdir/sim"
outdir=$(realpath "$outdir")
# A fixed layout: no KASLR, and 4-level paging on x86_64 (QEMU's -cpu max
# offers LA57).
cmdline="nokaslr${append:+ $append}"
[ "$arch" = x86_64 ] && cmdline="no5lvl $cmdline"
plugin=$("$HVO_REPO/scripts/tlbsim-plugin.sh")
qb=("$HVO_REPO/scripts/qemu-bench.sh" --arch "$arch" --kernel "$kernel"
    --append "$cmdline" --suite "$suite" --filter "$filter" --ptdump
    --timeout "$timeout" ${kconfig:+--kconfig "$kconfig"})
merge=$HVO_REPO/scripts/tlbsim-merge.py

hvo_log "tlbsim: boot 1 (no plugin): ranges and reference timings"
"${qb[@]}" --out "$outdir/base" -- --sim-markers "${extra[@]}" ||
	hvo_die "the reference run failed: $outdir/base/run.txt"
read -r vm dm ds dsizes dsrc < <("$merge" ranges "$outdir/base/serial.log" "$arch")
shift_arg=${ds#dmap_shift=}
spec="$plugin,${vm},${dm},dmap_shift=$shift_arg,out=$outdir/sim/plugin.jsonl"
[ -n "$models" ] && spec+=",models=$models"
[ -n "$sens" ] && spec+=",sens=$sens"

hvo_log "tlbsim: boot 2 under the plugin ($vm $dm $ds)"
rc=0
"${qb[@]}" --plugin "$spec" --out "$outdir/sim" -- --sim-markers "${extra[@]}" || rc=$?
read -r vm2 dm2 _ _ _ < <("$merge" ranges "$outdir/sim/serial.log" "$arch")
{
	echo "# tlbsim: hvobench in QEMU under the tlbsim TCG plugin (simulated counters on real kernel execution)"
	echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(uname -n) hvobench=$(git -C "$HVO_REPO" describe --always --dirty 2>/dev/null || echo ?)"
	echo "# command: scripts/tlbsim-run.sh --arch $arch --kernel $kernel --append '$append' --suite $suite --filter '$filter'${models:+ --models $models}${sens:+ --sens $sens} -- ${extra[*]}"
	echo "# kernel=$kernel ($(strings "$kernel" 2>/dev/null | grep -m1 -o 'Linux version [^ ]*' || echo '?'))"
	echo "# cmdline=$cmdline"
	echo "# plugin=$spec"
	echo "# ranges boot1: $vm $dm $ds $dsizes $dsrc"
	echo "# ranges boot2: $vm2 $dm2"
	grep -h '^# wall_seconds' "$outdir/base/run.txt" | sed 's/^# /# base: /'
	grep -h '^# wall_seconds' "$outdir/sim/run.txt" | sed 's/^# /# sim:  /'
	grep -h '^VERDICT' "$outdir/base/run.txt" | sed 's/^/# base: /'
	grep -h '^VERDICT' "$outdir/sim/run.txt" | sed 's/^/# sim:  /'
} > "$outdir/run.txt"
[ "$rc" = 0 ] || hvo_die "the run under the plugin failed: $outdir/sim/run.txt"
[ "$vm $dm" = "$vm2 $dm2" ] || hvo_die "ranges differ between the boots: '$vm $dm' vs '$vm2 $dm2'"
w1=$(sed -n 's/^# wall_seconds=\([0-9.]*\).*/\1/p' "$outdir/base/run.txt")
w2=$(sed -n 's/^# wall_seconds=\([0-9.]*\).*/\1/p' "$outdir/sim/run.txt")
echo "# whole-boot wall time: base ${w1}s, under the plugin ${w2}s ($(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.1fx", b / a }'))" >> "$outdir/run.txt"
set +e
"$merge" merge "$outdir/sim/result.json" "$outdir/sim/plugin.jsonl" \
	"$outdir/result.json" --base "$outdir/base/result.json" > "$outdir/summary.txt"
mrc=$?
set -e
cat "$outdir/run.txt" "$outdir/summary.txt" >&2
[ "$mrc" = 0 ] || hvo_die "merge/validation failed: $outdir/summary.txt"
hvo_log "tlbsim: done -> $outdir"
