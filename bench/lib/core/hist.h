/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear histogram: values below 2^SUB_BITS are exact; above, each
 * power of two is cut into 2^SUB_BITS equal buckets, so a bucket is at
 * most 1/128 of its lower bound wide and the midpoint is within 0.4% of
 * every value in it.  O(1) record, fixed memory (~58 KiB).
 */
#ifndef HVOBENCH_HIST_H
#define HVOBENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 7
#define HIST_SUB      (1u << HIST_SUB_BITS)
#define HIST_BUCKETS  (HIST_SUB + (64 - HIST_SUB_BITS) * HIST_SUB)

struct bench_hist {
	char name[48];
	uint64_t count;
	uint64_t min, max;
	double sum;
	uint64_t bucket[HIST_BUCKETS];
};

void hist_init(struct bench_hist *h, const char *name);
unsigned int hist_index(uint64_t v);
/* Inclusive lower and upper value of bucket i. */
uint64_t hist_lower(unsigned int i);
uint64_t hist_upper(unsigned int i);
/* Value at quantile q in [0,1]: bucket midpoint clamped to [min,max]. */
uint64_t hist_quantile(const struct bench_hist *h, double q);
void hist_merge(struct bench_hist *dst, const struct bench_hist *src);

#endif
