/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory for the fault and gup families: the "size" and "hvo" parameters
 * turned into a reserved pool (through bench/sys) and mappings of 4K
 * anonymous memory, private anonymous MAP_HUGETLB, or a shared hugetlbfs
 * file (memfd with MFD_HUGETLB: no mount needed).
 *
 * Shared by the two families because both need the same order of
 * operations: empty the pool, flip HVO, grow the pool (so every page is
 * allocated under the HVO setting the instance names), pre-touch it.
 */
#ifndef HVOBENCH_HUGEMEM_H
#define HVOBENCH_HUGEMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_state;

#define HM_BASE_PAGE 4096ULL

/* Bytes of the "size" parameter (4K, 2M, 1G); 4K means base pages. */
uint64_t hm_psize(const struct bench_state *st);

/* bench_reqs.check: 4K always; a huge size must be offered by the kernel. */
int hm_check(const struct bench_state *st, char *why, size_t len);

/*
 * Setup: apply the "hvo" parameter (if any) with an empty pool of psize,
 * then reserve npages of psize and touch them once (cold guest memory
 * costs host-side faults that must not land in the timed region).
 * psize 4K reserves nothing.  Later runs of the same instance (calibration,
 * repetitions) reuse the pool; it goes back to what it held at the end of
 * the instance.  Returns 0, or -1 after bench_skip() or bench_error().
 */
int hm_setup(struct bench_state *st, uint64_t psize, uint64_t npages);

/*
 * Map len bytes (a multiple of psize): 4K anonymous with THP disabled for
 * the region, or hugetlb.  shared: a memfd (MFD_HUGETLB for huge sizes)
 * mapped MAP_SHARED; the fd is closed at once, the mapping keeps the file.
 * extra goes to mmap's flags (e.g. MAP_POPULATE).  NULL with errno set.
 * A huge page mapping that finds the pool short (ENOMEM) waits for pages
 * still being freed (see hm_wait_free), except with MAP_POPULATE, where
 * the mmap itself is what is timed.
 */
void *hm_map(uint64_t psize, bool shared, size_t len, int extra);

/*
 * Wait (up to timeout_s) until the pool of psize has n free pages: pages
 * of an exited child are freed by whoever drops the last reference to its
 * mm, which need not be before waitpid() returns.  0, or -ETIMEDOUT.
 */
int hm_wait_free(uint64_t psize, uint64_t n, double timeout_s);

/* Write one byte in every base page (populates every page). */
void hm_touch_all(void *p, size_t len);

/* Round len up to a multiple of psize. */
static inline size_t hm_round(size_t len, uint64_t psize)
{
	return (len + psize - 1) / psize * psize;
}

#endif
