/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two-sample statistics for the compare report: small pure functions over
 * arrays of doubles.  The Mann-Whitney U p-value follows
 * scipy.stats.mannwhitneyu(x, y) (two-sided, method "auto", continuity
 * correction), so numbers can be checked against a statistics package.
 */
#ifndef HVOBENCH_RSTATS_H
#define HVOBENCH_RSTATS_H

#include <stdbool.h>
#include <stddef.h>

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
	bool exact; /* exact null distribution (no ties, a side <= 8) */
};

/*
 * Mann-Whitney U test of a vs b.  Exact when there are no ties and one
 * side has at most 8 values (scipy's "auto" rule), else the normal
 * approximation with tie correction and continuity correction.
 * Returns 0, or -1 with errno set (ENOMEM, EINVAL for empty input).
 */
int rs_mwu(const double *a, size_t na, const double *b, size_t nb,
	   struct rs_mwu *out);

/* The smallest two-sided p-value reachable with these sample sizes. */
double rs_mwu_min_p(size_t na, size_t nb);

struct rs_hl {
	double est; /* Hodges-Lehmann shift: median of b_j - a_i */
	double lo, hi;
	bool exact; /* critical value from the exact U distribution */
};

/*
 * Hodges-Lehmann estimate of the shift b - a with its distribution-free
 * confidence interval (conf, e.g. 0.95) from the Mann-Whitney
 * distribution: [d(k), d(mn+1-k)] of the sorted pairwise differences, k
 * as R's wilcox.test (exact) or floor(mn/2 - z*sd) (normal, tie
 * corrected).  With logscale the inputs must be > 0 and the shift is of
 * log values: exp() of the result is the ratio b/a.
 * Returns 0, or -1 with errno set.
 */
int rs_hl_ci(const double *a, size_t na, const double *b, size_t nb,
	     double conf, bool logscale, struct rs_hl *out);

/* Adjusted p-values (as statsmodels' multipletests holm / fdr_bh). */
int rs_holm(const double *p, size_t n, double *adj);
int rs_bh(const double *p, size_t n, double *adj);

/* Geometric mean of positive values; NaN when none. */
double rs_geomean(const double *v, size_t n);

#endif
