// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of the environment that confound timings without being mm
 * state: time since boot (the first run after boot is a known outlier),
 * CPUs kept away from the scheduler or the tick, CPU vulnerability
 * mitigations (entry/exit and TLB-flush costs), the libraries linked.
 */
#include "env.h"

#include <dirent.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <hwloc.h>
#include <perfmon/pfmlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *uptime_s(void)
{
	char buf[64];

	if (env_read_line("/proc/uptime", buf, sizeof(buf)))
		return json_null();
	return json_real(strtod(buf, NULL));
}

/* "" (no such CPUs) is data; an absent or unreadable file is null. */
static json_t *cpu_list(const char *path)
{
	char buf[256];
	int rc = env_read_line(path, buf, sizeof(buf));

	return rc && rc != -ENODATA ? json_null() : json_string(buf);
}

static json_t *vulnerabilities(void)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	DIR *d = opendir(dir);
	json_t *o;
	struct dirent *e;

	if (!d)
		return json_null();
	o = json_object();
	while ((e = readdir(d))) {
		char path[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		json_object_set_new(o, e->d_name, env_file_str(path));
	}
	closedir(d);
	return o;
}

static json_t *libraries(void)
{
	unsigned h = hwloc_get_api_version();
	int pfm = pfm_get_version();
	json_t *o = json_object();

	json_object_set_new(o, "glibc", json_string(gnu_get_libc_version()));
	json_object_set_new(o, "jansson", json_string(JANSSON_VERSION));
	json_object_set_new(
		o, "hwloc_api",
		json_sprintf("%u.%u.%u", h >> 16, (h >> 8) & 0xff, h & 0xff));
	json_object_set_new(o, "libpfm_api",
			    pfm >= 0 ? json_sprintf("%d.%d",
						    PFM_MAJ_VERSION(pfm),
						    PFM_MIN_VERSION(pfm))
				     : json_null());
	return o;
}

json_t *env_system(void)
{
	json_t *o = json_object();

	json_object_set_new(o, "uptime_s", uptime_s());
	json_object_set_new(o, "isolated_cpus",
			    cpu_list("/sys/devices/system/cpu/isolated"));
	json_object_set_new(o, "nohz_full_cpus",
			    cpu_list("/sys/devices/system/cpu/nohz_full"));
	json_object_set_new(o, "vulnerabilities", vulnerabilities());
	json_object_set_new(o, "libraries", libraries());
	return o;
}
