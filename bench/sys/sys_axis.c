// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-state axes: "hvo" (vm.hugetlb_optimize_vmemmap) set by the harness
 * before each block of an instance that has the parameter, and put back to
 * the run's starting value before instances that do not.  Benchmarks never
 * write it themselves.  The vmemmap regime (PMD or split) is not an axis:
 * a split lasts until reboot, so it is observed (sys_vmemmap_splits), not
 * switched; the one-off split itself is bench/sys's (sys_vmemmap_split).
 */
#include "bench.h"
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int start_hvo = -1; /* as found before our first write */

static int hvo_apply(const char *value, char *why, size_t len)
{
	bool want, now;
	int err;

	if (!value) {
		if (start_hvo < 0)
			return 0;
		want = start_hvo;
	} else if (!strcmp(value, "on") || !strcmp(value, "off")) {
		want = !strcmp(value, "on");
	} else {
		snprintf(why, len, "'%s' is not on or off", value);
		return -1;
	}
	if (!hvo_available()) {
		if (!want)
			return 0; /* no HVO in this kernel: "off" holds */
		snprintf(why, len, "kernel lacks vm.hugetlb_optimize_vmemmap");
		return 1;
	}
	err = hvo_get(&now);
	if (err) {
		snprintf(why, len, "read vm.hugetlb_optimize_vmemmap: %s",
			 strerror(-err));
		return -1;
	}
	if (now == want)
		return 0;
	if (geteuid() != 0 || !sys_active()) {
		snprintf(why, len, "needs root and a kernel-state session");
		return 1;
	}
	if (start_hvo < 0)
		start_hvo = now;
	err = hvo_set(want);
	if (err) {
		snprintf(why, len, "set vm.hugetlb_optimize_vmemmap: %s",
			 strerror(-err));
		return err == -EACCES || err == -EPERM || err == -EROFS ? 1
									: -1;
	}
	return 0;
}

/* "off" also when the kernel has no HVO at all: nothing is optimized. */
static void hvo_observe(char *buf, size_t len)
{
	bool on = false;

	if (hvo_available() && hvo_get(&on))
		snprintf(buf, len, "unreadable");
	else
		snprintf(buf, len, "%s", on ? "on" : "off");
}

BENCH_AXIS_REGISTER(hvo, .name = "hvo", .apply = hvo_apply,
		    .observe = hvo_observe);
