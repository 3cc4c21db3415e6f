// SPDX-License-Identifier: GPL-2.0
/*
 * The report's reader: Google Benchmark's sample JSON (Debian's
 * libbenchmark-tools), our fixtures, directories of runs, --by pairing,
 * histogram percentiles, and every kind of bad input as an error message
 * (never a crash).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define GB_INPUTS "/usr/share/benchmark/gbench/Inputs"

static char fixture[4096];

static const char *fx(const char *name)
{
	const char *src = getenv("HVOBENCH_SRC");

	snprintf(fixture, sizeof(fixture), "%s/bench/tests/data/report/%s",
		 src ? src : ".", name);
	return fixture;
}

static void test_gbench_inputs(void **unused)
{
	struct rset s = {0};
	char err[RERR_LEN];
	const struct rbench *b;
	const struct rmetric *m;

	(void)unused;
	if (access(GB_INPUTS "/test1_run1.json", R_OK)) {
		print_message("skip: %s missing\n", GB_INPUTS);
		skip();
	}
	assert_int_equal(
		rset_load(&s, GB_INPUTS "/test1_run1.json", err, sizeof(err)),
		0);
	assert_int_equal(s.nruns, 1);
	b = rset_find(&s, "BM_2xSlower");
	assert_non_null(b);
	m = rbench_find_metric(b, "real_time");
	assert_non_null(m);
	assert_int_equal(m->n, 1);
	assert_float_equal(m->v[0], 50, 1e-12);
	assert_int_equal(m->dir, RDIR_LOWER);
	/* Old rows have no run_type: iterations; time units become ns. */
	b = rset_find(&s, "BM_BadTimeUnit");
	if (b) {
		m = rbench_find_metric(b, "real_time");
		assert_non_null(m);
		assert_true(m->v[0] > 0);
	}
	rset_free(&s);

	/* Repetitions: iteration rows pooled, aggregate rows ignored. */
	assert_int_equal(
		rset_load(&s, GB_INPUTS "/test3_run0.json", err, sizeof(err)),
		0);
	for (size_t i = 0; i < s.nb; i++) {
		assert_null(strstr(s.b[i].name, "_mean"));
		assert_null(strstr(s.b[i].name, "_median"));
		assert_null(strstr(s.b[i].name, "_stddev"));
	}
	rset_free(&s);

	/* Aggregates only: a valid file with nothing to compare. */
	assert_int_equal(
		rset_load(&s, GB_INPUTS "/test4_run.json", err, sizeof(err)),
		0);
	assert_int_equal(s.nb, 0);
	rset_free(&s);
}

static void test_fixture(void **unused)
{
	struct rset s = {0};
	char err[RERR_LEN];
	const struct rbench *b;
	const struct rmetric *m;
	const struct rhist *h;

	(void)unused;
	assert_int_equal(rset_load(&s, fx("pool-a.json"), err, sizeof(err)), 0);
	b = rset_find(&s, "pool/grow/size:2M/pages:64/hvo:on");
	assert_non_null(b);
	assert_string_equal(rbench_param(b, "hvo"), "on");
	assert_string_equal(rbench_param(b, "pages"), "64");
	m = rbench_find_metric(b, "real_time");
	assert_int_equal(m->n, 6); /* 6 iterations, the _mean row ignored */
	m = rbench_find_metric(b, "items_per_second");
	assert_non_null(m);
	assert_int_equal(m->dir, RDIR_HIGHER);
	m = rbench_find_metric(b, "lat:alloc:p99");
	assert_non_null(m);
	assert_int_equal(m->dir, RDIR_LOWER);
	m = rbench_find_metric(b, "tlb:tlb_flush/item");
	assert_non_null(m);
	assert_int_equal(m->dir, RDIR_NONE);
	assert_float_equal(m->v[0], 16, 0);
	/* Unavailable counters (null value) are not data. */
	assert_null(rbench_find_metric(b, "dTLB-load-misses/item"));
	assert_null(rbench_find_metric(b, "dTLB-load-misses"));
	/* vmstat deltas per item (pages): 640 allocations over 640 items. */
	m = rbench_find_metric(b, "vmstat:htlb_buddy_alloc_success/item");
	assert_non_null(m);
	assert_float_equal(m->v[0], 1.0, 1e-12);
	/* Pooled histogram: 6 rows x 64 operations. */
	assert_int_equal(b->nh, 1);
	h = &b->h[0];
	{
		double tot = 0;

		for (size_t i = 0; i < h->n; i++) {
			tot += h->b[i].count;
			if (i)
				assert_true(h->b[i - 1].lo < h->b[i].lo);
		}
		assert_float_equal(tot, 6 * 64, 0);
	}
	/* Row labels counted per benchmark. */
	assert_int_equal(b->nlabels, 1);
	assert_string_equal(b->labels[0].text, "regime=split");
	assert_int_equal(b->labels[0].n, 6);
	assert_int_equal(s.nskip, 1);
	assert_non_null(strstr(s.skip[0].reason, "1G"));
	assert_int_equal(s.nruns, 1);
	rset_free(&s);
}

static void test_hist_quantile(void **unused)
{
	struct rhist h = {0};

	(void)unused;
	/* 10 values in [0,9], 10 in [10,19]: median at the boundary. */
	assert_int_equal(rhist_add(&h, 10, 19, 10), 0);
	assert_int_equal(rhist_add(&h, 0, 9, 10), 0);
	rhist_finish(&h);
	assert_float_equal(h.b[0].lo, 0, 0);
	assert_float_equal(rhist_quantile(&h, 0.5), 9, 1e-12);
	assert_float_equal(rhist_quantile(&h, 0.75), 14.5, 1e-12);
	assert_float_equal(rhist_quantile(&h, 1.0), 19, 1e-12);
	free(h.b);
}

static void test_by_pairing(void **unused)
{
	struct ropts o = {.alpha = 0.05, .corr = RCORR_BH, .by = "hvo"};
	struct rset s = {0};
	struct rreport r;
	char err[RERR_LEN];

	(void)unused;
	assert_int_equal(rset_load(&s, fx("pool-a.json"), err, sizeof(err)), 0);
	assert_int_equal(rreport_build(&r, &s, NULL, &o, err, sizeof(err)), 0);
	assert_string_equal(r.label_a, "hvo:off");
	assert_string_equal(r.label_b, "hvo:on");
	assert_int_equal(r.npairs, 3);
	assert_string_equal(r.pairs[0].key, "pool/grow/size:2M/pages:64");
	assert_string_equal(r.pairs[1].key, "fault/write/threads:1");
	assert_int_equal(r.n_noparam, 1); /* only/in-a */
	for (size_t i = 0; i < r.nc; i++)
		if (!strcmp(r.c[i].ma->name, "real_time"))
			assert_int_equal(r.c[i].verdict,
					 1); /* HVO on: slower */
	rreport_free(&r);

	o.by = "hvo:on,off";
	assert_int_equal(rreport_build(&r, &s, NULL, &o, err, sizeof(err)), 0);
	assert_string_equal(r.label_a, "hvo:on");
	for (size_t i = 0; i < r.nc; i++)
		if (!strcmp(r.c[i].ma->name, "real_time"))
			assert_int_equal(r.c[i].verdict, -1);
	rreport_free(&r);

	o.by = "hvo:on";
	assert_int_equal(rreport_build(&r, &s, NULL, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "PARAM:A,B"));
	rreport_free(&r);
	rset_free(&s);
}

/* Every bad input: -1 and a one-line message naming the file. */
static void test_bad_inputs(void **unused)
{
	static const struct {
		const char *file, *want;
	} bad[] = {
		{"empty.json", "empty file"},
		{"truncated.json", "truncated JSON"},
		{"wrong-schema.json", "no \"benchmarks\" array"},
		{"not-object.json", "top level is not an object"},
		{"nan.json", "NaN/inf"},
		{"inf.json", "NaN/inf"},
		{"infinity.json", "NaN/inf"},
		{"bad-row.json", "real_time missing or not a number"},
		{"bad-unit.json", "unknown time_unit"},
		{"does-not-exist.json", "No such file or directory"},
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rset s = {0};
		char err[RERR_LEN] = "";

		assert_int_equal(
			rset_load(&s, fx(bad[i].file), err, sizeof(err)), -1);
		print_message("%s: %s\n", bad[i].file, err);
		assert_non_null(strstr(err, bad[i].want));
		assert_non_null(strstr(err, bad[i].file));
		assert_null(strchr(err, '\n'));
		rset_free(&s);
	}
}

static void test_buffers(void **unused)
{
	static const char *const docs[] = {
		"{\"benchmarks\": [{\"name\": \"x\", \"real_time\": 1, "
		"\"cpu_time\": 1, \"hvobench\": {\"hist\": {\"h\": "
		"{\"buckets\": [[5, 1, 2]]}}}}]}",
		"{\"benchmarks\": [{\"name\": \"x\", \"real_time\": 1, "
		"\"cpu_time\": 1, \"hvobench\": {\"hist\": {\"h\": "
		"{\"buckets\": [[1, 2]]}}}}]}",
		"{\"benchmarks\": [{\"name\": \"\"}]}",
		"{\"benchmarks\": [7]}",
		"{\"benchmarks\": [], \"hvobench_skipped\": {}}",
		"{\"benchmarks\": [], \"hvobench_skipped\": [{}]}",
		"{\"benchmarks\": [], \"benchmarks\": []}",
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct rset s = {0};
		char err[RERR_LEN] = "";

		assert_int_equal(rset_load_buf(&s, docs[i], strlen(docs[i]),
					       "buf", err, sizeof(err)),
				 -1);
		print_message("doc %zu: %s\n", i, err);
		assert_true(strlen(err) > 4);
		rset_free(&s);
	}
}

/* vmstat deltas: zeros are omitted by writers; per-iteration values. */
static void test_vmstat_zeros(void **unused)
{
	static const char doc[] =
		"{\"benchmarks\": ["
		"{\"name\": \"x\", \"iterations\": 2, \"real_time\": 1, "
		"\"cpu_time\": 1, \"hvobench\": {\"vmstat_delta\": {}}},"
		"{\"name\": \"x\", \"iterations\": 2, \"real_time\": 1, "
		"\"cpu_time\": 1, \"hvobench\": {\"vmstat_delta\": "
		"{\"pgfault\": 8}}},"
		"{\"name\": \"x\", \"iterations\": 4, \"real_time\": 1, "
		"\"cpu_time\": 1, \"hvobench\": {\"vmstat_delta\": {}}},"
		"{\"name\": \"x\", \"iterations\": 4, \"real_time\": 1, "
		"\"cpu_time\": 1}]}";
	struct rset s = {0};
	char err[RERR_LEN];
	const struct rmetric *m;

	(void)unused;
	assert_int_equal(
		rset_load_buf(&s, doc, strlen(doc), "buf", err, sizeof(err)),
		0);
	m = rbench_find_metric(rset_find(&s, "x"), "vmstat:pgfault/iter");
	assert_non_null(m);
	/* Three rows carried the object; the last row had none. */
	assert_int_equal(m->n, 3);
	assert_float_equal(m->v[0], 0, 0);
	assert_float_equal(m->v[1], 4, 0);
	assert_float_equal(m->v[2], 0, 0);
	rset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gbench_inputs),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_hist_quantile),
		cmocka_unit_test(test_by_pairing),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_buffers),
		cmocka_unit_test(test_vmstat_zeros),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
