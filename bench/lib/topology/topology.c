// SPDX-License-Identifier: GPL-2.0
/* hwloc: the machine's shape, and binding threads and memory. */
#include "topology.h"

#include <errno.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hwloc_topology_t topo;
static bool loaded;

int topo_load(void)
{
	if (loaded)
		return 0;
	if (hwloc_topology_init(&topo))
		return -errno;
	if (hwloc_topology_load(topo)) {
		int err = errno;

		hwloc_topology_destroy(topo);
		return -err;
	}
	loaded = true;
	return 0;
}

void topo_unload(void)
{
	if (loaded)
		hwloc_topology_destroy(topo);
	loaded = false;
}

static int count(hwloc_obj_type_t t)
{
	return loaded ? hwloc_get_nbobjs_by_type(topo, t) : -1;
}

int topo_cores(void)
{
	return count(HWLOC_OBJ_CORE);
}

int topo_pus(void)
{
	return count(HWLOC_OBJ_PU);
}

int topo_nodes(void)
{
	return count(HWLOC_OBJ_NUMANODE);
}

bool topo_cpu_allowed(int cpu)
{
	if (!loaded || cpu < 0)
		return false;
	return hwloc_get_pu_obj_by_os_index(topo, (unsigned)cpu) &&
	       hwloc_bitmap_isset(hwloc_topology_get_allowed_cpuset(topo),
				  (unsigned)cpu);
}

bool topo_node_valid(int node)
{
	hwloc_obj_t o;

	if (!loaded || node < 0)
		return false;
	o = hwloc_get_numanode_obj_by_os_index(topo, (unsigned)node);
	return o && hwloc_bitmap_isset(hwloc_topology_get_allowed_nodeset(topo),
				       (unsigned)node);
}

/* The first allowed PU of core number idx (logical order), or -1. */
static int core_first_pu(int idx)
{
	hwloc_obj_t core =
		hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)idx);
	hwloc_bitmap_t s;
	int pu;

	if (!core)
		return -1;
	s = hwloc_bitmap_dup(core->cpuset);
	if (!s)
		return -1;
	hwloc_bitmap_and(s, s, hwloc_topology_get_allowed_cpuset(topo));
	pu = hwloc_bitmap_first(s);
	hwloc_bitmap_free(s);
	return pu;
}

/* Logical index of the core holding PU cpu, or -1. */
static int core_of(int cpu)
{
	hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo, (unsigned)cpu);
	hwloc_obj_t core =
		pu ? hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu)
		   : NULL;

	return core ? (int)core->logical_index : -1;
}

int topo_auto_cpu(void)
{
	int n = topo_cores();

	/* Last core with an allowed PU: away from CPU 0's interrupts. */
	for (int i = n - 1; i >= 0; i--) {
		int pu = core_first_pu(i);

		if (pu >= 0)
			return pu;
	}
	return loaded ? hwloc_bitmap_first(
				hwloc_topology_get_allowed_cpuset(topo))
		      : -1;
}

int topo_worker_cpu(int base_cpu, int i)
{
	int n = topo_cores(), base = core_of(base_cpu);

	if (n <= 0 || base < 0)
		return base_cpu;
	for (int k = 0; k < n; k++) {
		int pu = core_first_pu((base + i + k) % n);

		if (pu >= 0)
			return pu;
	}
	return base_cpu;
}

int topo_pin_self(int cpu)
{
	hwloc_bitmap_t s = hwloc_bitmap_alloc();
	int rc = 0;

	if (!s)
		return -ENOMEM;
	hwloc_bitmap_only(s, (unsigned)cpu);
	if (hwloc_set_cpubind(topo, s,
			      HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT))
		rc = -errno;
	hwloc_bitmap_free(s);
	return rc;
}

int topo_membind_self(int node)
{
	hwloc_bitmap_t s = hwloc_bitmap_alloc();
	int rc = 0;

	if (!s)
		return -ENOMEM;
	hwloc_bitmap_only(s, (unsigned)node);
	if (hwloc_set_membind(topo, s, HWLOC_MEMBIND_BIND,
			      HWLOC_MEMBIND_THREAD | HWLOC_MEMBIND_BYNODESET))
		rc = -errno;
	hwloc_bitmap_free(s);
	return rc;
}

static json_t *bitmap_list(hwloc_const_bitmap_t s)
{
	char *str = NULL;
	json_t *j;

	if (hwloc_bitmap_list_asprintf(&str, s) < 0)
		return json_null();
	j = json_string(str);
	free(str);
	return j;
}

static const char *cache_type(hwloc_obj_cache_type_t t)
{
	return t == HWLOC_OBJ_CACHE_DATA	  ? "data"
	       : t == HWLOC_OBJ_CACHE_INSTRUCTION ? "instruction"
						  : "unified";
}

static json_t *caches(void)
{
	json_t *arr = json_array();

	for (hwloc_obj_type_t t = HWLOC_OBJ_L1CACHE; t <= HWLOC_OBJ_L3ICACHE;
	     t++) {
		int n = hwloc_get_nbobjs_by_type(topo, t);
		hwloc_obj_t o;

		if (n <= 0)
			continue;
		o = hwloc_get_obj_by_type(topo, t, 0);
		json_array_append_new(
			arr,
			json_pack("{s:i,s:s,s:I,s:i,s:i,s:i}", "level",
				  (int)o->attr->cache.depth, "type",
				  cache_type(o->attr->cache.type), "size",
				  (json_int_t)o->attr->cache.size, "linesize",
				  (int)o->attr->cache.linesize, "associativity",
				  (int)o->attr->cache.associativity, "count",
				  n));
	}
	return arr;
}

static json_t *nodes(void)
{
	json_t *arr = json_array();
	int n = topo_nodes();
	uint64_t base = (uint64_t)sysconf(_SC_PAGESIZE);

	for (int i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE,
						      (unsigned)i);
		json_t *hp = json_array();

		/* Every page size but the base page (hwloc lists both). */
		for (unsigned k = 0; k < o->attr->numanode.page_types_len;
		     k++) {
			uint64_t sz = o->attr->numanode.page_types[k].size;

			if (sz > base)
				json_array_append_new(
					hp,
					json_integer((json_int_t)(sz / 1024)));
		}
		json_array_append_new(arr,
				      json_pack("{s:i,s:o,s:o}", "os_index",
						(int)o->os_index, "cpuset",
						bitmap_list(o->cpuset),
						"huge_page_sizes_kb", hp));
	}
	return arr;
}

json_t *topo_json(void)
{
	json_t *o;

	if (topo_load())
		return json_pack("{s:s}", "error",
				 "hwloc could not load the topology");
	o = json_pack("{s:i,s:i,s:i,s:i}", "packages", count(HWLOC_OBJ_PACKAGE),
		      "cores", topo_cores(), "pus", topo_pus(),
		      "numa_node_count", topo_nodes());
	json_object_set_new(
		o, "allowed_cpuset",
		bitmap_list(hwloc_topology_get_allowed_cpuset(topo)));
	json_object_set_new(o, "numa_nodes", nodes());
	json_object_set_new(o, "caches", caches());
	json_object_set_new(o, "memory_note",
			    json_string("per-node memory sizes from hwloc are "
					"not recorded (unreliable in VMs); see "
					"env.hugetlb.meminfo"));
	return o;
}

static const char *policy_name(hwloc_membind_policy_t p)
{
	switch (p) {
	case HWLOC_MEMBIND_DEFAULT:
		return "default";
	case HWLOC_MEMBIND_FIRSTTOUCH:
		return "firsttouch";
	case HWLOC_MEMBIND_BIND:
		return "bind";
	case HWLOC_MEMBIND_INTERLEAVE:
		return "interleave";
	case HWLOC_MEMBIND_NEXTTOUCH:
		return "nexttouch";
	default:
		return "mixed";
	}
}

json_t *topo_binding_json(void)
{
	hwloc_bitmap_t s = hwloc_bitmap_alloc(), m = hwloc_bitmap_alloc();
	hwloc_membind_policy_t pol;
	json_t *o = json_object();

	if (!s || !m || topo_load())
		goto out;
	if (!hwloc_get_cpubind(topo, s, HWLOC_CPUBIND_THREAD))
		json_object_set_new(o, "cpuset", bitmap_list(s));
	json_object_set_new(o, "last_cpu", json_integer(sched_getcpu()));
	if (!hwloc_get_membind(topo, m, &pol,
			       HWLOC_MEMBIND_THREAD |
				       HWLOC_MEMBIND_BYNODESET)) {
		json_object_set_new(o, "mempolicy",
				    json_string(policy_name(pol)));
		json_object_set_new(o, "nodeset", bitmap_list(m));
	}
out:
	hwloc_bitmap_free(s);
	hwloc_bitmap_free(m);
	return o;
}
