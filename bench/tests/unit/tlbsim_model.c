// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB model and the model-free footprint metrics on synthetic traces
 * whose answers are worked out by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "footprint.h"
#include "tlbmodel.h"

#define K4		4096ull
#define M2		(2ull << 20)
#define G1		(1ull << 30)
#define R(t, va, sh, c) tlb_access(t, va, sh, c)

/* L1: one fully associative array of n entries; L2: m entries, w ways. */
static void mk(struct tlb *t, unsigned int n, unsigned int sizes1,
	       unsigned int m, unsigned int w, bool co)
{
	struct tlb_level_cfg l1 = {1, {{n, n, sizes1, false}}};
	struct tlb_level_cfg l2 = {1, {{m, w, TLB_4K | TLB_2M | TLB_1G, co}}};

	assert_int_equal(tlb_init(t, &l1, &l2), 0);
}

static void test_lru(void **unused)
{
	struct tlb t;

	(void)unused;
	/* L1 2 entries FA, L2 8 entries FA. */
	mk(&t, 2, TLB_4K, 8, 8, false);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_WALK); /* A */
	assert_int_equal(R(&t, 0 * K4 + 64, 12, false), TLB_L1_HIT);
	assert_int_equal(R(&t, 1 * K4, 12, false), TLB_WALK);	/* B */
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_L1_HIT); /* A: MRU */
	/* C evicts B (least recently used), not A. */
	assert_int_equal(R(&t, 2 * K4, 12, false), TLB_WALK);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_L1_HIT);
	/* B comes back from L2; L1 holds C (used 5th) and A (6th): C goes. */
	assert_int_equal(R(&t, 1 * K4, 12, false), TLB_L2_HIT);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_L1_HIT);
	assert_int_equal(R(&t, 2 * K4, 12, false), TLB_L2_HIT);
	tlb_flush(&t);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_WALK);
	tlb_free(&t);
}

static void test_sets(void **unused)
{
	struct tlb t;

	(void)unused;
	/* L1 4 entries, 1 way = 4 sets indexed by page number mod 4. */
	struct tlb_level_cfg l1 = {1, {{4, 1, TLB_4K, false}}};
	struct tlb_level_cfg l2 = {1, {{64, 64, TLB_4K, false}}};

	assert_int_equal(tlb_init(&t, &l1, &l2), 0);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_WALK);
	assert_int_equal(R(&t, 1 * K4, 12, false), TLB_WALK);
	/* Page 4 maps to set 0 and evicts page 0; page 1 stays. */
	assert_int_equal(R(&t, 4 * K4, 12, false), TLB_WALK);
	assert_int_equal(R(&t, 1 * K4, 12, false), TLB_L1_HIT);
	assert_int_equal(R(&t, 0 * K4, 12, false), TLB_L2_HIT);
	tlb_free(&t);
}

static void test_page_sizes(void **unused)
{
	struct tlb t;

	(void)unused;
	/* Intel-like L1: 4K array of 2, separate 2M array of 1. */
	struct tlb_level_cfg l1 = {
		2, {{2, 2, TLB_4K, false}, {1, 1, TLB_2M, false}}};
	struct tlb_level_cfg l2 = {1, {{16, 16, TLB_4K | TLB_2M, false}}};

	assert_int_equal(tlb_init(&t, &l1, &l2), 0);
	assert_int_equal(R(&t, 0, 12, false), TLB_WALK);
	assert_int_equal(R(&t, K4, 12, false), TLB_WALK);
	/* Every address of one 2M page is one entry, in its own array. */
	assert_int_equal(R(&t, 8 * M2, 21, false), TLB_WALK);
	assert_int_equal(R(&t, 8 * M2 + M2 - 64, 21, false), TLB_L1_HIT);
	/* The 4K entries survived the 2M fill. */
	assert_int_equal(R(&t, 0, 12, false), TLB_L1_HIT);
	assert_int_equal(R(&t, K4, 12, false), TLB_L1_HIT);
	/* The same address as a 4K page is a different entry. */
	assert_int_equal(R(&t, 8 * M2, 12, false), TLB_WALK);
	/* 1G: no L1 array holds it, so it is cached as 2M there (the
	 * second 2M of the 1G page misses L1); L2 holds only 4K/2M too. */
	assert_int_equal(R(&t, 4 * G1, 30, false), TLB_WALK);
	assert_int_equal(R(&t, 4 * G1 + 64, 30, false), TLB_L1_HIT);
	assert_int_equal(R(&t, 4 * G1 + M2, 30, false), TLB_WALK);
	tlb_free(&t);
}

static void test_size_tags(void **unused)
{
	struct tlb t;

	(void)unused;
	/* One array for all sizes: 4K page 5 and 2M page 5 are different
	 * translations although their page numbers are equal. */
	mk(&t, 4, TLB_4K | TLB_2M, 8, 8, false);
	assert_int_equal(R(&t, 5 * K4, 12, false), TLB_WALK);
	assert_int_equal(R(&t, 5 * M2, 21, false), TLB_WALK);
	assert_int_equal(R(&t, 5 * K4, 12, false), TLB_L1_HIT);
	tlb_free(&t);
}

static void test_coalesce(void **unused)
{
	struct tlb t;

	(void)unused;
	/* L1 FA 1 entry no coalescing; L2 coalescing. */
	mk(&t, 1, TLB_4K, 16, 16, true);
	/* Four contiguous 4K pages of one 16K group: one walk, three L2 hits. */
	assert_int_equal(R(&t, 16 * K4, 12, true), TLB_WALK);
	assert_int_equal(R(&t, 17 * K4, 12, true), TLB_L2_HIT);
	assert_int_equal(R(&t, 18 * K4, 12, true), TLB_L2_HIT);
	assert_int_equal(R(&t, 19 * K4, 12, true), TLB_L2_HIT);
	/* The next group is another entry. */
	assert_int_equal(R(&t, 20 * K4, 12, true), TLB_WALK);
	/* Not contiguous: each page walks. */
	assert_int_equal(R(&t, 32 * K4, 12, false), TLB_WALK);
	assert_int_equal(R(&t, 33 * K4, 12, false), TLB_WALK);
	tlb_free(&t);
}

/*
 * The question itself on a toy: sweep the struct pages of 16384 pfns
 * (64 bytes each = 1 MiB of vmemmap = 256 4K pages inside one 2M block).
 * PMD-mapped: 1 walk.  4K-mapped: 256 walks (one per vmemmap page; each
 * page is touched 64 times in a row, 63 of them L1 hits).
 */
static void test_vmemmap_sweep(void **unused)
{
	const struct tlb_preset *p = tlb_preset_find("glc");
	struct tlb pmd, pte;
	uint64_t base = 0xffffea0000000000ull, walks[2] = {0, 0},
		 l1[2] = {0, 0};

	(void)unused;
	assert_non_null(p);
	assert_int_equal(tlb_init(&pmd, &p->l1, &p->l2), 0);
	assert_int_equal(tlb_init(&pte, &p->l1, &p->l2), 0);
	for (uint64_t pfn = 0; pfn < 16384; pfn++) {
		enum tlb_result a = R(&pmd, base + pfn * 64, 21, false);
		enum tlb_result b = R(&pte, base + pfn * 64, 12, true);

		walks[0] += a == TLB_WALK;
		walks[1] += b == TLB_WALK;
		l1[0] += a == TLB_L1_HIT;
		l1[1] += b == TLB_L1_HIT;
	}
	assert_int_equal(walks[0], 1);
	assert_int_equal(walks[1], 256);
	assert_int_equal(l1[0], 16383);
	assert_int_equal(l1[1], 16384 - 256);
	tlb_free(&pmd);
	tlb_free(&pte);
}

static void test_presets(void **unused)
{
	(void)unused;
	int n = 0;

	for (int i = 0; tlb_presets[i]; i++, n++) {
		struct tlb t;

		assert_non_null(tlb_presets[i]->source);
		assert_int_equal(
			tlb_init(&t, &tlb_presets[i]->l1, &tlb_presets[i]->l2),
			0);
		tlb_free(&t);
	}
	assert_true(n >= 4);
	assert_null(tlb_preset_find("nosuch"));
	/* Bad geometry is refused. */
	struct tlb t;
	struct tlb_level_cfg bad = {1, {{10, 3, TLB_4K, false}}};
	struct tlb_level_cfg ok = {1, {{8, 8, TLB_4K, false}}};

	assert_int_equal(tlb_init(&t, &bad, &ok), -1);
	assert_int_equal(tlb_init(&t, &ok, &bad), -1);
}

static void test_footprint(void **unused)
{
	struct footprint f;

	(void)unused;
	assert_int_equal(fp_init(&f, 1024, 1024), 0);
	/* A A B C A B: A cold, A d=0, B cold, C cold, A d=2 (B, C),
	 * B d=2 (C, A). */
	const uint64_t tr[] = {1, 1, 2, 3, 1, 2};
	const int64_t dist[] = {-1, 0, -1, -1, 2, 2};

	for (size_t i = 0; i < 6; i++) {
		fp_touch(&f, tr[i]);
		assert_int_equal(f.last_distance, dist[i]);
	}
	assert_int_equal(f.accesses, 6);
	assert_int_equal(f.cold, 3);
	assert_int_equal(f.bin[0], 1);
	assert_int_equal(f.bin[fp_bin(2)], 2);
	assert_int_equal(fp_bin(2), 2); /* bin 2 = distances 2..3 */
	assert_int_equal(fp_bin(1), 1);
	assert_int_equal(fp_bin(4), 3);
	assert_int_equal(fp_pages(&f), 3);
	assert_int_equal(fp_blocks(&f), 1);
	/* Pages 511 and 512 are in different 2M blocks (512 4K pages). */
	fp_touch(&f, 511);
	fp_touch(&f, 512);
	assert_int_equal(fp_pages(&f), 5);
	assert_int_equal(fp_blocks(&f), 2);
	uint64_t blk[2], pg[2];

	assert_int_equal(fp_block_list(&f, blk, pg, 2), 2);
	/* Block 0 holds pages 1, 2, 3, 511; block 1 holds page 512. */
	assert_int_equal(blk[0] + blk[1], 1);
	assert_int_equal(pg[blk[0] == 1], 4);
	assert_int_equal(pg[blk[0] == 0], 1);
	/* A reset forgets everything; a repeat after reset is cold. */
	fp_reset(&f);
	fp_touch(&f, 1);
	assert_int_equal(f.cold, 1);
	assert_int_equal(fp_pages(&f), 1);
	/* 1 2 3 4 5 1: distance 4 -> bin 3. */
	for (uint64_t p = 2; p <= 5; p++)
		fp_touch(&f, p);
	fp_touch(&f, 1);
	assert_int_equal(f.last_distance, 4);
	assert_int_equal(f.bin[3], 1);
	/* 2 again: since its last access 3 4 5 1 were touched. */
	fp_touch(&f, 2);
	assert_int_equal(f.last_distance, 4);
	fp_touch(&f, 1);
	assert_int_equal(f.last_distance, 1);
	fp_free(&f);
}

static void test_footprint_limits(void **unused)
{
	struct footprint f;

	(void)unused;
	/* Timeline of 4 events: later distances are untracked, pages counted. */
	assert_int_equal(fp_init(&f, 64, 4), 0);
	for (uint64_t p = 0; p < 6; p++)
		fp_touch(&f, p);
	fp_touch(&f, 0);
	assert_int_equal(fp_pages(&f), 6);
	assert_int_equal(f.cold, 6);
	assert_int_equal(f.untracked, 1);
	fp_free(&f);
}

static void test_classes(void **unused)
{
	struct addr_ranges r;

	(void)unused;
	assert_int_equal(parse_range("ffffea0000000000-ffffeb0000000000",
				     &r.vmemmap_lo, &r.vmemmap_hi),
			 0);
	assert_int_equal(parse_range("0xffff888000000000-0xffffc88000000000",
				     &r.dmap_lo, &r.dmap_hi),
			 0);
	assert_int_equal(addr_classify(&r, 0xffffea0000000040ull), AC_VMEMMAP);
	assert_int_equal(addr_classify(&r, 0xffffeb0000000000ull), AC_KERNEL);
	assert_int_equal(addr_classify(&r, 0xffff888000001000ull), AC_DMAP);
	assert_int_equal(addr_classify(&r, 0xffffffff81000000ull), AC_KERNEL);
	assert_int_equal(addr_classify(&r, 0x7fff00001000ull), AC_USER);
	uint64_t a, b;

	assert_int_equal(parse_range("10-10", &a, &b), -1);
	assert_int_equal(parse_range("10", &a, &b), -1);
	assert_int_equal(parse_range("x-20", &a, &b), -1);
	assert_int_equal(parse_range("10-20z", &a, &b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_page_sizes),
		cmocka_unit_test(test_size_tags),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_vmemmap_sweep),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_footprint),
		cmocka_unit_test(test_footprint_limits),
		cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
