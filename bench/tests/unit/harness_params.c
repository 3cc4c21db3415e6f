// SPDX-License-Identifier: GPL-2.0
/* Parameter specs: lists, ranges with multiplier, suffixes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "params.h"

static void expect(const char *spec, int n, const char *const *want)
{
	struct param_axis a;
	char err[128];

	assert_int_equal(param_expand("p", spec, &a, err, sizeof(err)), 0);
	assert_int_equal(a.n, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(a.value[i], want[i]);
}

static void test_lists_and_ranges(void **unused)
{
	(void)unused;
	expect("off,on", 2, (const char *const[]){"off", "on"});
	expect("1..4096*8", 5,
	       (const char *const[]){"1", "8", "64", "512", "4096"});
	expect("1..100*10", 3, (const char *const[]){"1", "10", "100"});
	/* hi is always included, like Google Benchmark's Range(). */
	expect("2..20*4", 3, (const char *const[]){"2", "8", "20"});
	expect("1..64", 3, (const char *const[]){"1", "8", "64"});
	expect("2M,1G,1..2*2", 4, (const char *const[]){"2M", "1G", "1", "2"});
}

static void test_parse_int(void **unused)
{
	int64_t v;

	(void)unused;
	assert_int_equal(param_parse_int("2M", &v), 0);
	assert_int_equal(v, 2 << 20);
	assert_int_equal(param_parse_int("1G", &v), 0);
	assert_int_equal(v, 1 << 30);
	assert_int_equal(param_parse_int("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(param_parse_int("on", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(param_parse_int("off", &v), 0);
	assert_int_equal(v, 0);
	assert_int_not_equal(param_parse_int("2X", &v), 0);
	assert_int_not_equal(param_parse_int("-1", &v), 0);
	assert_int_not_equal(param_parse_int("", &v), 0);
	assert_int_not_equal(param_parse_int("private", &v), 0);
}

static void test_errors(void **unused)
{
	struct param_axis a;
	char err[128];
	const char *bad[] = {"",     "8..1", "0..8",  "1..8*1",
			     "a..b", "1,,2", "1..8*x"};

	(void)unused;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(
			param_expand("p", bad[i], &a, err, sizeof(err)), -1);
		assert_true(strlen(err) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_and_ranges),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
