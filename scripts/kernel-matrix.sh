#!/bin/bash
# The kernel verification matrix: build each (kernel, arch, configuration)
# of scripts/matrix/rows, boot it under QEMU TCG with the guest checks, the
# concurrent stress and the row's events (scripts/guest/matrix-events), and
# record one row per (config, arch, kernel): boots, stress cycles, remap and
# BBM events, vmemmap pages saved, splats, verdict.
#
#   scripts/kernel-matrix.sh [--rows REGEX] [--stress SECONDS] [--out DIR]
#                            [--build-only] [--no-build] [--list] [--table]
#
# --rows REGEX   only the rows whose name matches (extended regex)
# --stress S     hvo-stress seconds per boot (default 30)
# --out DIR      results (default results/kernel/matrix): DIR/rows/ROW.* and
#                DIR/table.md, rebuilt from every DIR/rows/*.row
# --build-only   build kernels and initramfs, boot nothing
# --no-build     boot what is built; rows without a kernel say "not built"
# --table        only rebuild DIR/table.md
# --rejudge      judge the recorded rows again from their logs, then --table
#
# Trees and builds live in $HVOBENCH_BUILD/matrix (never in the repository):
# trees/linux-<version> (the Debian tarball as one git commit),
# trees/<kernel> (a worktree with a series applied), build/<kernel>-<arch>-
# <configs>, rows/<row> (initramfs).  Kernel builds run under nice -n 10.
# Exits 1 if a row that ran did not meet its expectation, 2 on bad usage.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

MX=$HVOBENCH_BUILD/matrix
CFGDIR=$HVO_REPO/scripts/matrix/configs
ROWS=$HVO_REPO/scripts/matrix/rows
# The v1 series (against 6.12.117) lives only in git history.
OLD_COMMIT=1a99772
# No automatic gc in the kernel trees: packing 80k objects costs minutes of CPU.
MX_GIT=("${HVO_GIT[@]}" -c gc.auto=0)
TAR612=${HVO_TAR612:-/usr/src/linux-source-6.12.tar.xz}
TAR72=${HVO_TAR72:-/var/tmp/hvobench-sid/x/usr/src/linux-source-7.2.tar.xz}

usage() { echo "kernel-matrix: $*" >&2; exit 2; }
rowsel=. stress=30 outdir=$HVO_REPO/results/kernel/matrix build=1 boot=1 list='' tableonly='' rejudge=''
while [ $# -gt 0 ]; do
	case $1 in
	--rows) [ $# -ge 2 ] || usage "--rows needs a regex"; rowsel=$2; shift 2 ;;
	--stress) [[ ${2:-} =~ ^[0-9]+$ ]] || usage "--stress needs seconds"; stress=$2; shift 2 ;;
	--out) [ $# -ge 2 ] || usage "--out needs a directory"; outdir=$2; shift 2 ;;
	--build-only) boot=; shift ;;
	--no-build) build=; shift ;;
	--list) list=1; shift ;;
	--table) tableonly=1; shift ;;
	--rejudge) rejudge=1; shift ;;
	-h|--help) sed -n '2,24p' "$0"; exit 0 ;;
	*) usage "unknown option '$1' (see --help)" ;;
	esac
done
rc=0
grep -qE "$rowsel" <<< "" 2>/dev/null || rc=$?
[ $rc -le 1 ] || usage "bad --rows regex '$rowsel'"

# Rows: name kernel arch configs events expect [extra...]
rows() { grep -v -e '^#' -e '^[[:space:]]*$' "$ROWS" | awk -v re="$rowsel" '$1 ~ re'; }

# --- trees ------------------------------------------------------------------------------------------
base_tree() { # <version> -> the tarball as a git tree, tagged
	local v=$1 tar d
	case $v in
	6.12) tar=$TAR612 ;;
	7.2) tar=$TAR72 ;;
	esac
	d=$MX/trees/linux-$v
	if ! git -C "$d" rev-parse -q --verify "refs/tags/$HVO_BASE_TAG" >/dev/null 2>&1; then
		[ -f "$tar" ] || { echo "no tarball $tar"; return 1; }
		hvo_log "unpacking $tar into $d"
		rm -rf "$d" "$d.tmp"
		mkdir -p "$d.tmp"
		nice -n 10 tar -xf "$tar" -C "$d.tmp" --strip-components=1
		(cd "$d.tmp" && "${MX_GIT[@]}" init -q -b base &&
		 "${MX_GIT[@]}" add -f -A &&
		 "${MX_GIT[@]}" commit -q -m "Linux $(make -s kernelversion) ($tar)" &&
		 "${MX_GIT[@]}" tag "$HVO_BASE_TAG") >&2
		mv "$d.tmp" "$d"
	fi
	echo "$d"
}

# The series of a kernel (a kernel-patch/ directory), or nothing for stock.
series_dir() {
	case $1 in
	old612)
		if [ ! -f "$MX/series-old612/kernel-patch/series" ]; then
			mkdir -p "$MX/series-old612"
			git -C "$HVO_REPO" archive "$OLD_COMMIT" kernel-patch |
				tar -x -C "$MX/series-old612"
		fi
		echo "$MX/series-old612/kernel-patch" ;;
	patched72|patched72+*) echo "$HVO_PATCHDIR" ;;
	esac
}

# The extra patch of a patched72+NAME kernel (a negative control) or a
# stock72+NAME kernel (a diagnostic of a base-tree bug), or nothing.
control_patch() {
	case $1 in
	patched72+*) echo "$HVO_PATCHDIR/controls/${1#patched72+}.patch" ;;
	stock72+*) echo "$HVO_PATCHDIR/diagnostics/${1#stock72+}.patch" ;;
	esac
}

base_version() {
	case $1 in
	old612) echo 6.12 ;;
	*) echo 7.2 ;;
	esac
}

# Why a kernel cannot be built now (empty if it can).
kernel_unavailable() {
	local v ctl
	ctl=$(control_patch "$1")
	[ -z "$ctl" ] || [ -f "$ctl" ] || { echo "no patch $ctl"; return; }
	case $1 in
	patched72|patched72+*)
		v=$(sed -n 's/^VERSION=//p' "$HVO_PATCHDIR/BASE")
		case $v in
		7.2*) ;;
		*) echo "kernel-patch/ is not the 7.2 series yet (BASE VERSION=$v)"; return ;;
		esac
		grep -q -v -e '^#' -e '^[[:space:]]*$' "$HVO_PATCHDIR/series" ||
			echo "the 7.2 series has not landed: kernel-patch/series lists no patch" ;;
	old612|stock72|stock72+*|check|check-stock) ;;
	*) echo "unknown kernel '$1'" ;;
	esac
}

kernel_tree() { # <kernel> -> source tree (base, or a worktree with the series)
	local k=$1 base sd wt want ctl
	base=$(base_tree "$(base_version "$k")") || return 1
	[ "$k" = stock72 ] && { echo "$base"; return; }
	sd=$(series_dir "$k")
	wt=$MX/trees/$k
	ctl=$(control_patch "$k")
	# shellcheck disable=SC2046 # one word per patch file
	want=$( { [ -z "$sd" ] || (cd "$sd" && cat series $(grep -v -e '^#' -e '^[[:space:]]*$' series))
		  [ -z "$ctl" ] || cat "$ctl"; } | sha256sum | cut -c1-16)
	if [ "$(cat "$wt.series" 2>/dev/null)" != "$want" ]; then
		hvo_log "applying ${sd:-no series}${ctl:+ and ${ctl#"$HVO_PATCHDIR"/}} to $wt"
		[ -d "$wt" ] || { git -C "$base" worktree prune &&
			"${MX_GIT[@]}" -C "$base" worktree add -q --detach "$wt" "$HVO_BASE_TAG"; } >&2
		# shellcheck disable=SC2046 # one word per patch file
		(cd "$wt" && { "${MX_GIT[@]}" am --abort >/dev/null 2>&1 || true; } &&
		 "${MX_GIT[@]}" checkout -q -f --detach "$HVO_BASE_TAG" &&
		 { [ -z "$sd" ] ||
		   "${MX_GIT[@]}" am -q $(grep -v -e '^#' -e '^[[:space:]]*$' "$sd/series" | sed "s|^|$sd/|"); }) >&2 ||
			{ echo "the series does not apply"; return 1; }
		if [ -n "$ctl" ]; then
			(cd "$wt" && "${MX_GIT[@]}" apply "$ctl" &&
			 "${MX_GIT[@]}" commit -q -a -m "hvobench ${ctl#"$HVO_PATCHDIR"/}") >&2 ||
				{ echo "$ctl does not apply"; return 1; }
		fi
		echo "$want" > "$wt.series"
	fi
	echo "$wt"
}

# Fragments of a build: the check kernel's, matrix-common (and the arch's),
# the row's.
fragments() { # <kernel> <arch> <configs>
	local cdir c
	case $1 in
	old612) cdir=$(series_dir old612)/config ;;
	*) cdir=$HVO_PATCHDIR/config ;;
	esac
	echo "$cdir/common.config" "$cdir/$2.config" "$CFGDIR/matrix-common.config"
	[ -f "$CFGDIR/matrix-$2.config" ] && echo "$CFGDIR/matrix-$2.config"
	for c in ${3//,/ }; do echo "$CFGDIR/$c.config"; done
}

# --- build --------------------------------------------------------------------------------------------
build_kernel() { # <kernel> <arch> <configs> <tree> <out>
	local k=$1 arch=$2 cfgs=$3 tree=$4 out=$5 cross target hash f frags=()
	read -r -a frags <<< "$(fragments "$k" "$arch" "$cfgs" | tr '\n' ' ')"
	for f in "${frags[@]}"; do [ -f "$f" ] || { echo "no fragment $f"; return 1; }; done
	cross=$(hvo_cross "$arch")
	local args=(-C "$tree" O="$out" ARCH="$(hvo_karch "$arch")" CROSS_COMPILE="$cross"
		    KBUILD_BUILD_USER=hvobench KBUILD_BUILD_HOST=hvobench
		    KBUILD_BUILD_TIMESTAMP="$(git -C "$tree" log -1 --format=%cd)")
	command -v ccache >/dev/null && args+=(CC="ccache ${cross}gcc") && export CCACHE_BASEDIR=$MX
	mkdir -p "$out"
	hash=$( (git -C "$tree" rev-parse HEAD; cat "${frags[@]}") | sha256sum | cut -c1-16)
	if [ "$(cat "$out/matrix-config.hash" 2>/dev/null)" != "$hash" ]; then
		make -s "${args[@]}" tinyconfig >/dev/null
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null
		make -s "${args[@]}" olddefconfig >/dev/null
		echo "$hash" > "$out/matrix-config.hash"
	fi
	# Options of the row's own fragments (and matrix-common) that kconfig
	# did not take: the row then does not test what it says.
	grep -h '^CONFIG_' "${frags[@]:2}" | while IFS='=' read -r key val; do
		got=$(grep -E "^$key=" "$out/.config" | cut -d= -f2- || true)
		[ "$val" = n ] && [ -z "$got" ] && continue
		[ "$got" = "$val" ] && continue
		echo "$key=$val -> ${got:-not set}"
	done > "$out/matrix-config-mismatch.txt"
	case $arch in x86_64) target=bzImage ;; arm64) target=Image ;; esac
	hvo_log "building $(basename "$out") ($target)"
	local t0=$SECONDS
	if ! nice -n 10 make "${args[@]}" -j"$(hvo_jobs)" "$target" > "$out/matrix-build.log" 2>&1; then
		tail -20 "$out/matrix-build.log" >&2
		echo "kernel build failed (log $out/matrix-build.log)"
		return 1
	fi
	make -s "${args[@]}" INSTALL_HDR_PATH="$out/hdr" headers_install >/dev/null
	echo "$((SECONDS - t0))" > "$out/matrix-build.seconds"
}

# The check initramfs (scripts/qemu-initramfs.sh, pointed at this build)
# plus the matrix's guest programs.
build_guest() { # <row> <arch> <variant> <tree> <out>
	local row=$1 arch=$2 variant=$3 tree=$4 out=$5 r cross root
	r=$MX/rows/$row
	rm -rf "$r"
	mkdir -p "$r/build" "$MX/debs"
	ln -sfn "$tree" "$r/src"
	ln -sfn "$tree" "$r/wt-patched"
	ln -sfn "$out" "$r/build/$arch-$variant"
	ln -sfn "$MX/debs" "$r/debs"
	HVOBENCH_BUILD=$r "$HVO_REPO/scripts/qemu-initramfs.sh" --arch "$arch" --variant "$variant" >/dev/null ||
		{ echo "initramfs build failed"; return 1; }
	root=$r/guest/$arch-$variant/root
	cross=$(hvo_cross "$arch")
	for p in hugetlb-scan timed-write hugetlb-cow hugetlb-poison perf-nmi-load; do
		"${cross}gcc" -static -O2 -Wall -Wextra -o "$root/bin/$p" "$HVO_REPO/scripts/guest/$p.c" ||
			{ echo "building $p failed"; return 1; }
	done
	install -m 0755 "$HVO_REPO/scripts/guest/matrix-events" "$root/bin/matrix-events"
	# The functions of mm/hugetlb_vmemmap.c: the guest's fault injection
	# filters allocations by call stack to them.
	"${cross}nm" "$out/mm/hugetlb_vmemmap.o" 2>/dev/null |
		awk '$2 ~ /^[tT]$/ { print $3 }' > "$root/etc/hvo-vmemmap-syms"
	(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --owner 0:0 --quiet) |
		gzip -1 > "$r/guest/$arch-$variant/initramfs.cpio.gz"
}

variant_of() { case $1 in stock*|check-stock) echo stock ;; *) echo patched ;; esac; }
builddir_of() { echo "$MX/build/$1-$2-${3//,/+}"; }

# --- one row ---------------------------------------------------------------------------------------------
# Writes DIR/rows/ROW.row: the table line's fields, key=value, one a line.
row_status() { # <row> <status> <reason>: a row that did not run
	{ echo "verdict=$2"; echo "reason=$3"; echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"; } > "$outdir/rows/$1.row"
	hvo_log "$1: $2 ($3)"
}

run_row() {
	local row=$1 k=$2 arch=$3 cfgs=$4 events=$5 expect=$6 extra=$7
	local why tree out img variant append='' qargs=() x qpath=
	why=$(kernel_unavailable "$k")
	[ -n "$why" ] && { row_status "$row" "NOT-RUN" "$why"; return 0; }
	out=$(builddir_of "$k" "$arch" "$cfgs")
	variant=$(variant_of "$k")
	if [ "$k" = check ] || [ "$k" = check-stock ]; then
		# A kernel make kernel-check (CI) built anyway, in $HVOBENCH_BUILD.
		out=$(hvo_builddir "$arch" "$variant")
		[ -f "$out/hvobench-build.txt" ] ||
			{ row_status "$row" "NOT-RUN" "no check kernel in $out (make kernel-check first)"; return 0; }
		[ -n "$build" ] && { why=$(build_guest "$row" "$arch" "$variant" "$(hvo_tree "$variant")" "$out") ||
			{ row_status "$row" "BUILD-FAIL" "$why"; return 0; }; }
	elif [ -n "$build" ]; then
		tree=$(kernel_tree "$k") || { row_status "$row" "NOT-RUN" "tree: $tree"; return 0; }
		why=$(build_kernel "$k" "$arch" "$cfgs" "$tree" "$out") ||
			{ row_status "$row" "BUILD-FAIL" "$why"; return 0; }
		why=$(build_guest "$row" "$arch" "$variant" "$tree" "$out") ||
			{ row_status "$row" "BUILD-FAIL" "$why"; return 0; }
	fi
	case $arch in
	x86_64) img=$out/arch/x86/boot/bzImage ;;
	arm64) img=$out/arch/arm64/boot/Image ;;
	esac
	[ -f "$img" ] && [ -f "$MX/rows/$row/guest/$arch-$variant/initramfs.cpio.gz" ] ||
		{ row_status "$row" "NOT-RUN" "not built (run without --no-build)"; return 0; }
	[ -z "$boot" ] && return 0
	for x in $extra; do
		case $x in
		boot=*) append="$append ${x#boot=}" ;;
		qemu=*) IFS=, read -r -a q <<< "${x#qemu=}"; qargs+=("${q[@]}") ;;
		# Memory a virtio-mem device plugs after boot (maxmem merges into
		# qemu-boot's -m): arm64 can offline it, not its boot memory.
		vmem=*) qargs+=(-m maxmem=16G
				-object "memory-backend-ram,id=vmem0,size=${x#vmem=}"
				-device "virtio-mem-pci,id=vmem0,memdev=vmem0,requested-size=${x#vmem=}") ;;
		qemubin=backports) qpath=$("$HVO_REPO/scripts/qemu-backports.sh") ||
			{ row_status "$row" "NOT-RUN" "no bookworm-backports QEMU"; return 0; } ;;
		esac
	done
	append=${append//,/ }
	[ "$events" != - ] && append="hvo.events=$events $append"
	local rd=$outdir/rows timeout=900
	[ "$arch" = arm64 ] && timeout=1500
	mkdir -p "$rd"
	local qa=()
	for x in "${qargs[@]}"; do qa+=(--qemu-arg "$x"); done
	set +e
	PATH=${qpath:+$qpath:}$PATH HVOBENCH_BUILD=$MX/rows/$row "$HVO_REPO/scripts/qemu-boot.sh" --arch "$arch" \
		--variant "$variant" --kernel "$img" --out "$rd" --name "$row" \
		--stress "$stress" --timeout "$timeout" --append "${append# }" "${qa[@]}" \
		2> "$rd/$row.boot.txt"
	set -e
	{
		local frs
		if [ "${k#check}" != "$k" ]; then
			echo "# the check kernel of make kernel-check: $(grep -E '^(tree_head|kernelversion|build_seconds)=' "$out/hvobench-build.txt" | tr '\n' ' ')"
			frs="$HVO_PATCHDIR/config/common.config $HVO_PATCHDIR/config/$arch.config"
		else
			frs=$(fragments "$k" "$arch" "$cfgs")
		fi
		echo "# fragments (merged in this order on top of tinyconfig):"
		for f in $frs; do
			echo "## ${f#"$HVO_REPO"/}"
			grep -v '^#' "$f" | grep . || true
		done
		echo "# options not taken by kconfig:"
		cat "$out/matrix-config-mismatch.txt" 2>/dev/null || echo "(a check kernel: see its own build)"
	} > "$rd/$row.config"
	summarize "$row" "$k" "$arch" "$cfgs" "$events" "$expect"
	[ ! -f "$rd/$row.hotplug.txt" ] || cat "$rd/$row.hotplug.txt" >&2
}

# --- judging a row from its serial log ---------------------------------------------------------------
# Splats: every kernel report a reviewer would stop at.
SPLAT_RE='(^|\] )(\[ )?(WARNING:|BUG:|Oops|Unable to handle kernel|Kernel panic|kernel BUG|Internal error:|INFO: possible|INFO: task .* blocked|UBSAN:)'
# Splats traced to the base tree, each reproduced by a stock row: "ERE|why".
# A row whose only splats are these is XFAIL, not PASS.
KNOWN_BASE_SPLATS=(
	'WARNING: .*mm/hugetlb_vmemmap\.c:[0-9]+ at __hugetlb_vmemmap_restore_folio|7.2.13 base-tree warning, reproduced by stock72-x86_64-events: bulk_vmemmap_restore_error() restores folios whose hugetlb flag remove_hugetlb_folio() already cleared (README, session 3)'
)
# Review findings of the v1 series and how each shows in the log.
finding_of() { # <log>
	local log=$1 f=()
	grep -q 'corrupted mapping in tail page' "$log" && f+=(M1)
	# H1: the rollback of a 1G remap writes plain tails over the head
	# struct page: the folio is no longer a folio (hugetlb-scan), or the
	# kernel trips on it.
	# Or the rollback itself trips: a report whose call trace restores
	# PTEs (vmemmap_restore_pte) inside an optimize.
	if grep -q -E '^HVOTEST FAIL event_enomem_1g|enomem_1g hugetlb-scan: (bad run|orphan tail)' "$log" ||
	   awk '/(WARNING:|BUG:|kernel BUG)/ { r = 0; o = 0; s = 1 }
		s && /vmemmap_restore_pte/ { r = 1 }
		s && /__hugetlb_vmemmap_optimize_folio/ { o = 1 }
		r && o { found = 1 }
		/end trace/ { s = 0 }
		END { exit !found }' "$log"; then
		f+=(H1)
	fi
	# H3: a tag-check fault on a write to a tail struct page under MTE.
	# (a write fault on the read-only tail mapping, or a tag check fault;
	# page_kasan_tag_reset() itself may be inlined into copy_highpage())
	grep -q -E 'KASAN: invalid-access|Tag check fault|page_kasan_tag_reset|write to read-only memory' "$log" &&
		grep -q -E 'copy_highpage|folio_copy|copy_user_huge|hugetlb' "$log" && f+=(H3)
	# S72: the 7.2 base-tree surplus accounting bug, as the diagnostic
	# kernel stock72+surplus-warn reports it (results/kernel/matrix/surplus72).
	grep -q -E 'hvobench: (temporary folio freed|surplus_huge_pages [0-9]+ > nr_huge_pages)' "$log" && f+=(S72)
	# A guest check that failed (the negative controls of the checks
	# themselves expect check:NAME).
	f+=($(awk '$1 == "HVOTEST" && $2 == "FAIL" { print "check:" $3 }' "$log" | sort -u))
	echo "${f[*]:--}"
}

# Splat lines of a log that no KNOWN_BASE_SPLATS pattern explains.
unknown_splats() {
	local lines k
	lines=$(grep -v '^HVO' "$1" | grep -E "$SPLAT_RE" || true)
	for k in "${KNOWN_BASE_SPLATS[@]}"; do
		lines=$(grep -v -E "${k%%|*}" <<< "$lines" || true)
	done
	grep -c . <<< "$lines" || true
}

known_splat_why() {
	local k why=
	for k in "${KNOWN_BASE_SPLATS[@]}"; do
		if grep -v '^HVO' "$1" | grep -E "${k%%|*}" > /dev/null; then
			why+="${why:+; }${k#*|}"
		fi
	done
	echo "$why"
}

summarize() { # <row> <kernel> <arch> <configs> <events> <expect>
	local row=$1 rd=$outdir/rows log res splats kinds first verdict reason finding x
	log=$rd/$row.log res=$rd/$row.result
	if [ ! -f "$res" ] || [ ! -f "$log" ]; then
		row_status "$row" FAIL "qemu-boot.sh wrote no result: $(tail -1 "$rd/$row.boot.txt")"
		return 0
	fi
	splats=$(grep -v '^HVO' "$log" | grep -c -E "$SPLAT_RE" || true)
	kinds=$(grep -v '^HVO' "$log" | grep -E "$SPLAT_RE" |
		sed -E 's/^\[[^]]*\] //; s/^WARNING: CPU: [0-9]+ PID: [0-9]+ at ([^ ]+).*/WARNING at \1/;
			s/ in process .*//; s/ at virtual address.*//; s/ pfn:.*//; s/, .*//' |
		sort | uniq -c | sort -rn | awk '{ c = $1; $1 = ""; printf "%s%dx%s", s, c, $0; s = "; " }' || true)
	first=$(grep -v '^HVO' "$log" | grep -m1 -E "$SPLAT_RE" | sed 's/^\[[ 0-9.]*\] //' || true)
	finding=$(finding_of "$log")
	local qv
	qv=$(sed -n 's/^VERDICT \([A-Z]*\).*/\1/p' "$res")
	if [ "$6" != - ]; then
		# A negative control: it must catch what it is there for.
		if grep -qw "$6" <<< "$finding"; then
			verdict=CAUGHT reason="caught $6 as it must"
		else
			verdict=MISSED reason="expected to catch $6, found: $finding"
		fi
	elif [ "$(unknown_splats "$log")" != 0 ]; then
		verdict=FAIL reason="$splats kernel splat(s), first: $first"
	elif ! grep -q '^HVOTEST-DONE' "$log"; then
		verdict=FAIL reason="the guest did not finish (qemu-boot: $(sed -n 's/^VERDICT //p' "$res"))"
	elif grep -q '^HVOTEST FAIL' "$res"; then
		verdict=FAIL reason="failed checks: $(awk '$1 == "HVOTEST" && $2 == "FAIL" { $1 = $2 = ""; print }' "$res" | head -3 | tr '\n' ';')"
	elif [ "$splats" != 0 ]; then
		verdict=XFAIL reason="$splats known base-tree splat(s): $(known_splat_why "$log")"
	elif [ "$qv" = XFAIL ] && grep -q '^HVOTEST XFAIL stress .*surplus_hugepages=[0-9]* > nr_hugepages' "$res" &&
	     [ "$(sed -n 's/^HVOINFO kernel=\([0-9]*\)\..*/\1/p' "$res" | head -1)" -ge 7 ]; then
		# Guests before session 5 named the 6.12 race of
		# alloc_surplus_hugetlb_folio() (fixed in 7.2) or an untraced
		# bug; the guest's words of now, for every recorded 7.x row.
		verdict=XFAIL reason="$(sed -n 's/^SURPLUS72="\(.*\)"$/\1/p' "$HVO_REPO/scripts/guest/init"): $(grep -o -m1 'surplus_hugepages=[0-9]* > nr_hugepages=[0-9]*' "$res") after the stress"
	elif [ "$qv" = XFAIL ]; then
		verdict=XFAIL reason=$(sed -n 's/^VERDICT [A-Z]* [^ ]*:* *//p' "$res")
	else
		# The check kernel's must-pass list (qemu-boot's verdict) does not
		# apply to rows whose configs drop what a check needs (lean).
		verdict=PASS reason="no splat, no failed check (qemu-boot: $qv)"
		# A kernel that refuses HVO (tag-based KASAN) says why.
		x=$(sed -n 's/^HVOTEST SKIP hvo_available //p' "$res")
		[ -n "$x" ] && reason="$reason; $x"
	fi
	val() { grep -o -m1 -E "$1" "$res" | sed 's/^[^=]*=//' || true; }
	{
		echo "kernel=$2"
		echo "arch=$3"
		echo "configs=$4"
		echo "events=$5"
		echo "expect=$6"
		echo "boots=$(grep -q '^HVOINFO kernel=' "$res" && echo yes || echo no)"
		echo "release=$(val 'HVOINFO kernel=[^ ]*')"
		# the stress's own line (also when the check did not PASS)
		echo "stress_cycles=$(val 'hvo-stress: seconds=[^ ]* pool_cycles=[0-9]*' | sed 's/.*=//')"
		echo "user_cycles=$(grep -o -m1 'user_cycles=[0-9]*' "$res" | cut -d= -f2)"
		echo "saved_2m=$(awk '$2 == "hvo_savings_2m" || $2 == "hvo_savings_pmd" { for (i = 3; i <= NF; i++) { if ($i ~ /^pages=/) p = substr($i, 7); if ($i ~ /^saved=/) s = substr($i, 7); if ($2 == "hvo_savings_pmd" && $i ~ /^size=/) z = substr($i, 6) ": " } } END { if (p) printf "%s%s/%s", z, s, p }' "$res")"
		echo "saved_1g=$(awk '$2 == "hvo_savings_1g" { for (i = 3; i <= NF; i++) { if ($i ~ /^pages=/) p = substr($i, 7); if ($i ~ /^saved=/) s = substr($i, 7) } } END { if (p) printf "%s/%s", s, p }' "$res")"
		echo "pmd_split=$(grep -o 'pmd_split_after=[0-9]*' "$res" | tail -1 | cut -d= -f2)"
		echo "bbm=$(grep -o -m1 'vmemmap_bbm updates=[0-9]* fault_waits=[0-9]*' "$res" | sed 's/vmemmap_bbm updates=//; s/ fault_waits=/,waits=/')"
		echo "remap_errors=$(val 'remap_errors_during_stress=[0-9]*')"
		echo "injected=$(grep -o 'injected_failures=[0-9]*' "$res" | cut -d= -f2 | paste -sd+ -)"
		echo "splats=$splats"
		echo "splat_kinds=$kinds"
		echo "first_splat=$first"
		echo "finding=$finding"
		echo "checks=$(awk '$1 == "HVOTEST" { c[$2]++ } END { for (s in c) printf "%s%s=%d", n++ ? " " : "", s, c[s] }' "$res")"
		echo "failed_checks=$(awk '$1 == "HVOTEST" && $2 == "FAIL" { printf "%s%s", n++ ? "," : "", $3 }' "$res")"
		echo "wall_seconds=$(grep -o 'wall_seconds=[0-9.]*' "$res" | cut -d= -f2)"
		echo "qemu=$(sed -n 's/.*booting [^:]*: //p' "$rd/$row.boot.txt" | head -1)"
		# A rejudged row keeps the commit and date of its run.
		local now
		now="$(git -C "$HVO_REPO" rev-parse --short HEAD)$(git -C "$HVO_REPO" diff --quiet HEAD -- scripts || echo +dirty)"
		if [ -n "$rejudge" ] && grep -q '^commit=' "$rd/$row.row" 2>/dev/null; then
			grep -E '^(commit|date)=' "$rd/$row.row"
			echo "rejudged=$now $(date -u +%Y-%m-%dT%H:%MZ)"
		else
			echo "commit=$now"
			echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
		fi
		echo "qemu_boot_verdict=$(sed -n 's/^VERDICT //p' "$res")"
		echo "verdict=$verdict"
		echo "reason=$reason"
	} > "$rd/$row.row.tmp"
	mv "$rd/$row.row.tmp" "$rd/$row.row"
	rm -f "$rd/$row.hotplug.txt"
	grep -q 'hp_sample' "$res" && hotplug_stats "$res" > "$rd/$row.hotplug.txt"
	hvo_log "$row: $verdict ($reason) splats=$splats finding=$finding"
}

# Offline/online times of the hotplug rows, HVO off vs on: mean, sd and a
# 95% confidence interval of the mean (Student t) per (operation, HVO), the
# median with a distribution-free 95% interval (order statistics: one slow
# first offline moves a mean, not a median), and the on/off ratios.
# Samples are per memory block and round.
hotplug_stats() { # <result file>
	awk '
	function t95(df) { # two-sided 95% Student t quantile
		if (df <= 1) return 12.71; if (df == 2) return 4.30; if (df == 3) return 3.18
		if (df == 4) return 2.78; if (df == 5) return 2.57; if (df <= 7) return 2.40
		if (df <= 10) return 2.26; if (df <= 15) return 2.15; if (df <= 20) return 2.09
		if (df <= 30) return 2.04; if (df <= 60) return 2.00; return 1.98
	}
	$2 == "hp_sample" {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		if ($NF != "ok") { err[f["op"] " " f["hvo"]]++; next }
		k = f["op"] " " f["hvo"]; x = f["us"] / 1000
		n[k]++; d = x - m[k]; m[k] += d / n[k]; q[k] += d * (x - m[k])
		v[k, n[k]] = x
	}
	function median(k,   i, j, t, c, lo, hi) { # sets med, mlo, mhi
		c = n[k]
		for (i = 1; i <= c; i++) a[i] = v[k, i]
		for (i = 2; i <= c; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		med = c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
		# ranks of the interval: c/2 -+ 1.96 sqrt(c)/2 (binomial, p = 1/2)
		lo = int(c / 2 - 0.98 * sqrt(c)); hi = c / 2 + 1 + 0.98 * sqrt(c)
		hi = hi == int(hi) ? hi : int(hi) + 1
		if (lo < 1 || hi > c) { mlo = mhi = ""; return }
		mlo = a[lo]; mhi = a[hi]
	}
	END {
		for (k in n) tot += n[k]
		if (!tot) {
			# Nothing timed: say so, with the failed writes per op and mode.
			printf "no write succeeded, nothing timed; failed writes:"
			for (k in err) printf " %s hvo=%s: %d", substr(k, 1, index(k, " ") - 1), substr(k, index(k, " ") + 1), err[k]
			printf "\n"
			exit
		}
		printf "%-8s %-4s %4s %10s %10s %22s %10s %22s %6s\n", "op", "hvo", "n", "mean_ms", "sd_ms", "95%_CI_of_mean_ms", "median_ms", "95%_CI_of_median_ms", "errors"
		for (op = 1; op <= 2; op++) {
			o = op == 1 ? "offline" : "online"
			for (h = 0; h <= 1; h++) {
				k = o " " h
				if (!n[k]) continue
				sd = n[k] > 1 ? sqrt(q[k] / (n[k] - 1)) : 0
				hw = n[k] > 1 ? t95(n[k] - 1) * sd / sqrt(n[k]) : 0
				median(k); md[k] = med
				ci = mlo == "" ? "n too small" : sprintf("%.2f..%.2f", mlo, mhi)
				printf "%-8s %-4s %4d %10.2f %10.2f %10.2f..%-10.2f %10.2f %22s %6d\n", o, h ? "on" : "off", n[k], m[k], sd, m[k] - hw, m[k] + hw, med, ci, err[k]
			}
			if (n[o " 0"] && n[o " 1"])
				printf "%-8s on/off ratio of the means: %.2f, of the medians: %.2f\n", o, m[o " 1"] / m[o " 0"], md[o " 1"] / md[o " 0"]
		}
	}' "$1"
}

# --- the table --------------------------------------------------------------------------------------------
table() {
	local t=$outdir/table.md row k a c e x rf ev f
	{
		echo "# Kernel verification matrix"
		echo
		echo "Made by \`scripts/kernel-matrix.sh\` (rows: \`scripts/matrix/rows\`, fragments:"
		echo "\`scripts/matrix/configs/\`).  Per row: \`rows/ROW.row\` (all fields, the QEMU"
		echo "command line, the commit), \`ROW.config\` (the exact fragments), \`ROW.result\`"
		echo "(the guest's check lines), \`ROW.log\` (serial console), \`ROW.boot.txt\`."
		echo "TCG timings are not hardware timings."
		echo
		echo "| row | kernel | arch | configs | events | boots | stress cycles | remap/BBM events | vmemmap pages saved (2M or the PMD size; 1G) | splats | finding | verdict |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
		while read -r row k a c e x _; do
			rf=$outdir/rows/$row.row
			if [ ! -f "$rf" ]; then
				echo "| $row | $k | $a | $c | $e | | | | | | | NOT-RUN: not run in the recorded session (README) |"
				continue
			fi
			g() { sed -n "s/^$1=//p" "$rf"; }
			if [ -z "$(g boots)" ]; then
				echo "| $row | $k | $a | $c | $e | | | | | | | $(g verdict): $(g reason) |"
				continue
			fi
			ev=
			for f in pmd_split bbm remap_errors injected; do
				[ -n "$(g $f)" ] && ev="$ev $f=$(g $f)"
			done
			echo "| $row | $k $(g release) | $a | $c | $e | $(g boots) | $(g stress_cycles) pool, $(g user_cycles) user" \
			     "|${ev:- -}" \
			     "| $(g saved_2m); $(g saved_1g) | $(g splats)$( [ -n "$(g splat_kinds)" ] && echo ": $(g splat_kinds)") | $(g finding) | $(g verdict): $(g reason) |"
		done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$ROWS")
	} > "$t"
	hvo_log "table: $t"
}

mkdir -p "$outdir/rows"
if [ -n "$list" ]; then rows; exit 0; fi
if [ -n "$rejudge" ]; then
	# Judge recorded rows again (after a change of the rules above).
	while read -r row k a c e x _ <&3; do
		[ -f "$outdir/rows/$row.result" ] && summarize "$row" "$k" "$a" "$c" "$e" "$x"
	done 3< <(rows)
elif [ -z "$tableonly" ]; then
	[ -n "$(rows)" ] || usage "no row matches '$rowsel'"
	# kernel-deps puts the arm64 busybox under $MX/debs
	deps_arch=$(rows | awk '{ a[$3] = 1 } END { n = 0; for (k in a) { n++; x = k } print n == 1 ? x : "all" }')
	[ -n "$build" ] && HVOBENCH_BUILD=$MX "$HVO_REPO/scripts/kernel-deps.sh" --arch "$deps_arch" >&2
	while read -r row k a c e x rest <&3; do
		run_row "$row" "$k" "$a" "$c" "$e" "$x" "$rest"
	done 3< <(rows)
fi
table
bad=$(cat "$outdir"/rows/*.row 2>/dev/null | grep -c -E '^verdict=(FAIL|MISSED|BUILD-FAIL)$' || true)
[ "$bad" = 0 ]
