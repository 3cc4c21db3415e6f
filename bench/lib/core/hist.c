// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#include "bench.h"

#include <stdio.h>
#include <string.h>

void hist_init(struct bench_hist *h, const char *name)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->min = UINT64_MAX;
}

unsigned int hist_index(uint64_t v)
{
	if (v < HIST_SUB)
		return (unsigned int)v;
	unsigned int e = 63u - (unsigned int)__builtin_clzll(v);
	unsigned int shift = e - HIST_SUB_BITS;

	return HIST_SUB + shift * HIST_SUB +
	       (unsigned int)((v >> shift) - HIST_SUB);
}

uint64_t hist_lower(unsigned int i)
{
	if (i < HIST_SUB)
		return i;
	unsigned int shift = (i - HIST_SUB) / HIST_SUB;
	uint64_t sub = (i - HIST_SUB) % HIST_SUB;

	return (HIST_SUB + sub) << shift;
}

uint64_t hist_upper(unsigned int i)
{
	if (i + 1 >= HIST_BUCKETS)
		return UINT64_MAX;
	return hist_lower(i + 1) - 1;
}

void bench_hist_record(struct bench_hist *h, uint64_t ns)
{
	h->bucket[hist_index(ns)]++;
	h->count++;
	h->sum += (double)ns;
	if (ns < h->min)
		h->min = ns;
	if (ns > h->max)
		h->max = ns;
}

uint64_t hist_quantile(const struct bench_hist *h, double q)
{
	if (!h->count)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	/* Nearest rank: the smallest value with at least q of the samples. */
	uint64_t rank = (uint64_t)(q * (double)h->count + 0.999999999);
	uint64_t seen = 0;

	if (rank < 1)
		rank = 1;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			uint64_t lo = hist_lower(i), hi = hist_upper(i);
			uint64_t mid = lo + (hi - lo) / 2;

			if (mid < h->min)
				mid = h->min;
			if (mid > h->max)
				mid = h->max;
			return mid;
		}
	}
	return h->max;
}

void hist_merge(struct bench_hist *dst, const struct bench_hist *src)
{
	if (!src->count)
		return;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}
