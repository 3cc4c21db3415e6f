#!/bin/bash
# A newer QEMU for the matrix rows QEMU 7.2 cannot run: bookworm-backports'
# qemu-system-arm (10.0), downloaded with a private apt list and unpacked
# into $HVOBENCH_BUILD/qemu-backports, never installed.  Prints the
# directory whose qemu-system-aarch64 runs it.
#
#   scripts/qemu-backports.sh
#
# Why: under QEMU 7.2's TCG MTE, stock 7.2.13 with KASAN_HW_TAGS dies in
# kmem_cache_init() (a tag mismatch in bootstrap()); under 10.0 the same
# image boots and runs every check (results/kernel/matrix/README.md).
# Its modules must be the ones of the same build, so the wrapper binds
# them over the system's in a private mount namespace (root only, which
# the matrix is anyway).  The machine's apt configuration is not touched.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

[ $# -eq 0 ] || hvo_usage "takes no arguments"
d=$HVOBENCH_BUILD/qemu-backports
bin=$d/bin/qemu-system-aarch64
mods=/usr/lib/x86_64-linux-gnu/qemu
if [ ! -x "$bin" ]; then
	[ "$(id -u)" = 0 ] || hvo_die "needs root (a mount namespace for the modules)"
	[ -d "$mods" ] || hvo_die "no $mods (scripts/kernel-deps.sh installs qemu-system-arm)"
	mkdir -p "$d/bin"
	hvo_log "downloading qemu-system-arm from bookworm-backports into $d"
	rm -f "$d"/*.deb
	hvo_apt_download "$d" bookworm-backports qemu-system-arm qemu-system-common qemu-system-data ||
		hvo_die "download from bookworm-backports failed, see $d/update.log and $d/dl.log"
	rm -rf "$d/x"
	for f in "$d"/*.deb; do dpkg-deb -x "$f" "$d/x"; done
	cat > "$bin.tmp" <<-EOF
	#!/bin/sh
	# bookworm-backports QEMU with its own modules (scripts/qemu-backports.sh)
	exec unshare -m sh -c 'mount --bind "\$0$mods" $mods && exec "\$0/usr/bin/qemu-system-aarch64" -L "\$0/usr/share/qemu" "\$@"' "$d/x" "\$@"
	EOF
	chmod +x "$bin.tmp"
	mv "$bin.tmp" "$bin"
fi
"$bin" --version | grep -q 'QEMU emulator version' || hvo_die "$bin does not run"
echo "$d/bin"
