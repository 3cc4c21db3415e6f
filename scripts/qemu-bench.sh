#!/bin/bash
# Run `hvobench run` inside a QEMU guest (TCG, 2 vCPUs) on a kernel of
# your choice and bring the result JSON back.
#
#   scripts/qemu-bench.sh [--kernel IMAGE] [--arch x86_64|arm64]
#                         [--append ARGS] [--filter REGEX]
#                         [--suite quick|full] [--mem SIZE] [--out DIR]
#                         [--timeout SECONDS] [--smoke] [--plugin SPEC]
#                         [--ptdump] [--kconfig FILE] [-- HVOBENCH-RUN-ARGS]
#
# --kernel IMAGE  bzImage/Image (default: the patched kernel of
#                 scripts/kernel-build.sh for --arch)
# --append ARGS   extra kernel command line (e.g. vmemmap_basepages)
# --smoke         CI size: pool/grow/size:2M/pages:64, --min-time=0
#                 --repetitions=3, short timeout
# --plugin SPEC   load a TCG plugin (-plugin SPEC), with one TCG thread
#                 (scripts/tlbsim-run.sh)
# --ptdump        the guest prints its kernel page tables before the run
#                 (HVOBENCH-PTDUMP lines)
# --kconfig FILE  the kernel's .config, for kernels without /proc/config.gz
#                 (e.g. Debian's /boot/config-*)
# -- ...          more `hvobench run` options (default: --min-time=0.05)
#
# The guest's initramfs holds static busybox, a static hvobench
# (scripts/static-build.sh) and scripts/guest/bench-init.  The result comes
# back over the serial console (gzip + base64 between markers with a nonce
# and an md5).  Writes DIR/result.json, DIR/serial.log (the console) and
# DIR/run.txt (provenance and verdict).  Exits non-zero when the guest
# timed out, the JSON did not come back whole or has no rows, or the kernel
# log has a WARN/BUG/Oops/panic.  Timings are QEMU TCG timings: they prove
# function and allow relative comparisons, not hardware numbers.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

usage() { hvo_log "ERROR: $* (--help for usage)"; exit 2; }

arch=x86_64 kernel= append= filter= suite=quick mem= outdir= timeout= smoke=
plugin= ptdump= kconfig=
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--filter) filter=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--smoke) smoke=1; shift ;;
	--plugin) plugin=$2; shift 2 ;;
	--ptdump) ptdump=1; shift ;;
	--kconfig) kconfig=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '2,31p' "$0"; exit 0 ;;
	*) usage "unknown option $1" ;;
	esac
done
case $arch in x86_64|arm64) ;; *) usage "--arch must be x86_64 or arm64, not '$arch'" ;; esac
case $suite in quick|full) ;; *) usage "--suite must be quick or full, not '$suite'" ;; esac
[ -z "$timeout" ] || [[ $timeout =~ ^[1-9][0-9]*$ ]] || usage "--timeout must be a positive number of seconds, not '$timeout'"
: "${kernel:=$(hvo_image "$arch" patched)}"
[ -f "$kernel" ] || hvo_die "no kernel image $kernel (scripts/kernel-build.sh --arch $arch)"
kernel=$(realpath "$kernel")

if [ -n "$smoke" ]; then
	: "${filter:=^pool/grow/size:2M/pages:64/}"
	[ ${#extra[@]} -gt 0 ] || extra=(--min-time=0 --repetitions=3)
	: "${timeout:=150}"
fi
[ ${#extra[@]} -gt 0 ] || extra=(--min-time=0.05)
: "${outdir:=$HVO_REPO/results/qemu/run-$arch-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$outdir"
outdir=$(realpath "$outdir")

# --- the static hvobench and the initramfs --------------------------------------
bin=$("$HVO_REPO/scripts/static-build.sh" --arch "$arch")
case $arch in
x86_64) busybox=/bin/busybox ;;
arm64) busybox=$HVOBENCH_BUILD/debs/busybox-arm64/bin/busybox ;;
esac
[ "$(uname -m)" = aarch64 ] && [ "$arch" = arm64 ] && busybox=/bin/busybox
[ -x "$busybox" ] || hvo_die "no static busybox for $arch at $busybox (scripts/kernel-deps.sh --arch $arch)"

work=$(mktemp -d "${TMPDIR:-/tmp}/qemu-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc}
cp "$busybox" "$root/bin/busybox"
for applet in sh mount cat echo grep sed awk sleep dmesg reboot poweroff \
	      head tail wc mkdir zcat gzip base64 md5sum cut tr uname sync \
	      true false test env; do
	ln -s busybox "$root/bin/$applet"
done
"$(hvo_cross "$arch")strip" -o "$root/bin/hvobench" "$bin"
install -m 0755 "$HVO_REPO/scripts/guest/bench-init" "$root/init"
nonce=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "NONCE=$nonce" > "$root/etc/hvobench.conf"
args=(--suite="$suite" ${filter:+--filter="$filter"} "${extra[@]}")
printf '%s\n' "${args[@]}" > "$root/etc/hvobench.args"
[ -n "$ptdump" ] && touch "$root/etc/hvobench.ptdump"
[ -n "$kconfig" ] && { cp "$kconfig" "$root/etc/kernel.config" || hvo_die "cannot read --kconfig $kconfig"; }
initrd=$work/initramfs.cpio.gz
(cd "$root" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -1 > "$initrd"

# --- boot -------------------------------------------------------------------------
cmdline="panic=-1${append:+ $append}"
case $arch in
x86_64)
	qemu=(qemu-system-x86_64 -M pc -cpu max -accel tcg)
	cmdline="console=ttyS0 $cmdline"
	;;
arm64)
	qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -accel tcg)
	cmdline="console=ttyAMA0 $cmdline"
	;;
esac
: "${mem:=4G}"
: "${timeout:=$([ "$suite" = full ] && echo 3600 || echo 1200)}"
# A plugin's callbacks on one thread (tlbsim's region state is global).
[ -n "$plugin" ] && qemu=("${qemu[@]/#tcg/tcg,thread=single}" -plugin "$plugin")
qemu+=(-smp 2 -m "$mem" -kernel "$kernel" -initrd "$initrd" -append "$cmdline"
       -display none -monitor none -serial stdio -no-reboot)

raw=$work/serial.raw
hvo_log "qemu-bench: $arch ${kernel} [$cmdline] hvobench run ${args[*]} (timeout ${timeout}s)"
start=$(date +%s.%N)
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
set +e
timeout --kill-after=10 "$timeout" "${qemu[@]}" < /dev/null > "$raw" 2>&1
qrc=$?
set -e
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
tr -d '\r' < "$raw" > "$outdir/serial.log"
log=$outdir/serial.log

# --- judge ------------------------------------------------------------------------
reasons=()
fail() { reasons+=("$*"); }
{ [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; } && fail "QEMU timed out after ${timeout}s"
grep -q "^HVOBENCH-DONE $nonce" "$log" || fail "guest did not finish (qemu exit $qrc)"

# Kernel trouble.  Same known-benign exception as scripts/qemu-boot.sh:
# stable_page_flags() vs a folio being freed (/proc/kpageflags, DEBUG_VM).
known_re='WARNING: CPU: [0-9]+ PID: [0-9]+ at [^ ]*include/linux/mm\.h:[0-9]+ stable_page_flags\+'
bad_re='(^|\] )(WARNING:|BUG:|Oops|Unable to handle kernel|Kernel panic|kernel BUG|Internal error:)'
# The console interleaves kernel lines with hvobench's progress line: quote
# the message from the keyword on.
bad=$(grep -E "$bad_re" "$log" | grep -v -E "$known_re" | head -1 |
	grep -o -E '(WARNING:|BUG:|Oops|Unable to handle kernel|Kernel panic|kernel BUG|Internal error:).*' || true)
nbad=$(grep -E "$bad_re" "$log" | grep -c -v -E "$known_re" || true)
[ -n "$bad" ] && fail "kernel log has $nbad WARN/BUG/Oops/panic line(s), first: $bad"

hrc=$(sed -n 's/^HVOBENCH-RC \([0-9]*\).*/\1/p' "$log" | tail -1)
[ -n "$hrc" ] && [ "$hrc" != 0 ] && fail "hvobench run exited $hrc in the guest"
grep -q '^HVOBENCH-INFO config FILE_LOCKING=y' "$log" ||
	fail "guest kernel has no CONFIG_FILE_LOCKING: hvobench cannot take its kernel-state lock and skips every privileged benchmark (rebuild: scripts/kernel-build.sh)"

cs=$(sed -n 's/^HVOBENCH-INFO clocksource_at_start=\([^ ]*\).*/\1/p' "$log" | tail -1)
case $cs in
*jiffies*|tsc-early) fail "guest measured on clocksource '$cs', not a fine one" ;;
esac
rm -f "$outdir/result.json"
sum=$(sed -n "s/^HVOBENCH-JSON-END $nonce \([0-9a-f]*\)\$/\1/p" "$log" | tail -1)
if [ -n "$sum" ]; then
	sed -n "/^HVOBENCH-JSON-BEGIN $nonce\$/,/^HVOBENCH-JSON-END $nonce /p" "$log" |
		sed '1d;$d' | grep -E '^[A-Za-z0-9+/=]+$' | base64 -d > "$work/r.json.gz" ||
		true
	if [ "$(md5sum < "$work/r.json.gz" | cut -d' ' -f1)" != "$sum" ]; then
		fail "result JSON came back damaged (md5 mismatch)"
	else
		gunzip -c "$work/r.json.gz" > "$outdir/result.json"
	fi
else
	fail "no result JSON on the console"
fi
rows=0 skipped=0
if [ -s "$outdir/result.json" ]; then
	read -r rows skipped < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = [b for b in d.get("benchmarks", []) if b.get("run_type") == "iteration"]
print(len(rows), len(d.get("hvobench_skipped", [])))' "$outdir/result.json") ||
		fail "result.json is not valid JSON"
	[ "$rows" -gt 0 ] || fail "result.json has no rows ($skipped skipped: $(python3 -c '
import json, sys
s = json.load(open(sys.argv[1])).get("hvobench_skipped", [])
print("; ".join(x["name"] + ": " + x.get("reason", "") for x in s[:3]))' "$outdir/result.json"))"
fi

verdict=PASS why=
if [ ${#reasons[@]} -gt 0 ]; then
	verdict=FAIL
	why=$(printf '%s; ' "${reasons[@]}")
	why=${why%; }
fi
info() { sed -n "s/^HVOBENCH-INFO //p" "$log"; }
{
	echo "# hvobench in QEMU: $(basename "$outdir")"
	echo "# started=$started host=$(uname -n) host_cpus=$(nproc) load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# qemu=$("${qemu[0]}" --version | head -1 | awk '{ print $4 }') accel=tcg smp=2 mem=$mem"
	[ -n "$plugin" ] && echo "# plugin=$plugin (tcg thread=single)"
	echo "# kernel=$kernel"
	echo "# cmdline=$cmdline"
	echo "# hvobench=$(git -C "$HVO_REPO" describe --always --dirty 2>/dev/null || echo ?) static=$bin"
	echo "# hvobench run ${args[*]}"
	echo "# wall_seconds=$elapsed qemu_exit=$qrc hvobench_rc=${hrc:-?} rows=$rows skipped=$skipped"
	echo "# TCG timings are emulation timings, not hardware timings."
	info
	echo "VERDICT $verdict${why:+: $why}"
} > "$outdir/run.txt"
hvo_log "qemu-bench: $verdict in ${elapsed}s, $rows rows, $skipped skipped -> $outdir${why:+ ($why)}"
[ "$verdict" = PASS ]
