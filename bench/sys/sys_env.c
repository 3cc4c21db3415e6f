// SPDX-License-Identifier: GPL-2.0
/*
 * The hugetlb part of the environment record (env/env.h), added by
 * bench/sys so that bench/lib reads no hugetlb state: "hugetlb" (HVO,
 * overcommit, every huge page size's pool, global and per node, and
 * /proc/meminfo) and vm.nr_hugepages_mempolicy.
 */
#include "env/env.h"
#include "sys.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

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
		hugetlb_path(path, sizeof(path), kb, -1, *f);
		json_object_set_new(o, *f, env_file_int(path));
	}
	for (int i = 0; i < nnodes; i++) {
		json_t *n = json_object();

		json_object_set_new(n, "node", json_integer(nodes[i]));
		for (const char *const *f = node_fields; *f; f++) {
			hugetlb_path(path, sizeof(path), kb, nodes[i], *f);
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

static void hugetlb_part(json_t *record)
{
	json_t *o = json_object(), *arr = json_array();
	json_t *vm = json_object_get(record, "vm");
	uint64_t kb[16];
	int nodes[256];
	int n = hugetlb_sizes(kb, 16), nn = node_ids(nodes, 256);

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
	json_object_set_new(record, "hugetlb", o);
	/* Beside the other vm sysctls (bench/lib/env/env_mm.c). */
	if (json_is_object(vm))
		json_object_set_new(
			vm, "nr_hugepages_mempolicy",
			env_file_int("/proc/sys/vm/nr_hugepages_mempolicy"));
}

ENV_PART_REGISTER(hugetlb, hugetlb_part);
