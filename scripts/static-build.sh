#!/bin/bash
# Build a static hvobench for a QEMU guest (cmake -DHVOBENCH_STATIC=ON).
#
#   scripts/static-build.sh [--arch x86_64|arm64]
#
# x86_64 links the host's static libraries (libjansson.a, libhwloc.a,
# libpfm.a from the -dev packages).  arm64 is a cross build against a
# private sysroot: the arm64 -dev packages are fetched with apt-get download
# and unpacked with dpkg -x under $HVOBENCH_BUILD/sysroot-arm64, so nothing
# is installed on the host (needs aarch64-linux-gnu-gcc and Debian's arm64
# package lists: dpkg --add-architecture arm64 && apt-get update).
#
# Build directory: $HVOBENCH_BUILD/hvobench-static-<arch>.  Prints the path
# of the binary.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=x86_64
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
	*) hvo_die "unknown option $1" ;;
	esac
done
hvo_karch "$arch" >/dev/null
bdir=$HVOBENCH_BUILD/hvobench-static-$arch
cross=$(hvo_cross "$arch")
args=(-DHVOBENCH_STATIC=ON -DCMAKE_BUILD_TYPE=Release)

if [ -n "$cross" ]; then
	[ "$arch" = arm64 ] || hvo_die "cross builds are arm64 only (host $(uname -m))"
	command -v "${cross}gcc" >/dev/null ||
		hvo_die "no ${cross}gcc (apt-get install gcc-aarch64-linux-gnu)"
	sysroot=$HVOBENCH_BUILD/sysroot-arm64
	# cmocka: only for bench/tests to configure (the tests are not built)
	pkgs=(libjansson-dev libjansson4 libhwloc-dev libhwloc15 libpfm4-dev libpfm4
	      libcmocka-dev libcmocka0)
	if [ ! -f "$sysroot/.complete" ]; then
		debs=$HVOBENCH_BUILD/debs/arm64-sysroot-debs
		mkdir -p "$debs"
		rm -rf "$sysroot"
		(cd "$debs" && apt-get download "${pkgs[@]/%/:arm64}" 2>&1 |
			grep -v -e '^Get:' -e '^Fetched' -e 'unsandboxed' >&2) ||
			true
		for p in "${pkgs[@]}"; do
			deb=$(ls "$debs/${p}"_*_arm64.deb 2>/dev/null | head -1)
			[ -n "$deb" ] || hvo_die "could not download $p:arm64 (dpkg --add-architecture arm64 && apt-get update?)"
			dpkg -x "$deb" "$sysroot"
		done
		touch "$sysroot/.complete"
	fi
	libdir=$sysroot/usr/lib/aarch64-linux-gnu
	export PKG_CONFIG_LIBDIR=$libdir/pkgconfig
	export PKG_CONFIG_SYSROOT_DIR=$sysroot
	args+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
	       -DCMAKE_C_COMPILER="${cross}gcc"
	       -DCMAKE_FIND_ROOT_PATH="$sysroot"
	       -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER
	       -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY
	       -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY
	       -DCMAKE_C_FLAGS="-isystem $sysroot/usr/include -isystem $sysroot/usr/include/aarch64-linux-gnu")
fi

# One build dir per arch: a checkout elsewhere (CI's fresh clone) starts
# it over instead of tripping on the other source's CMake cache.
if [ -f "$bdir/CMakeCache.txt" ] &&
	! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$HVO_REPO" "$bdir/CMakeCache.txt"; then
	rm -rf "$bdir"
fi
mkdir -p "$bdir"
cmake -S "$HVO_REPO" -B "$bdir" "${args[@]}" > "$bdir/configure.log" 2>&1 ||
	{ tail -20 "$bdir/configure.log" >&2; hvo_die "cmake configure failed ($bdir/configure.log)"; }
# Only the executable: the unit tests link the shared libraries.
cmake --build "$bdir" --target hvobench -j "$(hvo_jobs)" > "$bdir/build.log" 2>&1 ||
	{ grep -E 'error|undefined' "$bdir/build.log" | head -20 >&2; hvo_die "static build failed ($bdir/build.log)"; }
file "$bdir/hvobench" | grep -q 'statically linked' ||
	hvo_die "$bdir/hvobench is not statically linked"
hvo_log "static hvobench ($arch): $bdir/hvobench ($(du -h "$bdir/hvobench" | cut -f1))"
echo "$bdir/hvobench"
