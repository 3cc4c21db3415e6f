#!/bin/bash
# Prepare a Linux source tree, apply the kernel-patch/ series (or not) and
# build a trimmed QEMU test kernel out of tree.
#
#   scripts/kernel-build.sh [--arch x86_64|arm64] [--variant stock|patched]
#                           [--src DIR | --tarball FILE] [--jobs N]
#                           [--prep-only] [--no-deps]
#
# The base tree is Debian sid's linux-source-7.2 tarball (kernel-patch/BASE;
# scripts/kernel-deps.sh fetches it).
# --src DIR    use this kernel tree instead (copied, never modified)
# --tarball FILE  use this linux-source tarball instead (e.g. Debian 12's
#              /usr/src/linux-source-6.12.tar.xz for a stock baseline)
# --prep-only  unpack/git-init/apply the series, do not configure or build
#
# Build products go to $HVOBENCH_BUILD (default /var/tmp/hvobench-kernel):
#   build/<arch>-<variant>/arch/.../{bzImage,Image}, hdr/ (uapi headers),
#   hvobench-build.txt (how long it took, which config).
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

arch=x86_64 variant=patched src= tarball=$HVO_TARBALL prep_only= deps=1
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	--src) [ -d "$2" ] || hvo_usage "--src $2: not a directory"
	       src=$(cd "$2" && pwd); shift 2 ;;
	--tarball) [ -f "$2" ] || hvo_usage "--tarball $2: no such file"
		   tarball=$(realpath "$2"); shift 2 ;;
	--jobs|-j) HVO_JOBS=$2; shift 2 ;;
	--prep-only) prep_only=1; shift ;;
	--no-deps) deps=; shift ;;
	-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
	esac
done
karch=$(hvo_karch "$arch")
hvo_tree "$variant" >/dev/null
if [ -n "$deps" ]; then
	dargs=(--arch "$arch")
	# the sid tarball is only needed when it is the base
	if [ -n "$src" ] || [ "$tarball" != "$HVO_TARBALL" ]; then
		dargs+=(--no-source)
	fi
	"$HVO_REPO/scripts/kernel-deps.sh" "${dargs[@]}"
fi

# --- 1. the base tree: unpack, git init, commit, tag ------------------------
prepare_base() {
	local origin tmp
	if [ -n "$src" ]; then
		origin="dir:$src"
	else
		[ -f "$tarball" ] || hvo_die "$tarball missing (scripts/kernel-deps.sh fetches it) and no --src"
		origin="tar:$tarball:$(stat -c %s-%Y "$tarball")"
	fi
	if [ -d "$HVO_SRC/.git" ] &&
	   [ "$(cat "$HVOBENCH_BUILD/src.origin" 2>/dev/null)" = "$origin" ] &&
	   git -C "$HVO_SRC" rev-parse -q --verify "refs/tags/$HVO_BASE_TAG" >/dev/null; then
		return 0
	fi
	hvo_log "preparing base tree from ${origin%%:*} ${src:-$tarball}"
	rm -rf "$HVO_SRC" "$HVO_WT_PATCHED" "$HVOBENCH_BUILD/wt-patched.series"
	tmp=$HVO_SRC.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if [ -n "$src" ]; then
		rsync -a --exclude=.git "$src/" "$tmp/"
	else
		tar -xf "$tarball" -C "$tmp" --strip-components=1
	fi
	local kver
	kver=$(make -s -C "$tmp" kernelversion)
	(
		cd "$tmp"
		"${HVO_GIT[@]}" init -q -b hvobench-base-branch
		# Debian's .gitignore ignores the whole top level: force.
		"${HVO_GIT[@]}" add -f -A
		"${HVO_GIT[@]}" commit -q -m "Linux $kver (hvobench base: ${src:-$tarball})"
		"${HVO_GIT[@]}" tag "$HVO_BASE_TAG"
	)
	mv "$tmp" "$HVO_SRC"
	echo "$origin" > "$HVOBENCH_BUILD/src.origin"
}

# --- 2. the patched worktree: base + git am of the series --------------------
prepare_patched() {
	local want have
	want=$(hvo_series_hash)
	have=$(cat "$HVOBENCH_BUILD/wt-patched.series" 2>/dev/null || true)
	if [ -d "$HVO_WT_PATCHED" ] && [ "$want" = "$have" ]; then
		return 0
	fi
	hvo_log "applying the series to $HVO_WT_PATCHED"
	if [ ! -d "$HVO_WT_PATCHED" ]; then
		git -C "$HVO_SRC" worktree prune
		"${HVO_GIT[@]}" -C "$HVO_SRC" worktree add -q --detach \
			"$HVO_WT_PATCHED" "$HVO_BASE_TAG"
	fi
	rm -f "$HVOBENCH_BUILD/wt-patched.series"
	(
		cd "$HVO_WT_PATCHED"
		"${HVO_GIT[@]}" am --abort >/dev/null 2>&1 || true
		# Remember the mtimes of the files the old series touched, so
		# that files the new series leaves as they were keep them and
		# the next build does not recompile half the kernel.
		old=$(git rev-parse HEAD)
		git diff --name-only "$HVO_BASE_TAG" "$old" |
			while read -r f; do
				[ -f "$f" ] && echo "$(stat -c %Y "$f") $f"
			done > ../wt-patched.mtimes
		"${HVO_GIT[@]}" checkout -q -f --detach "$HVO_BASE_TAG"
		mapfile -t patches < <(hvo_series_files)
		[ ${#patches[@]} = 0 ] ||
			"${HVO_GIT[@]}" am -q --whitespace=error-all "${patches[@]}"
		changed=$(git diff --name-only "$old" HEAD)
		while read -r t f; do
			grep -qxF -- "$f" <<< "$changed" || touch -d "@$t" "$f"
		done < ../wt-patched.mtimes
	) || hvo_die "the series does not apply with git am"
	echo "$want" > "$HVOBENCH_BUILD/wt-patched.series"
}

check_base_version() {
	local want got
	want=$(sed -n 's/^VERSION=//p' "$HVO_PATCHDIR/BASE")
	got=$(make -s -C "$HVO_SRC" kernelversion)
	[ "$want" = "$got" ] ||
		hvo_log "WARNING: tree is $got, the series is based on $want (kernel-patch/BASE)"
}

mkdir -p "$HVOBENCH_BUILD"
exec 9> "$HVOBENCH_BUILD/.prep.lock"
flock 9
prepare_base
check_base_version
[ "$variant" = patched ] && prepare_patched
flock -u 9
[ -n "$prep_only" ] && exit 0

# --- 3. configuration: tinyconfig + fragments ---------------------------------
tree=$(hvo_tree "$variant")
out=$(hvo_builddir "$arch" "$variant")
cross=$(hvo_cross "$arch")
frags=("$HVO_PATCHDIR/config/common.config" "$HVO_PATCHDIR/config/$arch.config")
mkdir -p "$out"
hvo_set_makeargs "$arch" "$variant"
makeargs=("${HVO_MAKEARGS[@]}")

cfg_hash=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ ! -f "$out/.config" ] ||
   [ "$(cat "$out/hvobench-config.hash" 2>/dev/null)" != "$cfg_hash" ]; then
	hvo_log "configuring $arch-$variant (tinyconfig + ${frags[*]##*/})"
	make -s "${makeargs[@]}" tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}" >/dev/null
	make -s "${makeargs[@]}" olddefconfig >/dev/null
	echo "$cfg_hash" > "$out/hvobench-config.hash"
fi

# Report fragment options that did not make it into .config.
: > "$out/hvobench-config-mismatch.txt"
grep -h '^CONFIG_' "${frags[@]}" | while IFS='=' read -r key val; do
	got=$(grep -E "^$key=" "$out/.config" | cut -d= -f2- || true)
	if [ "$val" = n ]; then
		[ -z "$got" ] && continue
	elif [ "$got" = "$val" ]; then
		continue
	fi
	echo "$key=$val -> ${got:-not set}" >> "$out/hvobench-config-mismatch.txt"
done
if [ -s "$out/hvobench-config-mismatch.txt" ]; then
	hvo_log "config options not set as asked ($arch-$variant):"
	sed 's/^/    /' "$out/hvobench-config-mismatch.txt" >&2
fi
for key in CONFIG_HUGETLBFS CONFIG_BLK_DEV_INITRD CONFIG_PROC_PAGE_MONITOR \
	   CONFIG_GUP_TEST CONFIG_PTDUMP_DEBUGFS CONFIG_IO_URING; do
	grep -q "^$key=y" "$out/.config" || hvo_die "$key is not set in $out/.config"
done

# --- 4. build -------------------------------------------------------------------
case $arch in
x86_64) target=bzImage ;;
arm64) target=Image ;;
esac
hvo_log "building $arch-$variant ($target, -j$(hvo_jobs)) in $out"
start=$(date +%s)
if ! make "${makeargs[@]}" -j"$(hvo_jobs)" "$target" > "$out/hvobench-build.log" 2>&1; then
	tail -40 "$out/hvobench-build.log" >&2
	hvo_die "kernel build failed ($arch-$variant), log: $out/hvobench-build.log"
fi
make -s "${makeargs[@]}" INSTALL_HDR_PATH="$out/hdr" headers_install >/dev/null
end=$(date +%s)
warnings=$(grep -c 'warning:' "$out/hvobench-build.log" || true)
{
	echo "arch=$arch"
	echo "variant=$variant"
	echo "kernelversion=$(make -s -C "$tree" kernelversion)"
	echo "tree_head=$(git -C "$tree" rev-parse HEAD)"
	echo "build_seconds=$((end - start))"
	echo "warnings=$warnings"
	echo "image=$(hvo_image "$arch" "$variant")"
	echo "hvo_config=$(grep -E '^CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP=' "$out/.config" || echo 'not set')"
} > "$out/hvobench-build.txt"
hvo_log "built $arch-$variant in $((end - start)) s, $warnings compiler warnings"
[ "$warnings" = 0 ] || grep 'warning:' "$out/hvobench-build.log" | head -20 >&2
echo "$(hvo_image "$arch" "$variant")"
