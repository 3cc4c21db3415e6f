// SPDX-License-Identifier: GPL-2.0
/* Histogram: bucket geometry and the 1% percentile error bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "hist.h"

static void test_geometry(void **unused)
{
	(void)unused;
	/* Buckets tile the range: contiguous, ordered, each value inside. */
	for (unsigned int i = 0; i + 1 < HIST_BUCKETS; i++) {
		assert_true(hist_lower(i) <= hist_upper(i));
		assert_int_equal(hist_upper(i) + 1, hist_lower(i + 1));
		if (hist_lower(i) >= HIST_SUB)
			assert_true((double)(hist_upper(i) - hist_lower(i)) <=
				    (double)hist_lower(i) / 128.0);
	}
	const uint64_t probes[] = {0,	      1,	  127,	     128,
				   129,	      255,	  256,	     1000,
				   123456789, 1ull << 40, UINT64_MAX};

	for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
		unsigned int i = hist_index(probes[k]);

		assert_true(i < HIST_BUCKETS);
		assert_true(hist_lower(i) <= probes[k]);
		assert_true(probes[k] <= hist_upper(i));
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Every reported percentile is within 1% of the exact order statistic. */
static void test_percentile_error(void **unused)
{
	enum { N = 200000 };
	static struct bench_hist h;
	uint64_t *v = malloc(N * sizeof(*v));
	const double qs[] = {0.01, 0.1, 0.5, 0.9, 0.99, 0.999};

	(void)unused;
	assert_non_null(v);
	srand(7);
	for (int dist = 0; dist < 2; dist++) {
		hist_init(&h, "t");
		for (int i = 0; i < N; i++) {
			/* log-uniform over 100 ns..10 s, or uniform */
			double u = (double)rand() / RAND_MAX;

			v[i] = dist ? (uint64_t)(100 * pow(1e8, u))
				    : (uint64_t)(1000 + u * 1e6);
			bench_hist_record(&h, v[i]);
		}
		qsort(v, N, sizeof(*v), cmp_u64);
		for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
			size_t rank = (size_t)ceil(qs[k] * N);
			double exact = (double)v[rank - 1];
			double got = (double)hist_quantile(&h, qs[k]);

			assert_true(fabs(got - exact) <= 0.01 * exact);
		}
		assert_int_equal(h.min, v[0]);
		assert_int_equal(h.max, v[N - 1]);
		assert_int_equal(h.count, N);
	}
	free(v);
}

static void test_merge(void **unused)
{
	static struct bench_hist a, b;

	(void)unused;
	hist_init(&a, "a");
	hist_init(&b, "b");
	for (uint64_t i = 1; i <= 100; i++)
		bench_hist_record(i % 2 ? &a : &b, i * 1000);
	hist_merge(&a, &b);
	assert_int_equal(a.count, 100);
	assert_int_equal(a.min, 1000);
	assert_int_equal(a.max, 100000);
	assert_true(fabs((double)hist_quantile(&a, 0.5) - 50000) <= 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_percentile_error),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
