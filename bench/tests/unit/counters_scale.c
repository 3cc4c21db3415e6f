// SPDX-License-Identifier: GPL-2.0
/* Multiplex scaling: raw * enabled / running, and the ratio reported. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "counters/counters.h"

static void test_full_time(void **unused)
{
	double v, r;

	(void)unused;
	assert_int_equal(ctr_scale(1000, 5000, 5000, &v, &r), 0);
	assert_true(v == 1000.0 && r == 1.0);
	/* running can exceed enabled by rounding: never scale down. */
	assert_int_equal(ctr_scale(1000, 5000, 5001, &v, &r), 0);
	assert_true(v == 1000.0 && r == 1.0);
}

static void test_multiplexed(void **unused)
{
	double v, r;

	(void)unused;
	/* Counted a quarter of the time: extrapolate x4, ratio 0.25. */
	assert_int_equal(ctr_scale(250, 4000, 1000, &v, &r), 0);
	assert_true(fabs(v - 1000.0) < 1e-9);
	assert_true(fabs(r - 0.25) < 1e-12);
	assert_int_equal(ctr_scale(1, 3, 2, &v, &r), 0);
	assert_true(fabs(v - 1.5) < 1e-12);
	assert_true(fabs(r - 2.0 / 3.0) < 1e-12);
	/* Large counts keep their precision (no integer overflow). */
	assert_int_equal(ctr_scale(UINT64_MAX / 2, 1000000000ull * 60,
				   1000000000ull * 20, &v, &r),
			 0);
	assert_true(fabs(v / ((double)(UINT64_MAX / 2) * 3.0) - 1.0) < 1e-12);
}

static void test_never_scheduled(void **unused)
{
	double v = -1, r = -1;

	(void)unused;
	assert_int_equal(ctr_scale(0, 5000, 0, &v, &r), -1);
	assert_true(v == 0 && r == 0);
}

static void test_never_enabled(void **unused)
{
	double v, r;

	(void)unused;
	/* An empty region: exact zero, not "unavailable". */
	assert_int_equal(ctr_scale(0, 0, 0, &v, &r), 0);
	assert_true(v == 0 && r == 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_time),
		cmocka_unit_test(test_multiplexed),
		cmocka_unit_test(test_never_scheduled),
		cmocka_unit_test(test_never_enabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
