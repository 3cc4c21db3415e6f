#!/bin/bash
# Negative controls for the QEMU boot checks: build the patched kernel plus
# one deliberately wrong patch from kernel-patch/controls/, boot it, and
# require the boot check to FAIL (a check that cannot fail proves nothing).
#
#   scripts/kernel-control.sh [--arch x86_64|arm64] --control NAME
#                             [--stress SECONDS] [--out DIR] [--expect CHECK]
#
# NAME is kernel-patch/controls/NAME.patch.  The kernel is built
# incrementally from a copy of the patched build (scripts/kernel-build.sh
# --variant patched first); the control patch is applied to the patched
# tree only for that build and reverted afterwards.  --expect CHECK (default
# vmemmap_faults) is the guest check that must FAIL.  The boot's outcome
# goes to DIR/<arch>-control-NAME.{result,log} (default
# results/kernel/controls); exits 0 when the control failed as required.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=x86_64 control= stress=20 outdir=$HVO_REPO/results/kernel/controls expect=vmemmap_faults
while [ $# -gt 0 ]; do
	case $1 in
	--arch) [ $# -ge 2 ] || hvo_usage "--arch needs a value"; arch=$2; shift 2 ;;
	--control) [ $# -ge 2 ] || hvo_usage "--control needs a name"; control=$2; shift 2 ;;
	--stress) [ $# -ge 2 ] || hvo_usage "--stress needs seconds"; stress=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || hvo_usage "--out needs a directory"; outdir=$2; shift 2 ;;
	--expect) [ $# -ge 2 ] || hvo_usage "--expect needs a check name"; expect=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
	esac
done
hvo_karch "$arch" >/dev/null
[ -n "$control" ] || hvo_usage "--control NAME is required (kernel-patch/controls/NAME.patch)"
patch=$HVO_PATCHDIR/controls/$control.patch
[ -f "$patch" ] || hvo_usage "no control patch $patch"
[[ $stress =~ ^[0-9]+$ ]] || hvo_usage "--stress $stress: not a number of seconds"
src_build=$(hvo_builddir "$arch" patched)
[ -f "$(hvo_image "$arch" patched)" ] ||
	hvo_die "no patched $arch build in $src_build (scripts/kernel-build.sh --arch $arch --variant patched)"

out=$HVOBENCH_BUILD/build/$arch-control-$control
case $arch in
x86_64) target=bzImage image=$out/arch/x86/boot/bzImage ;;
arm64) target=Image image=$out/arch/arm64/boot/Image ;;
esac

exec 9> "$HVOBENCH_BUILD/.prep.lock"
flock 9
hvo_log "copying $src_build to $out"
rsync -a --delete "$src_build/" "$out/"
hvo_set_makeargs "$arch" patched
makeargs=()
for a in "${HVO_MAKEARGS[@]}"; do
	case $a in O=*) makeargs+=(O="$out") ;; *) makeargs+=("$a") ;; esac
done
git -C "$HVO_WT_PATCHED" apply "$patch" || hvo_die "$patch does not apply to the patched tree"
trap 'git -C "$HVO_WT_PATCHED" apply -R "$patch"' EXIT
hvo_log "building $arch-control-$control ($target) in $out"
make "${makeargs[@]}" -j"$(hvo_jobs)" "$target" > "$out/hvobench-build.log" 2>&1 ||
	{ tail -30 "$out/hvobench-build.log" >&2; hvo_die "control build failed, log: $out/hvobench-build.log"; }
git -C "$HVO_WT_PATCHED" apply -R "$patch"
trap - EXIT
flock -u 9

"$HVO_REPO/scripts/qemu-initramfs.sh" --arch "$arch" --variant patched > /dev/null
name=$arch-control-$control
if "$HVO_REPO/scripts/qemu-boot.sh" --arch "$arch" --variant patched --kernel "$image" \
	--name "$name" --out "$outdir" --stress "$stress" --quick; then
	hvo_log "CONTROL NOT DETECTED: $name passed the boot check"
	exit 1
fi
if grep -q "^HVOTEST FAIL $expect " "$outdir/$name.result"; then
	hvo_log "control detected: $(grep -m1 "^HVOTEST FAIL $expect " "$outdir/$name.result")"
	echo "CONTROL DETECTED $name: $expect FAIL" >> "$outdir/$name.result"
else
	hvo_log "CONTROL NOT DETECTED by $expect (the boot failed otherwise, see $outdir/$name.result)"
	exit 1
fi
