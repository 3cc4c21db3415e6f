/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bodies both harnesses time in the overhead comparison: identical
 * code, included by the C (libbench) and the C++ (Google Benchmark) side.
 */
#ifndef HVOBENCH_OVERHEAD_BODIES_H
#define HVOBENCH_OVERHEAD_BODIES_H

#include <stdint.h>

static inline void body_empty(void)
{
	__asm__ volatile("" ::: "memory");
}

/* ~100 ns: 40 dependent 64-bit multiply-adds (LCG steps). */
static inline uint64_t body_100ns(uint64_t x)
{
	for (int i = 0; i < 40; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	__asm__ volatile("" : "+r"(x));
	return x;
}

#endif
