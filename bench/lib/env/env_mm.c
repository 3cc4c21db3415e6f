// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-management state for the environment record: HVO, every huge
 * page size's pool (global and per node), overcommit, THP, the vm sysctls
 * that change allocation cost, and /proc/meminfo.
 */
#include "env.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define HP_DIR	 "/sys/kernel/mm/hugepages"
#define NODE_DIR "/sys/devices/system/node"

static const char *const pool_fields[] = {
	"nr_hugepages",	     "free_hugepages",		"resv_hugepages",
	"surplus_hugepages", "nr_overcommit_hugepages", NULL,
};

/* resv and overcommit exist only globally. */
static const char *const node_fields[] = {
	"nr_hugepages",
	"free_hugepages",
	"surplus_hugepages",
	NULL,
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Huge page sizes in kB, ascending. */
static int sizes_kb(uint64_t *kb, int max)
{
	DIR *d = opendir(HP_DIR);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max)
		if (sscanf(e->d_name, "hugepages-%" SCNu64 "kB", &kb[n]) == 1)
			n++;
	closedir(d);
	qsort(kb, (size_t)n, sizeof(kb[0]), cmp_u64);
	return n;
}

/* NUMA node ids that have a sysfs directory, ascending. */
static int node_ids(int *ids, int max)
{
	DIR *d = opendir(NODE_DIR);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		int id;
		char tail;

		if (sscanf(e->d_name, "node%d%c", &id, &tail) == 1)
			ids[n++] = id;
	}
	closedir(d);
	for (int i = 1; i < n; i++) /* insertion sort: a handful of nodes */
		for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			int t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return n;
}

static json_t *pool(uint64_t kb, const int *nodes, int nnodes)
{
	json_t *o = json_object(), *per = json_array();
	char path[256];

	json_object_set_new(o, "size_kb", json_integer((json_int_t)kb));
	for (const char *const *f = pool_fields; *f; f++) {
		snprintf(path, sizeof(path),
			 HP_DIR "/hugepages-%" PRIu64 "kB/%s", kb, *f);
		json_object_set_new(o, *f, env_file_int(path));
	}
	for (int i = 0; i < nnodes; i++) {
		json_t *n = json_object();

		json_object_set_new(n, "node", json_integer(nodes[i]));
		for (const char *const *f = node_fields; *f; f++) {
			snprintf(path, sizeof(path),
				 NODE_DIR "/node%d/hugepages/hugepages-%" PRIu64
					  "kB/%s",
				 nodes[i], kb, *f);
			json_object_set_new(n, *f, env_file_int(path));
		}
		json_array_append_new(per, n);
	}
	json_object_set_new(o, "nodes", per);
	json_object_set_new(o, "nodes_note",
			    json_string("resv and overcommit exist only "
					"globally in sysfs"));
	return o;
}

static json_t *meminfo(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	json_t *o = json_object();
	char line[256], key[64], unit[16];
	unsigned long long v;

	if (!f)
		return json_null();
	while (fgets(line, sizeof(line), f)) {
		int got = sscanf(line, "%63[^:]: %llu %15s", key, &v, unit);

		if (got < 2)
			continue;
		if (strcmp(key, "MemTotal") && strcmp(key, "MemFree") &&
		    strcmp(key, "MemAvailable") &&
		    strncmp(key, "HugePages_", 10) &&
		    strcmp(key, "Hugepagesize") && strcmp(key, "Hugetlb") &&
		    strcmp(key, "AnonHugePages") && strcmp(key, "CmaTotal"))
			continue;
		/* kB lines become bytes; HugePages_* are page counts. */
		if (got == 3 && !strcmp(unit, "kB")) {
			char k[80];

			snprintf(k, sizeof(k), "%s_bytes", key);
			json_object_set_new(
				o, k, json_integer((json_int_t)(v * 1024)));
		} else {
			json_object_set_new(o, key,
					    json_integer((json_int_t)v));
		}
	}
	fclose(f);
	return o;
}

json_t *env_hugetlb(void)
{
	json_t *o = json_object(), *arr = json_array();
	uint64_t kb[16];
	int nodes[256];
	int n = sizes_kb(kb, 16), nn = node_ids(nodes, 256);

	json_object_set_new(
		o, "hugetlb_optimize_vmemmap",
		env_file_int("/proc/sys/vm/hugetlb_optimize_vmemmap"));
	json_object_set_new(
		o, "nr_overcommit_hugepages",
		env_file_int("/proc/sys/vm/nr_overcommit_hugepages"));
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, pool(kb[i], nodes, nn));
	json_object_set_new(o, "pools", arr);
	json_object_set_new(o, "meminfo", meminfo());
	return o;
}

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
		"overcommit_memory",
		"overcommit_ratio",
		"compaction_proactiveness",
		"extfrag_threshold",
		"zone_reclaim_mode",
		"min_free_kbytes",
		"watermark_scale_factor",
		"nr_hugepages_mempolicy",
		NULL,
	};
	json_t *o = json_object();
	char path[128];

	for (const char *const *n = names; *n; n++) {
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", *n);
		json_object_set_new(o, *n, env_file_int(path));
	}
	return o;
}
