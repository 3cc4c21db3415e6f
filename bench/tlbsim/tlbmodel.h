/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A data-TLB model: per CPU, two levels (L1 dTLB, L2/STLB), each level one
 * or more set-associative arrays with true LRU, entries tagged with their
 * page size.  Pure C, no QEMU: the plugin and the unit tests drive it.
 */
#ifndef HVOBENCH_TLBMODEL_H
#define HVOBENCH_TLBMODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Page sizes an array can hold (bit mask). */
enum { TLB_4K = 1, TLB_2M = 2, TLB_1G = 4 };

#define TLB_MAX_ARRAYS 3

struct tlb_array_cfg {
	unsigned int entries, ways; /* ways == entries: fully associative */
	unsigned int sizes;	    /* TLB_4K | TLB_2M | TLB_1G */
	/*
	 * Four aligned 4K pages that are physically contiguous take one
	 * entry (AMD PTE coalescing, Arm L2 contiguous-page coalescing).
	 */
	bool coalesce4;
};

struct tlb_level_cfg {
	int narrays;
	struct tlb_array_cfg arr[TLB_MAX_ARRAYS];
};

struct tlb_preset {
	const char *id;	  /* short, used in counter names: glc, zen4, n1, v2 */
	const char *name; /* "Intel Golden Cove" */
	const char *source; /* where the numbers come from */
	struct tlb_level_cfg l1, l2;
};

/* Outcome of one access. */
enum tlb_result { TLB_L1_HIT, TLB_L2_HIT, TLB_WALK };

struct tlb_entry {
	uint64_t tag; /* page number << 2 | size code; 0 = empty */
	uint64_t used;
};

struct tlb_array {
	struct tlb_array_cfg cfg;
	unsigned int sets;
	struct tlb_entry *e; /* sets * ways */
};

struct tlb_level {
	int narrays;
	struct tlb_array arr[TLB_MAX_ARRAYS];
};

struct tlb {
	struct tlb_level l1, l2;
	uint64_t clock;
	uint64_t last_tag; /* the most recent L1 hit: a repeat is a hit */
};

/* The named presets, NULL-ended; find one by id (NULL if unknown). */
extern const struct tlb_preset *const tlb_presets[];
const struct tlb_preset *tlb_preset_find(const char *id);

/* 0, or -1 on a bad geometry (entries not a multiple of ways, no memory). */
int tlb_init(struct tlb *t, const struct tlb_level_cfg *l1,
	     const struct tlb_level_cfg *l2);
void tlb_free(struct tlb *t);
void tlb_flush(struct tlb *t);

/*
 * One data access at virtual address va mapped by a page of 2^shift bytes
 * (12, 21 or 30).  contig4: the aligned group of four 4K pages around va
 * is physically contiguous (coalescing arrays may then use one entry).
 * A size no array of a level holds is never cached there.
 */
enum tlb_result tlb_access(struct tlb *t, uint64_t va, unsigned int shift,
			   bool contig4);

#endif
