#!/usr/bin/env bash
# Install what hvobench needs to build, test and benchmark, from the
# distribution only.  Quiet when everything is present.
#   scripts/deps.sh [build|test|kernel|deb]   (default: test, a superset of build)
set -euo pipefail
want=${1:-test}

deb_build=(cmake make gcc pkg-config git libjansson-dev libhwloc-dev libpfm4-dev
	   libsqlite3-dev)
deb_test=(libcmocka-dev gnuplot-nox libbenchmark-dev libbenchmark-tools
	  python3 python3-scipy g++ util-linux clang libglib2.0-dev
	  ansible-core openssh-server)
deb_kernel=(flex bison bc libelf-dev libssl-dev cpio xz-utils ccache
	    gcc-aarch64-linux-gnu qemu-system-x86 qemu-system-arm
	    busybox-static linux-source-6.12)
rpm_build=(cmake make gcc pkgconf-pkg-config git jansson-devel hwloc-devel
	   libpfm-devel sqlite-devel)
rpm_test=(libcmocka-devel gnuplot google-benchmark-devel python3-scipy
	  gcc-c++ util-linux clang ansible-core openssh-server)

case $want in
build) pkgs_deb=("${deb_build[@]}"); pkgs_rpm=("${rpm_build[@]}") ;;
test) pkgs_deb=("${deb_build[@]}" "${deb_test[@]}")
      pkgs_rpm=("${rpm_build[@]}" "${rpm_test[@]}") ;;
kernel) pkgs_deb=("${deb_kernel[@]}"); pkgs_rpm=() ;;
deb) pkgs_deb=("${deb_build[@]}" debhelper dpkg-dev); pkgs_rpm=() ;;
*) echo "deps.sh: unknown set '$want' (build, test, kernel, deb)" >&2; exit 2 ;;
esac

sudo=""
[[ $(id -u) == 0 ]] || sudo=sudo

if command -v dpkg-query >/dev/null; then
	missing=()
	for p in "${pkgs_deb[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || exit 0
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq || true
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v dnf >/dev/null; then
	((${#pkgs_rpm[@]})) || { echo "deps: set '$want' is Debian-only; install its equivalents by hand" >&2; exit 1; }
	$sudo dnf install -y "${pkgs_rpm[@]}"
else
	echo "deps: no apt or dnf here; install by hand: ${pkgs_deb[*]}" >&2
	exit 1
fi
