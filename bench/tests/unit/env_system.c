// SPDX-License-Identifier: GPL-2.0
/*
 * The environment additions read from this machine: uptime, isolated and
 * nohz_full CPUs, vulnerabilities, library versions; free blocks by order
 * (buddyinfo, pagetypeinfo) as recorded before each pool benchmark.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "env/env.h"
#include "sys.h"

static void test_system(void **s)
{
	json_t *o = env_system(), *v;

	(void)s;
	assert_true(json_real_value(json_object_get(o, "uptime_s")) > 0);
	/* Present (maybe "") or null: never left out. */
	assert_non_null(json_object_get(o, "isolated_cpus"));
	assert_non_null(json_object_get(o, "nohz_full_cpus"));
	v = json_object_get(o, "vulnerabilities");
	if (access("/sys/devices/system/cpu/vulnerabilities", R_OK) == 0)
		assert_true(json_object_size(v) > 0);
	v = json_object_get(o, "libraries");
	assert_string_equal(json_string_value(json_object_get(v, "jansson")),
			    JANSSON_VERSION);
	assert_non_null(json_string_value(json_object_get(v, "glibc")));
	json_decref(o);
}

static void test_free_pages(void **s)
{
	json_t *o = sys_free_pages_json(), *b, *a;
	const char *key;
	size_t orders = 0;

	(void)s;
	b = json_object_get(o, "buddyinfo");
	assert_true(json_object_size(b) > 0);
	json_object_foreach (b, key, a) {
		assert_non_null(strchr(key, '/'));
		if (!orders)
			orders = json_array_size(a);
		/* Every zone has the same orders, MAX_PAGE_ORDER + 1 >= 10. */
		assert_int_equal(json_array_size(a), orders);
	}
	assert_true(orders >= 10);
	b = json_object_get(o, "pagetypeinfo");
	if (geteuid() == 0) {
		assert_true(json_object_size(b) >
			    json_object_size(json_object_get(o, "buddyinfo")));
		assert_non_null(json_object_get(b, "0/Normal/Movable"));
	} else {
		assert_true(json_is_null(b));
	}
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_free_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
