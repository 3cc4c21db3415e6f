// SPDX-License-Identifier: GPL-2.0
/*
 * Placement: a thread pinned to CPU N runs on N (sched_getcpu), workers
 * spread one per core, memory binding shows in the recorded binding, and
 * the machine record has its fields.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "topology/topology.h"

static int setup(void **unused)
{
	(void)unused;
	return topo_load();
}

static void *pin_and_report(void *arg)
{
	int cpu = *(int *)arg;

	if (topo_pin_self(cpu))
		return (void *)-1L;
	sched_yield();
	return (void *)(long)sched_getcpu();
}

static void test_pin_each_cpu(void **unused)
{
	int pinned = 0;

	(void)unused;
	for (int cpu = 0; cpu < 4096; cpu++) {
		pthread_t t;
		void *ret;

		if (!topo_cpu_allowed(cpu))
			continue;
		/* A fresh thread each time: the main thread stays free. */
		assert_int_equal(pthread_create(&t, NULL, pin_and_report, &cpu),
				 0);
		assert_int_equal(pthread_join(t, &ret), 0);
		if ((long)ret != cpu)
			fail_msg("pinned to CPU %d but ran on %ld", cpu,
				 (long)ret);
		pinned++;
	}
	assert_int_equal(pinned, topo_pus());
	assert_false(topo_cpu_allowed(-1));
	assert_false(topo_cpu_allowed(1 << 20));
}

static void test_workers_one_per_core(void **unused)
{
	int cores = topo_cores(), base = topo_auto_cpu();
	int seen[4096] = {0};

	(void)unused;
	assert_true(topo_cpu_allowed(base));
	/* The first `cores` workers land on distinct CPUs (distinct cores). */
	for (int i = 0; i < cores; i++) {
		int c = topo_worker_cpu(base, i);

		assert_true(topo_cpu_allowed(c));
		assert_int_equal(seen[c], 0);
		seen[c] = 1;
	}
	/* Worker 0 shares the main thread's core; wrapping repeats. */
	assert_int_equal(topo_worker_cpu(base, 0), base);
	assert_int_equal(topo_worker_cpu(base, cores), base);
}

static void *bind_node0(void *arg)
{
	json_t *b;
	const char *pol;
	int ok;

	(void)arg;
	if (topo_membind_self(0))
		return NULL;
	b = topo_binding_json();
	pol = json_string_value(json_object_get(b, "mempolicy"));
	ok = pol && !strcmp(pol, "bind") &&
	     !strcmp(json_string_value(json_object_get(b, "nodeset")), "0");
	json_decref(b);
	return ok ? (void *)1 : NULL;
}

static void test_membind(void **unused)
{
	pthread_t t;
	void *ok;

	(void)unused;
	assert_true(topo_node_valid(0));
	assert_false(topo_node_valid(4095));
	assert_int_equal(pthread_create(&t, NULL, bind_node0, NULL), 0);
	assert_int_equal(pthread_join(t, &ok), 0);
	assert_non_null(ok);
}

static void test_record(void **unused)
{
	json_t *o = topo_json(), *nodes, *caches;

	(void)unused;
	assert_true(json_integer_value(json_object_get(o, "packages")) >= 1);
	assert_int_equal(json_integer_value(json_object_get(o, "cores")),
			 topo_cores());
	assert_int_equal(json_integer_value(json_object_get(o, "pus")),
			 topo_pus());
	nodes = json_object_get(o, "numa_nodes");
	assert_int_equal(json_array_size(nodes), (size_t)topo_nodes());
	assert_non_null(json_object_get(json_array_get(nodes, 0),
					"huge_page_sizes_kb"));
	caches = json_object_get(o, "caches");
	assert_true(json_is_array(caches));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_each_cpu),
		cmocka_unit_test(test_workers_one_per_core),
		cmocka_unit_test(test_membind),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
