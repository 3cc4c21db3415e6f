// SPDX-License-Identifier: GPL-2.0
/* Distinct vmemmap pages and blocks, reuse distances, address classes. */
#include "footprint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int u64map_init(struct u64map *m, size_t cap)
{
	size_t c = 16;

	while (c < cap)
		c <<= 1;
	memset(m, 0, sizeof(*m));
	m->e = calloc(c, sizeof(*m->e));
	if (!m->e)
		return -1;
	m->cap = c;
	m->gen = 1;
	return 0;
}

void u64map_free(struct u64map *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

void u64map_clear(struct u64map *m)
{
	m->used = 0;
	if (++m->gen == 0) { /* wrapped: stale stamps could match again */
		memset(m->e, 0, m->cap * sizeof(*m->e));
		m->gen = 1;
	}
}

static size_t slot(uint64_t key, size_t cap)
{
	/* Fibonacci hashing: page numbers are dense and sequential. */
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

struct u64map_ent *u64map_get(struct u64map *m, uint64_t key, bool *fresh)
{
	for (size_t i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct u64map_ent *e = &m->e[i];

		if (e->gen == m->gen && e->key == key) {
			*fresh = false;
			return e;
		}
		if (e->gen != m->gen) {
			if (m->used * 4 >= m->cap * 3)
				return NULL;
			e->gen = m->gen;
			e->key = key;
			e->val = 0;
			m->used++;
			*fresh = true;
			return e;
		}
	}
}

const struct u64map_ent *u64map_find(const struct u64map *m, uint64_t key)
{
	for (size_t i = slot(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		const struct u64map_ent *e = &m->e[i];

		if (e->gen != m->gen)
			return NULL;
		if (e->key == key)
			return e;
	}
}

int fp_init(struct footprint *f, size_t max_pages, uint32_t max_events)
{
	memset(f, 0, sizeof(*f));
	if (u64map_init(&f->pages, max_pages * 4 / 3 + 1))
		return -1;
	f->fen = calloc((size_t)max_events + 1, sizeof(*f->fen));
	if (!f->fen) {
		u64map_free(&f->pages);
		return -1;
	}
	f->maxev = max_events;
	return 0;
}

void fp_free(struct footprint *f)
{
	u64map_free(&f->pages);
	free(f->fen);
	memset(f, 0, sizeof(*f));
}

void fp_reset(struct footprint *f)
{
	u64map_clear(&f->pages);
	/* Fenwick updates reach past nev: clear the whole tree. */
	if (f->nev)
		memset(f->fen, 0, ((size_t)f->maxev + 1) * sizeof(*f->fen));
	f->nev = 0;
	f->have_last = false;
	f->accesses = f->cold = f->untracked = 0;
	memset(f->bin, 0, sizeof(f->bin));
	f->overflow = false;
}

unsigned int fp_bin(uint64_t d)
{
	unsigned int b = 0;

	while (d && b < FP_BINS - 1) {
		d >>= 1;
		b++;
	}
	return b;
}

static void fen_add(struct footprint *f, uint32_t i, int v)
{
	for (; i <= f->maxev; i += i & -i)
		f->fen[i] += (uint32_t)v;
}

static uint64_t fen_sum(const struct footprint *f, uint32_t i)
{
	uint64_t s = 0;

	for (; i; i -= i & -i)
		s += f->fen[i];
	return s;
}

void fp_touch(struct footprint *f, uint64_t page)
{
	bool fresh;

	f->accesses++;
	f->last_distance = -1;
	if (f->have_last && page == f->last_page) {
		f->bin[0]++;
		f->last_distance = 0;
		return;
	}
	f->have_last = true;
	f->last_page = page;
	struct u64map_ent *e = u64map_get(&f->pages, page, &fresh);

	if (!e) {
		f->overflow = true;
		f->untracked++;
		return;
	}
	if (f->nev >= f->maxev) {
		/* Out of timeline: still count the page, not its distance. */
		if (fresh)
			f->cold++;
		else
			f->untracked++;
		e->val = 0;
		return;
	}
	uint32_t now = ++f->nev;

	if (fresh) {
		f->cold++;
	} else if (e->val) {
		uint32_t prev = (uint32_t)e->val;
		/* Pages whose latest access lies strictly between. */
		uint64_t d = fen_sum(f, now - 1) - fen_sum(f, prev);

		f->bin[fp_bin(d)]++;
		f->last_distance = (int64_t)d;
		fen_add(f, prev, -1);
	} else {
		f->untracked++;
	}
	fen_add(f, now, 1);
	e->val = now;
}

uint64_t fp_pages(const struct footprint *f)
{
	return f->pages.used;
}

uint64_t fp_block_list(const struct footprint *f, uint64_t *block,
		       uint64_t *pages, size_t max)
{
	struct u64map blocks;
	uint64_t n = 0;
	bool fresh;

	if (u64map_init(&blocks, f->pages.used * 2 + 16))
		return 0;
	for (size_t i = 0; i < f->pages.cap; i++) {
		const struct u64map_ent *e = &f->pages.e[i];
		struct u64map_ent *b;

		if (e->gen != f->pages.gen)
			continue;
		b = u64map_get(&blocks, e->key >> 9, &fresh);
		if (!b)
			continue;
		if (fresh) {
			b->val = n;
			if (n < max) {
				block[n] = e->key >> 9;
				pages[n] = 0;
			}
			n++;
		}
		if (b->val < max)
			pages[b->val]++;
	}
	u64map_free(&blocks);
	return n;
}

uint64_t fp_blocks(const struct footprint *f)
{
	return fp_block_list(f, NULL, NULL, 0);
}

const char *const addr_class_name[AC_N] = {"vmemmap", "dmap", "kernel", "user"};

enum addr_class addr_classify(const struct addr_ranges *r, uint64_t va)
{
	if (va >= r->vmemmap_lo && va < r->vmemmap_hi)
		return AC_VMEMMAP;
	if (va >= r->dmap_lo && va < r->dmap_hi)
		return AC_DMAP;
	return va >> 63 ? AC_KERNEL : AC_USER;
}

int parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
	char *end;

	errno = 0;
	*lo = strtoull(s, &end, 16);
	if (errno || end == s || *end != '-')
		return -1;
	s = end + 1;
	*hi = strtoull(s, &end, 16);
	if (errno || end == s || *end || *hi <= *lo)
		return -1;
	return 0;
}
