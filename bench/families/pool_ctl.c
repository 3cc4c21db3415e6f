// SPDX-License-Identifier: GPL-2.0
/*
 * What the pool benchmarks share (pool_ctl.h): the instance's pool, timed
 * nr_hugepages writes observed until done, requirements, setup, teardown
 * and the regime report.
 */
#include "pool_ctl.h"

#include "bench.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* struct page is 64 bytes on x86_64 and arm64 without debug options. */
#define STRUCT_PAGE_SIZE 64

struct pool_ctx pool_cur = {.fd = -1};

uint64_t pool_arg_kb(const struct bench_state *st)
{
	return hugetlb_parse_size(bench_arg_str(st, "size"));
}

const char *pool_kb_str(uint64_t kb)
{
	static char buf[16];

	return sys_size_str(kb, buf, sizeof(buf));
}

/* vmemmap pages backing one huge page of size kb, and what HVO frees. */
static uint64_t vmemmap_per_hpage(uint64_t kb)
{
	return kb / 4 * STRUCT_PAGE_SIZE / 4096;
}

int pool_nr(uint64_t *nr)
{
	return hugetlb_pool_get(pool_cur.kb, pool_cur.node, "nr_hugepages", nr);
}

int pool_inst_node(const struct bench_state *st)
{
	return bench_has_arg(st, "node") ? (int)bench_arg(st, "node") : -1;
}

void pool_sleep_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

int64_t pool_settle_memmap(void)
{
	uint64_t t0 = bench_now_ns(), tot = 0;
	bool waited = false;

	if (!pool_cur.has_memmap)
		return 0;
	for (;;) {
		if (!sys_memmap_pages(&tot, NULL) && tot == pool_cur.memmap0)
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		waited = true;
		pool_sleep_us(50);
	}
	if (!waited)
		return 0;
	pool_cur.settle_waits++;
	pool_cur.settle_ns += bench_now_ns() - t0;
	return (int64_t)(bench_now_ns() - t0);
}

int64_t pool_timed_set(uint64_t target, uint64_t *got)
{
	uint64_t t0, nr = 0;
	int ret;

	t0 = bench_now_ns();
	ret = sys_knob_write_u64(pool_cur.fd, target);
	if (ret && ret != -ENOMEM)
		return -1;
	for (;;) {
		if (pool_nr(&nr))
			return -1;
		/* Growing may stop short (partial success); freeing may not. */
		if (nr == target || (target > pool_cur.base &&
				     nr >= pool_cur.base && nr < target))
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		pool_sleep_us(20);
	}
	*got = nr;
	return (int64_t)(bench_now_ns() - t0);
}

int64_t pool_grow(uint64_t n)
{
	uint64_t got = 0, tot = 0;
	int64_t t = pool_timed_set(pool_cur.base + n, &got);

	if (t < 0)
		return t;
	if (got < pool_cur.base + n)
		pool_cur.partial++;
	pool_cur.saved_hpages = got - pool_cur.base;
	pool_cur.grown += pool_cur.saved_hpages;
	if (pool_cur.has_memmap && !sys_memmap_pages(&tot, NULL))
		pool_cur.saved_pages = (int64_t)pool_cur.memmap0 - (int64_t)tot;
	return t;
}

int64_t pool_shrink(void)
{
	uint64_t got = 0;
	int64_t t = pool_timed_set(pool_cur.base, &got), w;

	if (t < 0)
		return t;
	w = pool_settle_memmap();
	return w < 0 ? w : t + w;
}

/* ---- requirements and setup ------------------------------------------ */

/* MemFree of a NUMA node in kB, or -errno. */
static int node_free_kb(int node, uint64_t *kb)
{
	char p[96], line[256];
	unsigned long long v;
	int n, ret = -ENOENT;
	FILE *f;

	snprintf(p, sizeof(p), "/sys/devices/system/node/node%d/meminfo", node);
	f = fopen(p, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %d MemFree: %llu kB", &n, &v) == 2) {
			*kb = v;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/*
 * The global check (MemAvailable minus the safety margin), and for a
 * node's pool the same margin out of that node's MemFree: a node pool
 * only ever takes that node's memory.
 */
int pool_mem_check(uint64_t kb, int node, uint64_t pages, char *why, size_t len)
{
	uint64_t cur = 0, nfree = 0, margin = sys_safety_margin() >> 10;
	char p[256];

	if (node >= 0) {
		if (hugetlb_path(p, sizeof(p), kb, node, "nr_hugepages") ||
		    access(p, F_OK)) {
			snprintf(why, len, "no NUMA node %d with %s pages",
				 node, pool_kb_str(kb));
			return 1;
		}
		if (node_free_kb(node, &nfree)) {
			snprintf(why, len, "cannot read node %d MemFree", node);
			return 1;
		}
		if (pages * kb + margin > nfree) {
			snprintf(why, len,
				 "%" PRIu64 " x %s needs %" PRIu64
				 " MiB on node %d, which has %" PRIu64
				 " MiB free minus a %" PRIu64 " MiB margin",
				 pages, pool_kb_str(kb), pages * kb >> 10, node,
				 nfree >> 10, margin >> 10);
			return 1;
		}
	}
	if (hugetlb_pool_get(kb, -1, "nr_hugepages", &cur))
		cur = 0;
	return hugetlb_pool_check(kb, cur + pages, why, len) ? 1 : 0;
}

uint64_t pool_inst_pages(const struct bench_state *st)
{
	return bench_has_arg(st, "pages") ? (uint64_t)bench_arg(st, "pages")
					  : 1;
}

int pool_check(const struct bench_state *st, char *why, size_t len)
{
	uint64_t kb, pages = pool_inst_pages(st);

	if (hugetlb_check_size(st, why, len) || sys_check_root(st, why, len))
		return 1;
	kb = pool_arg_kb(st);
	/* COW needs the parent's pages and the child's copies at once. */
	if (bench_has_arg(st, "mode") &&
	    !strcmp(bench_arg_str(st, "mode"), "cow"))
		pages *= 2;
	return pool_mem_check(kb, pool_inst_node(st), pages, why, len);
}

void pool_fail(struct bench_state *st, const char *what, int err)
{
	bench_error(st, "%s (%s pool): %s", what, pool_kb_str(pool_cur.kb),
		    strerror(err < 0 ? -err : err));
}

void pool_setup_kb(struct bench_state *st, uint64_t kb)
{
	uint64_t boot = 0;
	bool on = false;
	char p[256];
	int ret;

	memset(&pool_cur, 0, sizeof(pool_cur));
	pool_cur.fd = -1;
	pool_cur.kb = kb;
	pool_cur.node = pool_inst_node(st);
	/* The harness applied the "hvo" axis; pages follow what is in force. */
	pool_cur.hvo = hvo_available() && !hvo_get(&on) && on;
	ret = pool_nr(&pool_cur.base);
	if (ret) {
		pool_fail(st, "reading nr_hugepages", ret);
		return;
	}
	ret = hugetlb_path(p, sizeof(p), kb, pool_cur.node, "nr_hugepages");
	if (!ret) {
		pool_cur.fd = sys_open_knob(p);
		ret = pool_cur.fd < 0 ? pool_cur.fd : 0;
	}
	if (ret) {
		pool_fail(st, "opening nr_hugepages", ret);
		return;
	}
	pool_cur.has_memmap = !sys_memmap_pages(&pool_cur.memmap0, &boot);
	pool_cur.boot0 = boot;
	pool_cur.has_splits =
		!sys_vmemmap_splits(NULL, NULL, 0, &pool_cur.splits0);
	pool_cur.basepages = sys_vmemmap_basepages(NULL);
}

void pool_setup(struct bench_state *st)
{
	pool_setup_kb(st, pool_arg_kb(st));
}

void pool_teardown(struct bench_state *st)
{
	uint64_t got;

	(void)st;
	if (pool_cur.fd < 0)
		return;
	/* Back to base whatever the body did; sys_end restores the rest. */
	if (pool_timed_set(pool_cur.base, &got) >= 0)
		pool_settle_memmap();
	close(pool_cur.fd);
	pool_cur.fd = -1;
}

/* Memory one vmemmap PMD maps: 2M of 64-byte struct pages = 128M. */
#define PMD_REGION_KB (2048ull * 4096 / STRUCT_PAGE_SIZE)

/*
 * Huge pages grown that saw a first vmemmap PMD split: exact where the
 * kernel patch counts splits (a 2M page's split covers its 128M region,
 * a 1G page needs 8), else bounded by the boot vmemmap pages freed.
 */
static double first_split_pages(struct bench_state *st, uint64_t per)
{
	uint64_t boot = 0, tot = 0, splits = 0;
	double first = 0;

	if (pool_cur.has_splits &&
	    !sys_vmemmap_splits(NULL, NULL, 0, &splits)) {
		splits -= pool_cur.splits0;
		bench_counter(st, "vmemmap_pmd_splits", (double)splits, 0);
		return (double)splits * PMD_REGION_KB / (double)pool_cur.kb;
	}
	if (pool_cur.has_memmap && !sys_memmap_pages(&tot, &boot) &&
	    pool_cur.boot0 >= boot)
		first = (double)(pool_cur.boot0 - boot) / (double)per;
	bench_counter(st, "first_opt_pages", first, 0);
	return first;
}

void pool_report(struct bench_state *st)
{
	uint64_t per = vmemmap_per_hpage(pool_cur.kb);
	double first = 0;
	const char *regime = "hvo-off";

	if (pool_cur.has_memmap && pool_cur.saved_hpages) {
		bench_counter(st, "vmemmap_saved_per_page",
			      (double)pool_cur.saved_pages /
				      (double)pool_cur.saved_hpages,
			      0);
		bench_counter(st, "vmemmap_expected_per_page",
			      pool_cur.hvo ? (double)(per - 1) : 0, 0);
	}
	bench_counter(st, "partial_grows", (double)pool_cur.partial, 0);
	bench_counter(st, "settle_waits", (double)pool_cur.settle_waits, 0);
	/*
	 * first-split: most pages grown split their vmemmap PMD now; split:
	 * none did (already split earlier this boot); basepages: the
	 * vmemmap is PTE-mapped from boot, there is no PMD to split.
	 */
	if (pool_cur.hvo) {
		first = first_split_pages(st, per);
		regime = pool_cur.basepages	       ? "basepages"
			 : first <= 0		       ? "split"
			 : first * 2 >= pool_cur.grown ? "first-split"
						       : "mixed";
	}
	bench_label(st, "regime=%s done=%s", regime,
		    pool_cur.has_memmap ? "nr_hugepages+memmap"
					: "nr_hugepages");
}
