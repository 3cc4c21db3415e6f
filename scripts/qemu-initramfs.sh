#!/bin/bash
# Build the guest initramfs for the QEMU boot checks: static busybox, the
# init script (scripts/guest/init), the kernel's own hugetlb-vmemmap
# selftest (hugepage-vmemmap before 7.0) built statically from the same tree
# as the kernel (after headers_install), and scripts/guest/hvo-stress.c.
#
#   scripts/qemu-initramfs.sh [--arch x86_64|arm64] [--variant stock|patched]
#
# Prints the path of the initramfs (gzip'ed newc cpio).
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=x86_64 variant=patched
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	-h|--help) sed -n '2,9p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
	esac
done
hvo_karch "$arch" >/dev/null
tree=$(hvo_tree "$variant")
out=$(hvo_builddir "$arch" "$variant")
gdir=$(hvo_guestdir "$arch" "$variant")
cross=$(hvo_cross "$arch")
[ -d "$out/hdr/include" ] || hvo_die "no installed headers in $out/hdr: run scripts/kernel-build.sh --arch $arch --variant $variant"

case $arch in
x86_64) busybox=/bin/busybox ;;
arm64) busybox=$HVOBENCH_BUILD/debs/busybox-arm64/bin/busybox ;;
esac
if [ "$(uname -m)" = aarch64 ] && [ "$arch" = arm64 ]; then
	busybox=/bin/busybox
fi
[ -x "$busybox" ] || hvo_die "no static busybox for $arch at $busybox (scripts/kernel-deps.sh)"

rm -rf "$gdir/root"
mkdir -p "$gdir/root"/{bin,sbin,proc,sys,dev,tmp,etc}
root=$gdir/root
cflags=(-static -O2 -Wall -I"$out/hdr/include")

sel=$tree/tools/testing/selftests/mm
selftest=hugetlb-vmemmap
[ -f "$sel/$selftest.c" ] || selftest=hugepage-vmemmap
# 7.2 moved the hugetlb pool helpers out of vm_util.c.
selsrc=("$sel/$selftest.c" "$sel/vm_util.c")
[ -f "$sel/hugepage_settings.c" ] && selsrc+=("$sel/hugepage_settings.c")
"${cross}gcc" "${cflags[@]}" -I"$tree/tools/testing/selftests" \
	-o "$root/bin/hugepage-vmemmap" "${selsrc[@]}" \
	2> "$gdir/hugepage-vmemmap.build.log" ||
	{ cat "$gdir/hugepage-vmemmap.build.log" >&2; hvo_die "building $selftest failed"; }
"${cross}gcc" "${cflags[@]}" -Wextra -o "$root/bin/hvo-stress" \
	"$HVO_REPO/scripts/guest/hvo-stress.c" -lpthread ||
	hvo_die "building hvo-stress failed"
"${cross}strip" "$root/bin/hugepage-vmemmap" "$root/bin/hvo-stress"

cp "$busybox" "$root/bin/busybox"
for applet in sh ash mount umount cat echo grep sed awk sleep dmesg reboot \
	      poweroff head tail wc cp mkdir zcat cut tr uname ls rm sync \
	      true false test env; do
	ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$HVO_REPO/scripts/guest/init" "$root/init"

(cd "$root" && find . -print0 | sort -z |
	cpio --null -o -H newc --owner 0:0 --quiet) | gzip -1 > "$gdir/initramfs.cpio.gz"
hvo_log "initramfs $gdir/initramfs.cpio.gz ($(du -h "$gdir/initramfs.cpio.gz" | cut -f1))"
echo "$gdir/initramfs.cpio.gz"
