#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
mkdir -p /tmp/state /tmp/res
echo "=== TLBCHECK begin $(uname -r) $(cat /proc/cmdline)"
grep -E "memmap|vmemmap" /proc/vmstat
HVOBENCH_RESULTS=/tmp/res /hvobench run --state-dir=/tmp/state --suite=quick \
	--filter='^(tlb|interference)/' --counters=hvo \
	--min-time=0.01 --repetitions=1 --safety-margin=512M --out=/tmp/r.json
echo "=== rc=$?"
grep -E "memmap|vmemmap" /proc/vmstat
cat /proc/sys/vm/nr_hugepages /proc/sys/vm/hugetlb_optimize_vmemmap
echo "=== JSON begin"
cat /tmp/r.json
echo "=== JSON end"
echo "=== TLBCHECK end"
reboot -f
