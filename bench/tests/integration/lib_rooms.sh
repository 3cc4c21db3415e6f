#!/usr/bin/env bash
# bench/lib keeps the shape the README's "Architecture" gives it:
# - core/ includes no header of an extension's room (counters/, env/,
#   topology/, simmark/): extensions hook in through BENCH_EXT_REGISTER.
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
exit "$fail"
