// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint ids from tracefs.  perf_event_open needs only the id, so when
 * tracefs is not mounted we mount it for the lookup and unmount it right
 * after: the machine is left as found.
 */
#include "counters.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "bench.h"

#define TRACEFS "/sys/kernel/tracing"

static const char *const roots[] = {TRACEFS, "/sys/kernel/debug/tracing"};

static int read_id(const char *root, const char *sys, const char *ev,
		   uint64_t *id)
{
	char path[256];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/events/%s/%s/id", root, sys, ev);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%" SCNu64, id) != 1)
		rc = -EINVAL;
	fclose(f);
	return rc;
}

static const char *mounted_root(void)
{
	char path[128];

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", roots[i]);
		if (!access(path, F_OK))
			return roots[i];
	}
	return NULL;
}

int ctr_tracepoint_id(const char *sys, const char *ev, uint64_t *id)
{
	const char *root = mounted_root();
	int rc;

	if (root)
		return read_id(root, sys, ev, id);
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	rc = read_id(TRACEFS, sys, ev, id);
	if (umount(TRACEFS))
		bench_log("counters: umount %s: %s", TRACEFS, strerror(errno));
	return rc;
}
