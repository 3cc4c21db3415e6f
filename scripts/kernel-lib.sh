# shellcheck shell=bash
# Common settings and helpers for scripts/kernel-*.sh and scripts/qemu-*.sh.
# Sourced, not executed.
#
# Layout (all outside the repository, never committed):
#   $HVOBENCH_BUILD/src            the base tree, a git repository (commit
#                                  tagged hvobench-base); stock builds use it
#   $HVOBENCH_BUILD/wt-patched     git worktree: base + kernel-patch/ series
#   $HVOBENCH_BUILD/build/<arch>-<variant>/   out-of-tree kernel builds
#   $HVOBENCH_BUILD/guest/<arch>-<variant>/   guest programs and initramfs
#   $HVOBENCH_BUILD/debs           downloaded packages (arm64 busybox)

HVO_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HVO_PATCHDIR=$HVO_REPO/kernel-patch
HVOBENCH_BUILD=${HVOBENCH_BUILD:-/var/tmp/hvobench-kernel}
HVO_SRC=$HVOBENCH_BUILD/src
HVO_WT_PATCHED=$HVOBENCH_BUILD/wt-patched
HVO_BASE_TAG=hvobench-base
# Debian sid's linux-source package (kernel-patch/BASE), fetched by
# scripts/kernel-deps.sh into a cache shared by all build dirs.
HVOBENCH_SID=${HVOBENCH_SID:-/var/tmp/hvobench-sid}
HVO_TARBALL=$HVOBENCH_SID/x/$(sed -n 's/^TARBALL=//p' "$HVO_PATCHDIR/BASE")
HVO_GIT=(git -c user.name="hvobench developers"
	 -c user.email=hvobench@example.org -c advice.detachedHead=false)

hvo_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
hvo_die() { hvo_log "ERROR: $*"; exit 1; }
# Bad input: one line, exit status 2.
hvo_usage() { echo "$(basename "$0"): $*" >&2; exit 2; }

# A KEY=value of kernel-patch/BASE.
hvo_base_get() {
	sed -n "s/^$1=//p" "$HVO_PATCHDIR/BASE" | head -1
}

# Source tree of a variant.
hvo_tree() {
	case $1 in
	stock) echo "$HVO_SRC" ;;
	patched) echo "$HVO_WT_PATCHED" ;;
	*) hvo_usage "unknown variant '$1' (stock|patched)" ;;
	esac
}

hvo_builddir() { echo "$HVOBENCH_BUILD/build/$1-$2"; }
hvo_guestdir() { echo "$HVOBENCH_BUILD/guest/$1-$2"; }

# Kernel ARCH, cross compiler prefix and image for an hvobench arch name.
hvo_karch() {
	case $1 in
	x86_64) echo x86_64 ;;
	arm64) echo arm64 ;;
	*) hvo_usage "unknown arch '$1' (x86_64|arm64)" ;;
	esac
}

hvo_cross() {
	local host
	host=$(uname -m)
	case $1 in
	x86_64) [ "$host" = x86_64 ] || echo x86_64-linux-gnu- ;;
	arm64) [ "$host" = aarch64 ] || echo aarch64-linux-gnu- ;;
	esac
}

hvo_image() {
	case $1 in
	x86_64) echo "$(hvo_builddir "$1" "$2")/arch/x86/boot/bzImage" ;;
	arm64) echo "$(hvo_builddir "$1" "$2")/arch/arm64/boot/Image" ;;
	esac
}

# Patches of the series, in order.
hvo_series_files() {
	local p
	grep -v -e '^#' -e '^[[:space:]]*$' "$HVO_PATCHDIR/series" |
	while read -r p; do
		echo "$HVO_PATCHDIR/$p"
	done
}

hvo_series_hash() {
	# shellcheck disable=SC2046
	cat "$HVO_PATCHDIR/series" $(hvo_series_files) | sha256sum | cut -c1-16
}

hvo_jobs() {
	local n
	n=$(nproc)
	echo "${HVO_JOBS:-$((n + 1))}"
}

# make arguments for an out-of-tree build of <arch> <variant>, in HVO_MAKEARGS.
# The same arguments everywhere, or kbuild rebuilds everything.
hvo_set_makeargs() {
	local tree out cross
	tree=$(hvo_tree "$2")
	out=$(hvo_builddir "$1" "$2")
	cross=$(hvo_cross "$1")
	HVO_MAKEARGS=(-C "$tree" O="$out" ARCH="$(hvo_karch "$1")"
		      CROSS_COMPILE="$cross"
		      KBUILD_BUILD_USER=hvobench KBUILD_BUILD_HOST=hvobench
		      KBUILD_BUILD_TIMESTAMP="$(git -C "$tree" log -1 --format=%cd)")
	if command -v ccache >/dev/null; then
		HVO_MAKEARGS+=(CC="ccache ${cross}gcc")
		export CCACHE_BASEDIR=$HVOBENCH_BUILD
	fi
}

# Download Debian packages into <dir> from <suite> with a private apt list
# (sources, lists and cache all under <dir>): the machine's apt
# configuration is never touched.  Logs: <dir>/update.log, <dir>/dl.log.
hvo_apt_download() { # <dir> <suite> <package[=version]>...
	local d=$1 suite=$2 a
	shift 2
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"${HVOBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}" "$suite" > "$d/$suite.sources"
	a=(-o Dir::Etc::sourcelist="$d/$suite.sources" -o Dir::Etc::sourceparts=/dev/null
	   -o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache")
	apt-get "${a[@]}" update -qq > "$d/update.log" 2>&1 || return 1
	(cd "$d" && apt-get "${a[@]}" download "$@") > "$d/dl.log" 2>&1
}
