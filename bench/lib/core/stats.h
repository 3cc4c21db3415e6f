/* SPDX-License-Identifier: GPL-2.0 */
/* Aggregates over repetitions: small pure functions over arrays. */
#ifndef HVOBENCH_STATS_H
#define HVOBENCH_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double mean, median, stddev, cv, min, max;
};

/* Welford mean/variance (sample stddev, n-1); cv = stddev / mean. */
void stats_compute(const double *x, size_t n, struct stats *s);
double stats_median(const double *x, size_t n);

#endif
