// SPDX-License-Identifier: GPL-2.0
/*
 * Data-TLB geometries of named cores, each with its source beside the
 * numbers ([V] vendor document, [C] CPUID dump of real silicon, [S]
 * secondary text; the table and caveats are in ../../README.md's
 * "tlbsim" section and bench/tlbsim/README.md).  Only the data side is
 * modelled: the instruction side's use of a shared L2 is not.
 */
#include "tlbmodel.h"

#include <string.h>

/*
 * Intel Golden Cove (Alder Lake P-core, Sapphire Rapids).  L1 loads: 4K
 * 96 entries 6-way, 2M/4M 32 4-way, 1G 8 fully associative [V: Intel 64
 * and IA-32 Architectures Optimization Reference Manual 248966/671488,
 * Golden Cove]; CPUID reports the 4K array as 64x4 [C: InstLatx64].
 * STLB 2048 entries [V]; CPUID: 1024x8 for 4K/2M plus 1024x8 for 4K/1G
 * [C].  Modelled as one 2048-entry 8-way array holding 4K, 2M and 1G
 * (the vendor total; the CPUID split gives 2M and 1G half of that).
 * No coalescing.  Store-only L1 (16 FA) not modelled.
 */
static const struct tlb_preset glc = {
	.id = "glc",
	.name = "Intel Golden Cove",
	.source = "Intel Optimization Reference Manual (248966/671488); "
		  "InstLatx64 CPUID dumps",
	.l1 = {3,
	       {{96, 6, TLB_4K, false},
		{32, 4, TLB_2M, false},
		{8, 8, TLB_1G, false}}},
	.l2 = {1, {{2048, 8, TLB_4K | TLB_2M | TLB_1G, false}}},
};

/*
 * AMD Zen 5.  L1 DTLB 96 entries fully associative, all page sizes [V:
 * AMD Software Optimization Guide for the Zen 5 Microarchitecture 58455;
 * C: InstLatx64]; L2 DTLB 4096 entries 16-way [V: 58455].  AMD coalesces
 * four contiguous aligned 4K translations into one entry ("PTE
 * coalescing", 58455) -- modelled in both levels.
 */
static const struct tlb_preset zen5 = {
	.id = "zen5",
	.name = "AMD Zen 5",
	.source = "AMD Software Optimization Guide 58455 (Zen 5); InstLatx64",
	.l1 = {1, {{96, 96, TLB_4K | TLB_2M | TLB_1G, true}}},
	.l2 = {1, {{4096, 16, TLB_4K | TLB_2M | TLB_1G, true}}},
};

/*
 * AMD Zen 4.  L1 DTLB 72 fully associative, all sizes [C: InstLatx64];
 * L2 DTLB 3072 entries [C], 24-way [S, weak: not in AMD's 57647].  PTE
 * coalescing as Zen 5 [V: AMD SOG 57647].
 */
static const struct tlb_preset zen4 = {
	.id = "zen4",
	.name = "AMD Zen 4",
	.source = "AMD Software Optimization Guide 57647 (Zen 4); InstLatx64 "
		  "(L2 associativity: secondary source, weak)",
	.l1 = {1, {{72, 72, TLB_4K | TLB_2M | TLB_1G, true}}},
	.l2 = {1, {{3072, 24, TLB_4K | TLB_2M | TLB_1G, true}}},
};

/*
 * Arm Neoverse N1 (Ampere Altra; Cortex-A76 class).  L1 data TLB 48
 * entries fully associative, 4K/16K/64K/2M/512M: no 1G entry, a 1G block
 * is held as smaller entries [V: Arm Cortex-A76 TRM 100798, A5; Neoverse
 * N1 TRM 100616].  L2 TLB 1280 entries 5-way, shared by instruction and
 * data, 4K..1G [V: same].  Arm's L2 TLBs coalesce four contiguous pages
 * (modelled in L2 only).
 */
static const struct tlb_preset n1 = {
	.id = "n1",
	.name = "Arm Neoverse N1",
	.source = "Arm Cortex-A76 TRM 100798 (A5), Neoverse N1 TRM 100616",
	.l1 = {1, {{48, 48, TLB_4K | TLB_2M, false}}},
	.l2 = {1, {{1280, 5, TLB_4K | TLB_2M | TLB_1G, true}}},
};

/*
 * Arm Neoverse V2.  L1 data TLB 48 fully associative, 4K/16K/64K/2M/512M
 * [V: Arm Neoverse V2 TRM 102375]; L2 TLB 2048 entries 8-way, shared
 * [V: same].  L2 coalescing as N1.
 */
static const struct tlb_preset v2 = {
	.id = "v2",
	.name = "Arm Neoverse V2",
	.source = "Arm Neoverse V2 TRM 102375",
	.l1 = {1, {{48, 48, TLB_4K | TLB_2M, false}}},
	.l2 = {1, {{2048, 8, TLB_4K | TLB_2M | TLB_1G, true}}},
};

const struct tlb_preset *const tlb_presets[] = {&glc, &zen5, &zen4,
						&n1,  &v2,   NULL};

const struct tlb_preset *tlb_preset_find(const char *id)
{
	for (int i = 0; tlb_presets[i]; i++)
		if (!strcmp(tlb_presets[i]->id, id))
			return tlb_presets[i];
	return NULL;
}
