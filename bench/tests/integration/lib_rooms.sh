#!/usr/bin/env bash
# bench/lib keeps the shape the README's "Architecture" gives it:
# - core/ includes no header of an extension's room (counters/, env/,
#   topology/, simmark/): extensions hook in through BENCH_EXT_REGISTER;
# - no code in bench/lib names hugetlb state (the pools in sysfs, the
#   hugetlb sysctls, the HugePages lines of /proc/meminfo): bench/sys
#   reads it (its sys_env.c adds it to the environment record).
set -u
lib=${HVOBENCH_SRC:?}/bench/lib
fail=0

# Headers of every room but core, by bare name and as "room/name.h".
ext=()
for h in "$lib"/*/*.h; do
	room=$(basename "$(dirname "$h")")
	[[ $room == core ]] && continue
	ext+=("$(basename "$h")" "$room/$(basename "$h")")
done
for f in "$lib"/core/*.[ch]; do
	while read -r inc; do
		for e in "${ext[@]}"; do
			if [[ $inc == "$e" ]]; then
				echo "FAIL: ${f#"$lib"/} includes \"$inc\", an extension's header"
				fail=1
			fi
		done
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
[[ $fail == 0 ]] && echo "ok: bench/lib/core includes no extension header"

# Comment lines are left out: they may name what they do not read.
hugetlb='/sys/kernel/mm/hugepages|/hugepages/|(nr|free|resv|surplus|overcommit)_hugepages|hugetlb_optimize_vmemmap|HugePages_|Hugepagesize|"Hugetlb"'
if hits=$(grep -rnE "$hugetlb" "$lib" --include='*.[ch]' |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)'); then
	echo "FAIL: bench/lib reads hugetlb state (bench/sys's business):"
	echo "${hits//"$lib"\//bench/lib/}"
	fail=1
else
	echo "ok: bench/lib reads no hugetlb state"
fi
exit "$fail"
