#!/usr/bin/env bash
# No benchmark family writes kernel state that is an axis or a one-off
# regime: HVO (the hvo axis, bench/sys/sys_axis.c) and the vmemmap split
# (sys_vmemmap_split) are bench/sys's, journalled and put back.  A family
# that calls hvo_set() itself would produce rows whose HVO state the
# harness did not set.  (Pool sizes are what the pool families measure;
# they go through bench/sys's journalled hugetlb_pool_set.)
set -u
src=${HVOBENCH_SRC:?}/bench/families
fail=0
while IFS=: read -r f n _; do
	echo "FAIL: ${f#"$src"/}:$n writes HVO itself (hvo_set): bench/sys applies the hvo axis"
	fail=1
done < <(grep -Hn '\bhvo_set[[:space:]]*(' "$src"/*.c)
[[ $fail == 0 ]] && echo "ok: no family writes HVO itself"
exit "$fail"
