#!/bin/bash
# Install what the kernel builds and QEMU boot checks need (Debian 12).
# Idempotent: only calls apt-get when something is missing.
#
#   scripts/kernel-deps.sh [--arch x86_64|arm64|all]
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=all
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	-h|--help) sed -n '2,6p' "$0"; exit 0 ;;
	*) hvo_die "unknown option $1" ;;
	esac
done

pkgs=(build-essential flex bison bc libelf-dev libssl-dev cpio ccache
      busybox-static git rsync xz-utils perl python3 file
      python3-ply python3-git)  # the last two for checkpatch's spdxcheck.py
case $arch in
x86_64|all) pkgs+=(qemu-system-x86) ;;
esac
case $arch in
arm64|all) pkgs+=(qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross) ;;
esac
# The Debian 6.12 source, unless the user gives --src to the build script.
[ -f /usr/src/linux-source-6.12.tar.xz ] || pkgs+=(linux-source-6.12)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done

updated=
apt_update() {
	[ -n "$updated" ] && return 0
	apt-get update -qq
	updated=1
}

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
	hvo_log "installing: ${missing[*]}"
	apt_update
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# arm64 busybox: busybox-static:arm64 cannot be installed next to the host's
# busybox-static (same path), so download the package and unpack it into the
# build area.
if [ "$arch" = arm64 ] || [ "$arch" = all ]; then
	bb=$HVOBENCH_BUILD/debs/busybox-arm64/bin/busybox
	if [ ! -x "$bb" ]; then
		if ! dpkg --print-foreign-architectures | grep -qx arm64; then
			dpkg --add-architecture arm64
			updated=
		fi
		apt_update
		mkdir -p "$HVOBENCH_BUILD/debs"
		(cd "$HVOBENCH_BUILD/debs" &&
		 rm -f busybox-static_*_arm64.deb &&
		 apt-get download -qq busybox-static:arm64 2>/dev/null &&
		 dpkg-deb -x busybox-static_*_arm64.deb busybox-arm64)
		[ -x "$bb" ] || hvo_die "could not get an arm64 busybox"
	fi
fi
hvo_log "kernel build/boot dependencies present"
