#!/bin/bash
# The kernel-patch/ check matrix: checkpatch, git am, builds (x86_64 and
# arm64 cross), W=1 on the files the series touches, and QEMU boot checks.
#
#   scripts/kernel-check.sh [--quick] [--arch x86_64|arm64|all]
#                           [--variant stock|patched|all] [--stress SECONDS]
#                           [--src DIR] [--out DIR] [--no-build]
#                           [--kernels "ARCH-VARIANT ..."]
#
# Full (default): 4 kernels, stock and patched, x86_64 and arm64; each boots
#   once with the default vmemmap mapping (HVO checks, selftest, stress) and
#   the patched ones boot again with vmemmap_basepages.  arm64 patched boots
#   with hvo_debug_assume_bbml2_noabort (QEMU's CPUs are not on the kernel's
#   BBML2_NOABORT allow-list), once without it (HVO must be refused with
#   its reason) and with vmemmap_basepages without it (HVO without any
#   PMD split).
# --quick (CI): patched x86_64 and patched arm64 only (stock if the series is
#   empty), shorter stress, no 1G page.
# --kernels: only these of the arch x variant pairs (e.g. "x86_64-stock
#   arm64-patched"); the summary says which were left out.
# Outcomes and serial logs go to results/kernel/ (or --out); the summary is
# results/kernel/summary.txt.  Exits non-zero if anything failed.
set -euo pipefail
. "$(dirname "$0")/kernel-lib.sh"

quick= arches= variants= stress= src=() outdir=$HVO_REPO/results/kernel build=1 kernels=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--arch) arches=$2; shift 2 ;;
	--variant) variants=$2; shift 2 ;;
	--stress) stress=$2; shift 2 ;;
	--src) src=(--src "$2"); shift 2 ;;
	--out) outdir=$2; shift 2 ;;
	--no-build) build=; shift ;;
	--kernels) [ $# -ge 2 ] || hvo_usage "--kernels needs a list"; kernels=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) hvo_usage "unknown option $1" ;;
	esac
done
[ -z "$arches" ] || [ "$arches" = all ] && arches="x86_64 arm64"
for k in $kernels; do
	[[ $k =~ ^(x86_64|arm64)-(stock|patched)$ ]] || hvo_usage "--kernels: '$k' is not ARCH-VARIANT"
done
npatches=$(hvo_series_files | wc -l)
if [ -z "$variants" ]; then
	if [ -n "$quick" ] && [ "$npatches" -gt 0 ]; then variants=patched
	elif [ -n "$quick" ]; then variants=stock
	else variants="stock patched"; fi
fi
[ "$variants" = all ] && variants="stock patched"
: "${stress:=$([ -n "$quick" ] && echo 15 || echo 30)}"
mkdir -p "$outdir"
summary=$outdir/summary.txt
t0=$(date +%s)
failed=0
lines=()
record() { # <status> <what> <detail>
	lines+=("$(printf '%-5s %-34s %s' "$1" "$2" "$3")")
	[ "$1" = FAIL ] && failed=$((failed + 1))
	hvo_log "$1 $2 $3"
}

deps_arch=all
[ "$arches" = x86_64 ] && deps_arch=x86_64
[ "$arches" = arm64 ] && deps_arch=arm64
"$HVO_REPO/scripts/kernel-deps.sh" --arch "$deps_arch"

# --- 1. the series applies with git am on the base -----------------------------------
if "$HVO_REPO/scripts/kernel-build.sh" --prep-only --variant patched --no-deps "${src[@]}"; then
	record PASS "git am" "$npatches patches apply on $(hvo_base_get VERSION)"
else
	record FAIL "git am" "the series does not apply"
fi

# --- 2. checkpatch --strict, from the base tree ---------------------------------------
cp_out=$outdir/checkpatch.txt
: > "$cp_out"
cp_bad=0
while read -r p; do
	# spdxcheck.py wants Debian's python3 (python3-ply, python3-git).
	res=$(cd "$HVO_SRC" && PATH=/usr/bin:/bin:$PATH ./scripts/checkpatch.pl --strict "$p" 2>&1 || true)
	{ echo "== ${p##*/}"; echo "$res"; } >> "$cp_out"
	tot=$(echo "$res" | grep '^total:' || echo 'total: ? errors')
	echo "$tot" | grep -q '^total: 0 errors, 0 warnings, 0 checks' || cp_bad=$((cp_bad + 1))
done < <(hvo_series_files)
if [ "$cp_bad" = 0 ]; then
	record PASS checkpatch "--strict: 0 errors, 0 warnings, 0 checks in every patch"
else
	record FAIL checkpatch "$cp_bad patches with findings, see ${cp_out#"$HVO_REPO"/}"
fi

# --- 3. W=1 on the files the series touches: no warning that the base lacks ------
w1_check() { # <arch>
	local arch=$1 variant out f obj log new total nobj touched stocknorm
	local nobj_patched=0 nobj_stock=0
	log=$outdir/w1-$arch.txt
	touched=$(git -C "$HVO_WT_PATCHED" diff --name-only "$HVO_BASE_TAG" HEAD -- '*.c')
	for variant in patched stock; do
		out=$(hvo_builddir "$arch" "$variant")
		nobj=0
		rm -f "$out/w1.norm"
		[ -f "$out/.config" ] || continue
		: > "$out/w1.all"
		hvo_set_makeargs "$arch" "$variant"
		for f in $touched; do
			obj=${f%.c}.o
			[ -f "$out/$obj" ] || continue	# not built in this config
			rm -f "$out/$obj"
			make "${HVO_MAKEARGS[@]}" W=1 "$obj" >> "$out/w1.all" 2>&1 ||
				echo "$f: error: W=1 build failed: warning:" >> "$out/w1.all"
			nobj=$((nobj + 1))
		done
		# warnings without paths and line numbers, to compare variants
		{ grep ': warning:' "$out/w1.all" || true; } |
			sed -E 's#^[^ ]*/(wt-patched|src)/##; s#:[0-9]+(:[0-9]+)?: warning:#: warning:#' |
			sort -u > "$out/w1.norm"
		eval "nobj_$variant=$nobj"
	done
	stocknorm=$(hvo_builddir "$arch" stock)/w1.norm
	[ -f "$stocknorm" ] || stocknorm=/dev/null
	comm -23 "$(hvo_builddir "$arch" patched)/w1.norm" "$stocknorm" \
		> "$outdir/w1-$arch.new"
	new=$(wc -l < "$outdir/w1-$arch.new")
	total=$(wc -l < "$(hvo_builddir "$arch" patched)/w1.norm")
	{
		echo "# W=1 builds of the objects of the .c files the series touches ($arch)"
		echo "# patched: $nobj_patched objects; stock (base, for comparison): ${nobj_stock:-0} objects"
		echo "# warnings in patched and not in stock (new):"
		sed 's/^/NEW /' "$outdir/w1-$arch.new"
		echo "# all W=1 warnings, patched:"
		cat "$(hvo_builddir "$arch" patched)/w1.norm"
	} > "$log"
	rm -f "$outdir/w1-$arch.new"
	# The images stay as built; the next build recompiles these objects
	# with the normal flags.
	if [ "$new" = 0 ]; then
		record PASS "W=1 $arch" "$nobj_patched touched objects, no new W=1 warning ($total in them overall; stock compared: ${nobj_stock:-0} objects)"
	else
		record FAIL "W=1 $arch" "$new new W=1 warnings, see ${log#"$HVO_REPO"/}"
	fi
}

# --- 4. build, boot, check ------------------------------------------------------------------
boot() { # <arch> <variant> [extra qemu-boot args]
	local arch=$1 variant=$2 name res
	shift 2
	name=$arch-$variant
	[[ " $* " == *" --basepages "* ]] && name=$name-basepages
	[[ " $* " == *" --no-bbml2-debug "* ]] && name=$name-nobbml2
	if "$HVO_REPO/scripts/qemu-boot.sh" --arch "$arch" --variant "$variant" \
		--out "$outdir" "$@"; then
		res=PASS
	else
		res=FAIL
	fi
	verdict=$(sed -n 's/^VERDICT //p' "$outdir/$name.result" 2>/dev/null | head -1)
	case $verdict in
	XFAIL*) res=XFAIL ;;
	esac
	record "$res" "boot $name" "$(summarize "$outdir/$name.result")"
}

summarize() { # <result file>
	local f=$1
	[ -f "$f" ] || { echo "no result"; return; }
	awk '
		/^# wall_seconds=/ { split($2, a, "="); wall = a[2] }
		/^HVOTEST / { n[$2]++ }
		/^HVOINFO hvo_savings_2m / { for (i = 2; i <= NF; i++) if ($i ~ /^(pages|saved)=/) s2 = s2 " " $i }
		/^KNOWN / { known = $2 }
		/^HVOINFO vmemmap_bbm / { for (i = 3; i <= NF; i++) bbm = bbm " " $i }
		/^HVOTEST PASS stress / { for (i = 4; i <= NF; i++) if ($i ~ /^(seconds|pool_cycles|user_cycles|errors|left_free_surplus)=/) st = st " " $i }
		END {
			printf "wall=%ss pass=%d fail=%d skip=%d", wall, n["PASS"], n["FAIL"], n["SKIP"]
			if (s2 != "") printf "; 2M:%s", s2
			if (st != "") printf "; stress:%s", st
			if (bbm != "") printf "; bbm:%s", bbm
			if (known != "") printf "; known benign warnings: %s", known
		}' "$f"
	grep -m1 '^VERDICT [A-Z]*FAIL' "$f" | sed 's/^VERDICT [A-Z]* [^:]*:/; why:/' || true
}

skipped=()
for arch in $arches; do
	for variant in $variants; do
		if [ -n "$kernels" ] && [[ " $kernels " != *" $arch-$variant "* ]]; then
			skipped+=("$arch-$variant")
			continue
		fi
		if [ -n "$build" ]; then
			bstart=$(date +%s)
			if ! "$HVO_REPO/scripts/kernel-build.sh" --arch "$arch" --variant "$variant" \
				--no-deps "${src[@]}" > /dev/null; then
				record FAIL "build $arch-$variant" "see $(hvo_builddir "$arch" "$variant")/hvobench-build.log"
				continue
			fi
			bt=$(sed -n 's/^build_seconds=//p' "$(hvo_builddir "$arch" "$variant")/hvobench-build.txt")
			bw=$(sed -n 's/^warnings=//p' "$(hvo_builddir "$arch" "$variant")/hvobench-build.txt")
			record PASS "build $arch-$variant" "make ${bt}s (with config/headers $(( $(date +%s) - bstart ))s), $bw compiler warnings"
			cp "$(hvo_builddir "$arch" "$variant")/hvobench-build.txt" "$outdir/build-$arch-$variant.txt"
			[ "$variant" = patched ] && w1_check "$arch"
		fi
		if ! "$HVO_REPO/scripts/qemu-initramfs.sh" --arch "$arch" --variant "$variant" > /dev/null; then
			record FAIL "initramfs $arch-$variant" "guest programs did not build"
			continue
		fi
		boot "$arch" "$variant" --stress "$stress" ${quick:+--quick}
		if [ "$arch-$variant" = arm64-patched ]; then
			boot "$arch" "$variant" --basepages --no-bbml2-debug --stress 10 --quick
			[ -n "$quick" ] || boot "$arch" "$variant" --no-bbml2-debug --stress 0 --quick
		elif [ "$variant" = patched ]; then
			boot "$arch" "$variant" --basepages --stress 10 --quick
		fi
	done
done

t1=$(date +%s)
{
	echo "# hvobench kernel check: $([ -n "$quick" ] && echo quick || echo full) matrix"
	echo "# date=$(date -u +%Y-%m-%dT%H:%M:%SZ) host=$(uname -n) cpus=$(nproc) wall=$((t1 - t0))s"
	echo "# base=$(hvo_base_get VERSION) ($(hvo_base_get PACKAGE) $(hvo_base_get PACKAGE_VERSION)) patches=$npatches series=$(hvo_series_hash)"
	[ ${#skipped[@]} = 0 ] || echo "# not in this run (--kernels): ${skipped[*]}"
	echo "# XFAIL = expected failure: a known bug of the base tree (the guest or qemu-boot names it; results/kernel/README.md)"
	printf '%s\n' "${lines[@]}"
	if [ "$failed" = 0 ]; then echo "RESULT PASS"; else echo "RESULT FAIL ($failed failed)"; fi
} > "$summary"
cat "$summary"
[ "$failed" = 0 ]
