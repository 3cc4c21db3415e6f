// SPDX-License-Identifier: GPL-2.0
/* Set-associative, LRU, page-size-aware two-level data-TLB model. */
#include "tlbmodel.h"

#include <stdlib.h>
#include <string.h>

/* Size codes in a tag: 4K, coalesced 4x4K (16K), 2M, 1G. */
enum { CODE_4K, CODE_16K, CODE_2M, CODE_1G };

static unsigned int size_bit(unsigned int shift)
{
	return shift >= 30 ? TLB_1G : shift >= 21 ? TLB_2M : TLB_4K;
}

static unsigned int bit_shift(unsigned int bit)
{
	return bit == TLB_1G ? 30 : bit == TLB_2M ? 21 : 12;
}

static int array_init(struct tlb_array *a, const struct tlb_array_cfg *c)
{
	if (!c->entries || !c->ways || c->entries % c->ways || !c->sizes)
		return -1;
	a->cfg = *c;
	a->sets = c->entries / c->ways;
	a->e = calloc(c->entries, sizeof(*a->e));
	return a->e ? 0 : -1;
}

static int level_init(struct tlb_level *l, const struct tlb_level_cfg *c)
{
	if (c->narrays < 1 || c->narrays > TLB_MAX_ARRAYS)
		return -1;
	for (int i = 0; i < c->narrays; i++) {
		if (array_init(&l->arr[i], &c->arr[i]))
			return -1;
		l->narrays = i + 1;
	}
	return 0;
}

int tlb_init(struct tlb *t, const struct tlb_level_cfg *l1,
	     const struct tlb_level_cfg *l2)
{
	memset(t, 0, sizeof(*t));
	if (level_init(&t->l1, l1) || level_init(&t->l2, l2)) {
		tlb_free(t);
		return -1;
	}
	return 0;
}

void tlb_free(struct tlb *t)
{
	for (int i = 0; i < t->l1.narrays; i++)
		free(t->l1.arr[i].e);
	for (int i = 0; i < t->l2.narrays; i++)
		free(t->l2.arr[i].e);
	memset(t, 0, sizeof(*t));
}

void tlb_flush(struct tlb *t)
{
	struct tlb_level *lv[] = {&t->l1, &t->l2};

	for (int k = 0; k < 2; k++)
		for (int i = 0; i < lv[k]->narrays; i++)
			memset(lv[k]->arr[i].e, 0,
			       lv[k]->arr[i].cfg.entries *
				       sizeof(struct tlb_entry));
	t->last_tag = 0;
}

/*
 * The array of a level that caches a page of this size: one holding the
 * size itself, else the one holding the largest smaller size (a big page
 * is then cached as a smaller one, as cores without 1G entries do).
 */
static struct tlb_array *pick(struct tlb_level *l, unsigned int bit,
			      unsigned int *cached_bit)
{
	for (unsigned int b = bit; b; b >>= 1)
		for (int i = 0; i < l->narrays; i++)
			if (l->arr[i].cfg.sizes & b) {
				*cached_bit = b;
				return &l->arr[i];
			}
	return NULL;
}

/* The entry tag and set of va in array a, for a page cached as bit. */
static uint64_t tag_of(const struct tlb_array *a, uint64_t va, unsigned int bit,
		       bool contig4, unsigned int *set)
{
	unsigned int shift = bit_shift(bit), code;

	if (bit == TLB_4K && a->cfg.coalesce4 && contig4) {
		shift = 14;
		code = CODE_16K;
	} else {
		code = bit == TLB_4K   ? CODE_4K
		       : bit == TLB_2M ? CODE_2M
				       : CODE_1G;
	}
	uint64_t vpn = va >> shift;

	*set = (unsigned int)(vpn % a->sets);
	/* Bit 2 marks a valid entry, so that tag 0 means empty. */
	return vpn << 3 | 4 | code;
}

static bool lookup(struct tlb *t, struct tlb_array *a, uint64_t tag,
		   unsigned int set)
{
	struct tlb_entry *e = &a->e[(size_t)set * a->cfg.ways];

	for (unsigned int w = 0; w < a->cfg.ways; w++)
		if (e[w].tag == tag) {
			e[w].used = ++t->clock;
			return true;
		}
	return false;
}

/* Insert, evicting the least recently used way of the set. */
static void fill(struct tlb *t, struct tlb_array *a, uint64_t tag,
		 unsigned int set)
{
	struct tlb_entry *e = &a->e[(size_t)set * a->cfg.ways], *v = e;

	for (unsigned int w = 0; w < a->cfg.ways; w++) {
		if (!e[w].tag) {
			v = &e[w];
			break;
		}
		if (e[w].used < v->used)
			v = &e[w];
	}
	v->tag = tag;
	v->used = ++t->clock;
}

enum tlb_result tlb_access(struct tlb *t, uint64_t va, unsigned int shift,
			   bool contig4)
{
	unsigned int bit = size_bit(shift), b1 = 0, b2 = 0, s1 = 0, s2 = 0;
	struct tlb_array *a1 = pick(&t->l1, bit, &b1);
	struct tlb_array *a2 = pick(&t->l2, bit, &b2);
	uint64_t tag1 = a1 ? tag_of(a1, va, b1, contig4, &s1) : 0;
	enum tlb_result r;

	/*
	 * The same L1 entry as the previous access is an L1 hit that
	 * changes no LRU order (it is already the most recent): skip the
	 * search.  Most accesses take this path.
	 */
	if (tag1 && tag1 == t->last_tag)
		return TLB_L1_HIT;
	if (a1 && lookup(t, a1, tag1, s1)) {
		r = TLB_L1_HIT;
	} else {
		uint64_t tag2 = 0;

		if (a2)
			tag2 = tag_of(a2, va, b2, contig4, &s2);
		if (a2 && lookup(t, a2, tag2, s2)) {
			r = TLB_L2_HIT;
		} else {
			r = TLB_WALK;
			if (a2)
				fill(t, a2, tag2, s2);
		}
		if (a1)
			fill(t, a1, tag1, s1);
	}
	t->last_tag = tag1;
	return r;
}
