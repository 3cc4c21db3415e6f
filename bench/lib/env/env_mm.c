// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-management settings for the environment record: THP and the vm
 * sysctls that change allocation cost.  The hugetlb part (pools, HVO,
 * overcommit, /proc/meminfo) is bench/sys's (sys_env.c).
 */
#include "env.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

json_t *env_thp(void)
{
	static const char *const dir = "/sys/kernel/mm/transparent_hugepage";
	json_t *o = json_object(), *sizes = json_object();
	char path[512];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/enabled", dir);
	json_object_set_new(o, "enabled", env_file_choice(path));
	snprintf(path, sizeof(path), "%s/defrag", dir);
	json_object_set_new(o, "defrag", env_file_choice(path));
	snprintf(path, sizeof(path), "%s/shmem_enabled", dir);
	json_object_set_new(o, "shmem_enabled", env_file_choice(path));
	snprintf(path, sizeof(path), "%s/use_zero_page", dir);
	json_object_set_new(o, "use_zero_page", env_file_int(path));
	snprintf(path, sizeof(path), "%s/khugepaged/defrag", dir);
	json_object_set_new(o, "khugepaged_defrag", env_file_int(path));
	/* Per-size (mTHP) controls, kernels >= 6.8. */
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "hugepages-", 10))
			continue;
		snprintf(path, sizeof(path), "%s/%s/enabled", dir, e->d_name);
		json_object_set_new(sizes, e->d_name, env_file_choice(path));
	}
	if (d)
		closedir(d);
	json_object_set_new(o, "sizes", sizes);
	return o;
}

/* The vm sysctls that change allocation and compaction behaviour. */
json_t *env_vm_sysctls(void)
{
	static const char *const names[] = {
		"overcommit_memory",	    "overcommit_ratio",
		"compaction_proactiveness", "extfrag_threshold",
		"zone_reclaim_mode",	    "min_free_kbytes",
		"watermark_scale_factor",   NULL,
	};
	json_t *o = json_object();
	char path[128];

	for (const char *const *n = names; *n; n++) {
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", *n);
		json_object_set_new(o, *n, env_file_int(path));
	}
	return o;
}
