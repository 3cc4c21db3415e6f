/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-free metrics of one region: distinct 4K vmemmap pages and 2M
 * blocks touched, and the reuse distance of vmemmap pages (how many other
 * distinct pages were touched since this page's previous access).  Pure
 * C, no QEMU; the plugin feeds it, unit tests check it.
 */
#ifndef HVOBENCH_FOOTPRINT_H
#define HVOBENCH_FOOTPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A u64 -> u64 open-addressing map whose entries expire by generation. */
struct u64map {
	size_t cap; /* power of two */
	size_t used;
	uint32_t gen;
	struct u64map_ent {
		uint64_t key, val;
		uint32_t gen;
	} * e;
};

int u64map_init(struct u64map *m, size_t cap);
void u64map_free(struct u64map *m);
/* Forget every entry (O(1): a new generation). */
void u64map_clear(struct u64map *m);
/* The entry for key, inserted (val 0) if absent; NULL when full (75%). */
struct u64map_ent *u64map_get(struct u64map *m, uint64_t key, bool *fresh);
/* Read-only: NULL if absent. */
const struct u64map_ent *u64map_find(const struct u64map *m, uint64_t key);

/*
 * Reuse-distance bins: [0] distance 0 (same page again), [i] distances
 * 2^(i-1) .. 2^i - 1 for i >= 1, the last bin everything larger.
 */
#define FP_BINS 18

struct footprint {
	struct u64map pages; /* 4K page number -> last event index */
	uint32_t *fen;	     /* Fenwick tree over event indices, 1-based */
	uint32_t maxev, nev;
	uint64_t last_page;
	bool have_last;
	uint64_t accesses, cold, untracked;
	uint64_t bin[FP_BINS];
	int64_t last_distance; /* of the latest access; -1: cold/untracked */
	bool overflow; /* the page map filled up: distinct counts are floors */
};

int fp_init(struct footprint *f, size_t max_pages, uint32_t max_events);
void fp_free(struct footprint *f);
void fp_reset(struct footprint *f);
/* One access to the vmemmap page with this 4K page number. */
void fp_touch(struct footprint *f, uint64_t page);
/* Distinct 4K pages and distinct 2M blocks touched since the reset. */
uint64_t fp_pages(const struct footprint *f);
uint64_t fp_blocks(const struct footprint *f);
/*
 * The touched 2M blocks (block number = page >> 9) with their distinct
 * page counts, up to max of them, in no particular order; returns how
 * many blocks there are in all.
 */
uint64_t fp_block_list(const struct footprint *f, uint64_t *block,
		       uint64_t *pages, size_t max);
unsigned int fp_bin(uint64_t distance);

/* Address classes. */
enum addr_class { AC_VMEMMAP, AC_DMAP, AC_KERNEL, AC_USER, AC_N };
extern const char *const addr_class_name[AC_N];

struct addr_ranges {
	uint64_t vmemmap_lo, vmemmap_hi; /* [lo, hi) */
	uint64_t dmap_lo, dmap_hi;
};

enum addr_class addr_classify(const struct addr_ranges *r, uint64_t va);
/* "LO-HI" in hex (0x optional); 0 or -1. */
int parse_range(const char *s, uint64_t *lo, uint64_t *hi);

#endif
