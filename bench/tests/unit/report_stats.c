// SPDX-License-Identifier: GPL-2.0
/*
 * Report statistics against reference values computed independently with
 * python3-scipy 1.10 (scipy.stats.mannwhitneyu; permutation_test with
 * every permutation for the exact tied p-values, or an exact-integer
 * generating function in Python where there are too many; the exact U
 * distribution for the Hodges-Lehmann critical value as R's wilcox.test
 * does; scipy.stats.t and ttest_ind(equal_var=False) for Welch; Holm /
 * Benjamini-Hochberg written out by hand); then power and calibration on
 * synthetic samples from a fixed-seed generator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rstats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const double a1[] = {12.1, 13.4, 11.8, 12.9, 13.0};
static const double b1[] = {14.2, 13.9, 15.1, 14.8, 13.5, 14.0};
static const double a2[] = {1, 2, 2, 3, 3, 3, 4, 5, 5, 6};
static const double b2[] = {3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9};
static const double a4[] = {100.004, 100.9,   99.181,  97.364, 98.645,
			    97.069,  100.181, 104.103, 98.534, 98.156,
			    101.48,  101.076, 100.317, 97.247, 99.912,
			    102.108, 96.048,  98.637,  94.456, 96.205};
static const double b4[] = {99.356,  104.262, 101.082, 105.858, 105.495,
			    104.413, 97.364,  103.317, 104.847, 105.358,
			    100.289, 103.506, 101.962, 102.483, 108.396,
			    102.487, 104.898, 107.823, 103.178, 104.649};

static void test_mwu_exact(void **unused)
{
	struct rs_mwu r;

	(void)unused;
	/* scipy: U=0.0, p=0.004329004329004329 (exact) */
	assert_int_equal(rs_mwu(a1, N(a1), b1, N(b1), &r), 0);
	assert_true(r.exact);
	assert_float_equal(r.u1, 0.0, 1e-12);
	assert_float_equal(r.p, 0.004329004329004329, 1e-12);
	/* Swapping the sides: U of the first sample is n*m - U. */
	assert_int_equal(rs_mwu(b1, N(b1), a1, N(a1), &r), 0);
	assert_float_equal(r.u1, 30.0, 1e-12);
	assert_float_equal(r.p, 0.004329004329004329, 1e-12);
}

static void test_mwu_ties(void **unused)
{
	static const double a3[] = {1, 2, 2, 4}, b3[] = {2, 5, 6};
	static const double a5[] = {1, 1, 2}, b5[] = {2, 3, 3};
	struct rs_mwu r;

	(void)unused;
	/* Exact conditional (permutation_test, all 352716): 0.0040259... */
	assert_int_equal(rs_mwu(a2, N(a2), b2, N(b2), &r), 0);
	assert_true(r.exact);
	assert_float_equal(r.u1, 15.5, 1e-12);
	assert_float_equal(r.p, 0.004025901858719197, 1e-12);
	/* Small and tied: permutation_test p=0.22857142857142856 */
	assert_int_equal(rs_mwu(a3, N(a3), b3, N(b3), &r), 0);
	assert_true(r.exact);
	assert_float_equal(r.u1, 2.0, 1e-12);
	assert_float_equal(r.p, 0.22857142857142856, 1e-12);
	/* n=3/3 with ties: 0.2 exactly (the normal approximation: 0.047) */
	assert_int_equal(rs_mwu(a5, N(a5), b5, N(b5), &r), 0);
	assert_float_equal(r.u1, 0.5, 1e-12);
	assert_float_equal(r.p, 0.2, 1e-12);
	/* 20/20, one tie: exact-integer generating function 2.4298e-06 */
	assert_int_equal(rs_mwu(a4, N(a4), b4, N(b4), &r), 0);
	assert_true(r.exact);
	assert_float_equal(r.u1, 39.5, 1e-12);
	assert_float_equal(r.p, 2.429832675999915e-06, 1e-15);
}

/* 40 + 30 values: beyond the exact limit, scipy's asymptotic method. */
static void large(double *a, double *b)
{
	for (int i = 0; i < 40; i++)
		a[i] = 100 + 10 * sin(i * 1.7) + 0.01 * i;
	for (int i = 0; i < 30; i++)
		b[i] = 103 + 10 * sin(i * 2.3 + 1) + 0.01 * i;
}

static void test_mwu_normal(void **unused)
{
	double a[40], b[30];
	struct rs_mwu r;

	(void)unused;
	large(a, b);
	/* scipy: U=455.0, p=0.08636365507106404 */
	assert_int_equal(rs_mwu(a, 40, b, 30, &r), 0);
	assert_false(r.exact);
	assert_float_equal(r.u1, 455.0, 1e-12);
	assert_float_equal(r.p, 0.08636365507106404, 1e-12);
}

static void test_mwu_degenerate(void **unused)
{
	static const double same[] = {5, 5, 5, 5};
	struct rs_mwu r;

	(void)unused;
	assert_int_equal(rs_mwu(same, 4, same, 4, &r), 0);
	assert_float_equal(r.p, 1.0, 0);
	assert_int_equal(rs_mwu(same, 0, same, 4, &r), -1);
	/* scipy: complete separation 3/3 -> 0.1, 4/4 -> 0.0286, 5/5 -> 0.0079 */
	assert_float_equal(rs_mwu_min_p(3, 3), 0.1, 1e-12);
	assert_float_equal(rs_mwu_min_p(4, 4), 0.02857142857142857, 1e-12);
	assert_float_equal(rs_mwu_min_p(5, 5), 0.007936507936507936, 1e-12);
}

static void test_hl_exact(void **unused)
{
	static const double x2[] = {1, 2}, y2[] = {3, 4};
	static const double x3[] = {1, 2, 3}, y3[] = {4, 5, 6};
	struct rs_hl h;

	(void)unused;
	/* Ratio CI on log values: (1.13264877, 1.04477612, 1.22314050) */
	assert_int_equal(rs_hl_ci(a1, N(a1), b1, N(b1), 0.95, true, &h), 0);
	assert_true(h.exact);
	assert_float_equal(exp(h.est), 1.1326487655830504, 1e-9);
	assert_float_equal(exp(h.lo), 1.044776119402985, 1e-9);
	assert_float_equal(exp(h.hi), 1.2231404958677683, 1e-9);
	/* Shift at 90%: (1.7, 0.8, 2.2) */
	assert_int_equal(rs_hl_ci(a1, N(a1), b1, N(b1), 0.90, false, &h), 0);
	assert_float_equal(h.est, 1.7, 1e-9);
	assert_float_equal(h.lo, 0.8, 1e-9);
	assert_float_equal(h.hi, 2.2, 1e-9);
	/* 20/20 (exact k as R's qwilcox): 1.045995, [1.031228, 1.062935] */
	assert_int_equal(rs_hl_ci(a4, N(a4), b4, N(b4), 0.95, true, &h), 0);
	assert_true(h.exact);
	assert_float_equal(exp(h.est), 1.045995073902662, 1e-9);
	assert_float_equal(exp(h.lo), 1.0312278281434764, 1e-9);
	assert_float_equal(exp(h.hi), 1.0629346135223399, 1e-9);
	assert_float_equal(h.conf, 0.9509096748106276, 1e-9);
	/* Tiny n: the range, and the coverage it really has. */
	assert_int_equal(rs_hl_ci(x2, 2, y2, 2, 0.95, false, &h), 0);
	assert_float_equal(h.est, 2, 1e-12);
	assert_float_equal(h.lo, 1, 1e-12);
	assert_float_equal(h.hi, 3, 1e-12);
	assert_float_equal(h.conf, 2.0 / 3, 1e-12);
	assert_int_equal(rs_hl_ci(x3, 3, y3, 3, 0.95, false, &h), 0);
	assert_float_equal(h.conf, 0.9, 1e-12);
}

static void test_hl_normal(void **unused)
{
	double a[40], b[30];
	struct rs_hl h;

	(void)unused;
	large(a, b);
	/* numpy over all 1200 differences, k from the normal: 1.0272325 */
	assert_int_equal(rs_hl_ci(a, 40, b, 30, 0.95, true, &h), 0);
	assert_false(h.exact);
	assert_float_equal(exp(h.est), 1.0272325096223063, 1e-9);
	assert_float_equal(exp(h.lo), 0.9944905089411121, 1e-9);
	assert_float_equal(exp(h.hi), 1.0602990231145148, 1e-9);
	assert_float_equal(h.conf, 0.95, 0);
}

struct vi {
	double v;
	size_t i;
};

static int cmp_vi(const void *x, const void *y)
{
	const struct vi *a = x, *b = y;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* rs_sort is a stable sort by <: every bit as a stable reference's. */
static void test_sort(void **unused)
{
	static const double pick[] = {-0.0,    0.0, -1e308, 1e308, 5e-324,
				      -5e-324, 1,   1,	    -2.5,  1e-300};
	static double v[3000];
	static struct vi ref[3000];
	uint64_t x = 99;

	(void)unused;
	for (size_t n = 0; n < 3000; n = n * 2 + 1) {
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			v[i] = x >> 62 ? pick[(x >> 20) % 10]
				       : ((double)(x >> 11) - 4e15) * 1e-3;
			ref[i] = (struct vi){v[i], i};
		}
		rs_sort(v, n);
		qsort(ref, n, sizeof(*ref), cmp_vi);
		for (size_t i = 0; i < n; i++)
			assert_memory_equal(&v[i], &ref[i].v, sizeof(v[i]));
	}
}

/* Selection agrees with sorting every difference (1.7e308 included). */
static void test_kth_diff(void **unused)
{
	static const double a[] = {-3, 0.5, 1, 1, 7, 1e300};
	static const double b[] = {-1e300, -2, 0, 0, 4.25, 9, 1.7e308};
	double d[42];
	size_t n = 0;

	(void)unused;
	for (size_t i = 0; i < N(a); i++)
		for (size_t j = 0; j < N(b); j++)
			d[n++] = b[j] - a[i];
	rs_sort(d, n);
	for (size_t k = 1; k <= n; k++)
		assert_true(rs_kth_diff(a, N(a), b, N(b), k) == d[k - 1]);
}

/* The same on random samples with many ties, of many shapes. */
static void test_kth_diff_random(void **unused)
{
	static double a[40], b[40], d[1600];
	uint64_t x = 12345;

	(void)unused;
	for (int trial = 0; trial < 300; trial++) {
		size_t na = 1 + trial % 40, nb = 1 + (trial * 7) % 40, n = 0;
		double scale = trial % 3 ? 1 : 1e-3;

		for (size_t i = 0; i < na + nb; i++) {
			double v;

			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			/* Few distinct values every other trial: ties. */
			v = trial % 2 ? (double)(x >> 61)
				      : (double)(x >> 11) / 9007199254740992.0;
			if (i < na)
				a[i] = v * scale;
			else
				b[i - na] = v * scale * (1 + trial % 5);
		}
		rs_sort(a, na);
		rs_sort(b, nb);
		for (size_t i = 0; i < na; i++)
			for (size_t j = 0; j < nb; j++)
				d[n++] = b[j] - a[i];
		rs_sort(d, n);
		for (size_t k = 1; k <= n; k++)
			assert_true(rs_kth_diff(a, na, b, nb, k) == d[k - 1]);
	}
}

static void test_t_welch(void **unused)
{
	double x[] = {10.2, 10.9, 10.4}, y[] = {11.0, 11.8, 10.9, 11.3};
	struct rs_welch w;

	(void)unused;
	/* scipy.stats.t */
	assert_float_equal(rs_t_sf(2.0, 3.5), 0.06306926128795674, 1e-12);
	assert_float_equal(rs_t_sf(0.5, 1.2), 0.346624343582661, 1e-12);
	assert_float_equal(rs_t_sf(-1.3, 10), 0.8886170913965777, 1e-12);
	assert_float_equal(rs_t_isf(0.025, 4.2), 2.725072722592378, 1e-9);
	/* ttest_ind(log y, log x, equal_var=False) and its t interval */
	for (int i = 0; i < 3; i++)
		x[i] = log(x[i]);
	for (int i = 0; i < 4; i++)
		y[i] = log(y[i]);
	assert_int_equal(rs_welch(x, 3, y, 4, 0.95, &w), 0);
	assert_float_equal(w.p, 0.0529549507417748, 1e-10);
	assert_float_equal(w.df, 4.567859587186648, 1e-10);
	assert_float_equal(w.lo, -0.001335229521236464, 1e-9);
	assert_float_equal(w.hi, 0.13914451201782777, 1e-9);
	assert_int_equal(rs_welch(x, 1, y, 4, 0.95, &w), -1);
}

static void test_corrections(void **unused)
{
	static const double p[] = {0.01, 0.04, 0.03, 0.005, 0.2, 0.04};
	static const double holm[] = {0.05, 0.12, 0.12, 0.03, 0.2, 0.12};
	static const double bh[] = {0.03, 0.048, 0.048, 0.03, 0.2, 0.048};
	double q[N(p)];

	(void)unused;
	assert_int_equal(rs_holm(p, N(p), q), 0);
	for (size_t i = 0; i < N(p); i++)
		assert_float_equal(q[i], holm[i], 1e-12);
	assert_int_equal(rs_bh(p, N(p), q), 0);
	for (size_t i = 0; i < N(p); i++)
		assert_float_equal(q[i], bh[i], 1e-12);
}

static void test_basics(void **unused)
{
	static const double v[] = {3, 1, 4, 1, 5, 9, 2, 6};

	(void)unused;
	assert_float_equal(rs_median(v, N(v)), 3.5, 1e-12);
	assert_float_equal(rs_mean(v, N(v)), 3.875, 1e-12);
	assert_float_equal(rs_norm_isf(0.025), 1.9599639845400545, 1e-12);
	assert_true(isnan(rs_median(v, 0)));
}

/* splitmix64 and Box-Muller: reproducible synthetic samples. */
static uint64_t rng_state;

static double uni(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
	return sqrt(-2 * log(uni())) * cos(2 * M_PI * uni());
}

static void sample(double *v, size_t n, double scale, double noise)
{
	for (size_t i = 0; i < n; i++)
		v[i] = scale * exp(noise * gauss());
}

/* A planted 5% slowdown, n=20, 1% noise: flagged, CI covers 1.05. */
static void test_power(void **unused)
{
	double a[20], b[20];
	int flagged = 0, covered = 0;

	(void)unused;
	for (int seed = 0; seed < 200; seed++) {
		struct rs_mwu r;
		struct rs_hl h;

		rng_state = (uint64_t)seed * 7919 + 1;
		sample(a, 20, 100, 0.01);
		sample(b, 20, 105, 0.01);
		assert_int_equal(rs_mwu(a, 20, b, 20, &r), 0);
		assert_int_equal(rs_hl_ci(a, 20, b, 20, 0.95, true, &h), 0);
		flagged += r.p < 0.05 && h.lo > 0;
		covered += exp(h.lo) <= 1.05 && 1.05 <= exp(h.hi);
	}
	assert_int_equal(flagged, 200);
	assert_true(covered >= 180); /* nominal 95% of 200 = 190 */
}

/* Same distribution on both sides: flagged in at most 5% of seeds. */
static void test_calibration(void **unused)
{
	double a[20], b[20];
	int flagged = 0, covered = 0;
	const int seeds = 1000;

	(void)unused;
	for (int seed = 0; seed < seeds; seed++) {
		struct rs_mwu r;
		struct rs_hl h;

		rng_state = (uint64_t)seed * 104729 + 3;
		sample(a, 20, 100, 0.05);
		sample(b, 20, 100, 0.05);
		assert_int_equal(rs_mwu(a, 20, b, 20, &r), 0);
		assert_int_equal(rs_hl_ci(a, 20, b, 20, 0.95, true, &h), 0);
		flagged += r.p < 0.05;
		covered += h.lo <= 0 && 0 <= h.hi;
	}
	print_message("null: flagged %d of %d seeds, CI covered %d\n", flagged,
		      seeds, covered);
	assert_true(flagged <= seeds * 5 / 100);
	assert_true(covered >= seeds * 93 / 100);
}

/*
 * Build a result set in memory: one benchmark, one metric per side, the
 * values spread evenly over runs result files.
 */
static void fill(struct rset *s, const char *bench, const char *metric,
		 const double *v, size_t n, size_t runs)
{
	struct rbench *b = rset_bench(s, bench);
	struct rmetric *m;

	assert_non_null(b);
	m = rbench_metric(b, metric, RDIR_LOWER, RU_NS);
	assert_non_null(m);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rmetric_add(m, v[i], (uint32_t)(i * runs / n)),
				 0);
	b->rows = n;
}

/*
 * The whole pipeline, 10 benchmarks per report, 200 reports, 8 runs of
 * 5 repetitions a side.  planted: bm/0 carries a 5% regression.  Returns
 * reports with any false alarm and accumulates the false discovery
 * proportion and planted hits.
 */
static int reports(enum rcorr corr, bool planted, double *fdp, int *found)
{
	struct ropts o = {.alpha = 0.05, .corr = corr};
	int any = 0;

	*fdp = 0;
	*found = 0;
	for (int seed = 0; seed < 200; seed++) {
		struct rset sa = {0}, sb = {0};
		struct rreport r;
		char err[RERR_LEN], name[32];
		double a[40], b[40];
		int fa = 0, sig = 0;

		rng_state = (uint64_t)seed * 31337 + 11;
		for (int k = 0; k < 10; k++) {
			snprintf(name, sizeof(name), "bm/%d", k);
			sample(a, 40, 100, 0.02);
			sample(b, 40, k == 0 && planted ? 105 : 100, 0.02);
			fill(&sa, name, "real_time", a, 40, 8);
			fill(&sb, name, "real_time", b, 40, 8);
		}
		sa.label = strdup("a");
		sb.label = strdup("b");
		assert_int_equal(
			rreport_build(&r, &sa, &sb, &o, err, sizeof(err)), 0);
		assert_int_equal(r.nc, 10);
		for (size_t i = 0; i < r.nc; i++) {
			assert_int_equal(r.c[i].test, RT_RUNS);
			sig += r.c[i].sig;
			fa += r.c[i].sig && (i > 0 || !planted);
		}
		any += fa > 0;
		*fdp += sig ? (double)fa / sig : 0;
		*found += planted && r.c[0].sig && r.c[0].verdict == 1;
		rreport_free(&r);
		rset_free(&sa);
		rset_free(&sb);
	}
	*fdp /= 200;
	return any;
}

/*
 * Runs that differ from each other (a per-run offset of 3%, repetitions
 * 0.5% around it) of one and the same kernel: A/A.  With one run a side
 * nothing may be called significant; with 3 runs a side at most 5% of
 * the comparisons (plus two standard errors of a 1000-trial estimate).
 * The within-run test on the same data (the old method) is the negative
 * control: it must flag far more than 5%.
 */
static void test_between_runs(void **unused)
{
	struct ropts o = {.alpha = 0.05, .corr = RCORR_BH};
	int flagged[2] = {0, 0}, within = 0, trials = 1000;

	(void)unused;
	for (int runs = 1; runs <= 3; runs += 2) {
		for (int t = 0; t < trials; t++) {
			struct rset sa = {0}, sb = {0};
			struct rreport r;
			char err[RERR_LEN];
			double v[2][21];
			struct rs_mwu u;

			rng_state = (uint64_t)t * 7919 + (uint64_t)runs;
			for (int side = 0; side < 2; side++) {
				for (int k = 0; k < runs; k++) {
					double off[1];

					sample(off, 1, 100, 0.03);
					sample(v[side] + k * 7, 7, off[0],
					       0.005);
				}
			}
			fill(&sa, "bm", "real_time", v[0], (size_t)runs * 7,
			     (size_t)runs);
			fill(&sb, "bm", "real_time", v[1], (size_t)runs * 7,
			     (size_t)runs);
			sa.label = strdup("a");
			sb.label = strdup("b");
			assert_int_equal(rreport_build(&r, &sa, &sb, &o, err,
						       sizeof(err)),
					 0);
			flagged[runs == 3] += r.c[0].sig;
			if (runs == 1) {
				assert_int_equal(r.c[0].test, RT_NONE);
				assert_int_equal(r.c[0].excl, RX_ONE_RUN);
				assert_int_equal(rs_mwu(v[0], 7, v[1], 7, &u),
						 0);
				within += u.p < 0.05;
			}
			rreport_free(&r);
			rset_free(&sa);
			rset_free(&sb);
		}
	}
	print_message("A/A, 1 run a side: %d of %d significant (within-run "
		      "test on the same data: %d); 3 runs a side: %d\n",
		      flagged[0], trials, within, flagged[1]);
	assert_int_equal(flagged[0], 0);
	assert_true(within > trials / 2);
	assert_true(flagged[1] <= trials * 5 / 100 + 2 * 7);
}

static void test_report_calibration(void **unused)
{
	double fdp;
	int any, found;

	(void)unused;
	/*
	 * No real change anywhere: both corrections keep FWER <= alpha, up
	 * to two standard errors of a 200-report estimate (10 + 6).
	 */
	any = reports(RCORR_BH, false, &fdp, &found);
	print_message("BH, global null: %d of 200 reports alarm\n", any);
	assert_true(any <= 16);
	any = reports(RCORR_HOLM, false, &fdp, &found);
	print_message("Holm, global null: %d of 200 reports alarm\n", any);
	assert_true(any <= 16);
	/* One real regression: BH bounds the false discovery rate ... */
	any = reports(RCORR_BH, true, &fdp, &found);
	print_message("BH, planted: FDR %.3f, found %d of 200\n", fdp, found);
	assert_true(fdp <= 0.05);
	assert_true(found >= 190);
	/* ... and Holm the family-wise error. */
	any = reports(RCORR_HOLM, true, &fdp, &found);
	print_message("Holm, planted: %d of 200 alarm, found %d\n", any, found);
	assert_true(any <= 16);
	assert_true(found >= 190);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_exact),
		cmocka_unit_test(test_mwu_ties),
		cmocka_unit_test(test_mwu_normal),
		cmocka_unit_test(test_mwu_degenerate),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_kth_diff),
		cmocka_unit_test(test_kth_diff_random),
		cmocka_unit_test(test_t_welch),
		cmocka_unit_test(test_hl_exact),
		cmocka_unit_test(test_hl_normal),
		cmocka_unit_test(test_corrections),
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_power),
		cmocka_unit_test(test_calibration),
		cmocka_unit_test(test_report_calibration),
		cmocka_unit_test(test_between_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
