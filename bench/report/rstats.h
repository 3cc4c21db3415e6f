/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-sample statistics for the compare report: small pure functions over
 * arrays of doubles.  Small samples get exact (permutation) p-values,
 * ties included; large ones the normal approximation of
 * scipy.stats.mannwhitneyu(x, y) (tie and continuity corrected), so
 * numbers can be checked against a statistics package.
 */
#ifndef HVOBENCH_RSTATS_H
#define HVOBENCH_RSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exact rank distributions up to this many values in both samples. */
#define RS_EXACT_MAX_N 50

/* Median and mean; NaN for n == 0.  rs_median does not modify v. */
double rs_median(const double *v, size_t n);
double rs_mean(const double *v, size_t n);
/* Quantile q in [0,1] of a sorted array, linear interpolation (type 7). */
double rs_quantile_sorted(const double *sorted, size_t n, double q);
void rs_sort(double *v, size_t n);

/* Standard normal upper tail and its inverse (for p in (0,1)). */
double rs_norm_sf(double z);
double rs_norm_isf(double p);

struct rs_mwu {
	double u1;  /* U of the first sample, as scipy reports it */
	double p;   /* two-sided p-value */
	bool exact; /* exact permutation distribution (na+nb <= 50) */
};

/*
 * Mann-Whitney U test of a vs b.  Exact when na + nb <= RS_EXACT_MAX_N:
 * the permutation distribution of the rank sum given the observed (tied)
 * ranks, p = twice the smaller tail (as scipy.stats.permutation_test);
 * without ties this is scipy's mannwhitneyu(method="exact").  Larger
 * samples: normal approximation with tie and continuity correction.
 * Returns 0, or -1 with errno set (ENOMEM, EINVAL for empty input).
 */
int rs_mwu(const double *a, size_t na, const double *b, size_t nb,
	   struct rs_mwu *out);

/* The smallest two-sided p-value reachable with these sample sizes. */
double rs_mwu_min_p(size_t na, size_t nb);

struct rs_hl {
	double est; /* Hodges-Lehmann shift: median of b_j - a_i */
	double lo, hi;
	double conf; /* coverage achieved: below the nominal at tiny n */
	bool exact;  /* critical value from the exact U distribution */
};

/*
 * Hodges-Lehmann estimate of the shift b - a with its distribution-free
 * confidence interval (conf, e.g. 0.95) from the Mann-Whitney
 * distribution: [d(k), d(mn+1-k)] of the sorted pairwise differences, k
 * as R's wilcox.test (exact) or floor(mn/2 - z*sd) (normal, tie
 * corrected).  With logscale the inputs must be > 0 and the shift is of
 * log values: exp() of the result is the ratio b/a.  The order statistics
 * of the m*n differences are found by exact selection in O((m+n) log)
 * time and O(m+n) memory, never by listing them.
 * Returns 0, or -1 with errno set.
 */
int rs_hl_ci(const double *a, size_t na, const double *b, size_t nb,
	     double conf, bool logscale, struct rs_hl *out);

/* The k-th smallest (1-based) of b[j] - a[i]; a and b sorted. */
double rs_kth_diff(const double *a, size_t na, const double *b, size_t nb,
		   uint64_t k);

/* Student t upper tail and its inverse, df > 0 (real). */
double rs_t_sf(double t, double df);
double rs_t_isf(double p, double df);

struct rs_welch {
	double est;    /* mean(b) - mean(a) */
	double lo, hi; /* CI of est at conf */
	double p;      /* two-sided; NaN when both sides have no spread */
	double df;     /* Welch-Satterthwaite */
};

/* Welch's t test and interval of b - a; each side needs >= 2 values. */
int rs_welch(const double *a, size_t na, const double *b, size_t nb,
	     double conf, struct rs_welch *out);

/* Adjusted p-values (as statsmodels' multipletests holm / fdr_bh). */
int rs_holm(const double *p, size_t n, double *adj);
int rs_bh(const double *p, size_t n, double *adj);

#endif
