#!/bin/bash
# Install what the kernel builds and QEMU boot checks need (Debian 12), and
# fetch the base tree of the series: Debian sid's linux-source-7.2 (the
# version and checksums in kernel-patch/BASE).  Idempotent: only calls
# apt-get when something is missing.
#
#   scripts/kernel-deps.sh [--arch x86_64|arm64|all] [--no-source]
#
# The sid package is fetched with a private apt sources list, lists and
# cache under $HVOBENCH_SID (default /var/tmp/hvobench-sid, shared by
# every build dir): the machine's own apt configuration is never touched.
# A .deb already there is reused when its sha256 is the one in BASE.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=all source=1
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--no-source) source=; shift ;;
	-h|--help) sed -n '2,13p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
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
case $arch in
x86_64|arm64|all) ;;
*) hvo_usage "unknown arch '$arch' (x86_64|arm64|all)" ;;
esac

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done

updated=
apt_update() {
	[ -n "$updated" ] && return 0
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	updated=1
}

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
	hvo_log "installing: ${missing[*]}"
	apt_update
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
# --- the base tree: linux-source-7.2 from Debian sid ----------------------------
fetch_source() {
	local d=$HVOBENCH_SID deb want_deb want_tar ver
	ver=$(hvo_base_get PACKAGE_VERSION)
	want_deb=$(hvo_base_get DEB_SHA256)
	want_tar=$(hvo_base_get TARBALL_SHA256)
	deb=$d/$(hvo_base_get PACKAGE)_${ver}_all.deb
	mkdir -p "$d"
	exec 8> "$d/.fetch.lock"
	flock 8
	if [ -f "$HVO_TARBALL" ] && [ "$(sha256sum < "$HVO_TARBALL" | cut -c1-64)" = "$want_tar" ]; then
		hvo_log "base tarball present: $HVO_TARBALL ($(hvo_base_get PACKAGE) $ver)"
		return 0
	fi
	if [ ! -f "$deb" ] || [ "$(sha256sum < "$deb" | cut -c1-64)" != "$want_deb" ]; then
		rm -f "$deb"
		hvo_log "downloading $(hvo_base_get PACKAGE)=$ver from Debian sid into $d"
		hvo_apt_download "$d" sid "$(hvo_base_get PACKAGE)=$ver" ||
			hvo_die "cannot download $(hvo_base_get PACKAGE)=$ver from sid (see $d/update.log and $d/dl.log; if sid moved on, build with --src DIR)"
		[ "$(sha256sum < "$deb" | cut -c1-64)" = "$want_deb" ] ||
			hvo_die "$deb: sha256 differs from kernel-patch/BASE"
	fi
	hvo_log "unpacking $deb"
	rm -rf "$d/x.tmp"
	dpkg-deb -x "$deb" "$d/x.tmp"
	[ "$(sha256sum < "$d/x.tmp/${HVO_TARBALL#"$d/x/"}" | cut -c1-64)" = "$want_tar" ] ||
		hvo_die "the tarball in $deb does not have the sha256 in kernel-patch/BASE"
	rm -rf "$d/x"
	mv "$d/x.tmp" "$d/x"
}
[ -n "$source" ] && fetch_source
hvo_log "kernel build/boot dependencies present"
