// SPDX-License-Identifier: GPL-2.0
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats_median(const double *x, size_t n)
{
	if (!n)
		return NAN;
	double *s = malloc(n * sizeof(*s));

	if (!s)
		return NAN;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;

	free(s);
	return m;
}

void stats_compute(const double *x, size_t n, struct stats *s)
{
	double mean = 0, m2 = 0;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n) {
		s->mean = s->median = s->stddev = s->cv = NAN;
		s->min = s->max = NAN;
		return;
	}
	s->min = s->max = x[0];
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - mean;

		mean += d / (double)(i + 1);
		m2 += d * (x[i] - mean);
		if (x[i] < s->min)
			s->min = x[i];
		if (x[i] > s->max)
			s->max = x[i];
	}
	s->mean = mean;
	s->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0;
	s->cv = mean != 0 ? s->stddev / mean : 0;
	s->median = stats_median(x, n);
}
