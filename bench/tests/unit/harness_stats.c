// SPDX-License-Identifier: GPL-2.0
/* Aggregates against values computed independently (Python statistics). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>

#include "stats.h"

static void test_known_values(void **unused)
{
	const double x[] = {3.1, 4.7, 2.2, 9.0, 5.5, 6.1, 4.4};
	struct stats s;

	(void)unused;
	stats_compute(x, 7, &s);
	assert_int_equal(s.n, 7);
	assert_float_equal(s.mean, 5.0, 1e-12);
	assert_float_equal(s.median, 4.7, 1e-12);
	assert_float_equal(s.stddev, 2.2120880030716075, 1e-12);
	assert_float_equal(s.cv, 0.4424176006143215, 1e-12);
	assert_float_equal(s.min, 2.2, 0);
	assert_float_equal(s.max, 9.0, 0);
}

/* Naive sum-of-squares loses every digit here; Welford must not. */
static void test_welford_large_offset(void **unused)
{
	const double x[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
	struct stats s;

	(void)unused;
	stats_compute(x, 4, &s);
	assert_float_equal(s.stddev, 5.477225575051661, 1e-6);
	assert_float_equal(s.median, 1e9 + 10, 1e-6);
}

static void test_edges(void **unused)
{
	const double one = 42;
	struct stats s;

	(void)unused;
	stats_compute(&one, 1, &s);
	assert_float_equal(s.mean, 42, 0);
	assert_float_equal(s.stddev, 0, 0);
	assert_float_equal(s.median, 42, 0);
	stats_compute(NULL, 0, &s);
	assert_true(isnan(s.mean));
	assert_true(isnan(stats_median(NULL, 0)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_welford_large_offset),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
