// SPDX-License-Identifier: GPL-2.0
/*
 * pool: what HVO costs when the hugetlb pool grows and shrinks, when a 1G
 * page is demoted, and when surplus pages are allocated at fault time.
 *
 * Every instance runs with HVO off and on in the same run ("hvo" is the
 * last parameter, so off/on alternate and share a group).  Times are
 * taken by hand around the sysfs write and the check that the work is
 * done; the kernel may defer part of a free to a kworker (surplus pages
 * freed on unmap with HVO on), so "done" is observed, not assumed:
 *
 *	grow	nr_hugepages reads back (allocation and vmemmap
 *		optimization happen inside the write)
 *	shrink	nr_hugepages reads back and nr_memmap_pages +
 *		nr_memmap_boot_pages in /proc/vmstat are back to their value
 *		before the grow (vmemmap restored); the vmstat check is made
 *		after the timed read and, if it is not yet settled, the wait
 *		until it is counts
 *	faults	after munmap: surplus_hugepages 0 and the vmemmap total back
 *		(untimed; how long it took is a counter)
 *
 * Regimes: on x86_64 the first optimization of a huge page whose vmemmap
 * is still the boot-time PMD mapping splits that PMD (never undone).  Each
 * HVO-on row says whether it saw such splits (regime=first-split or mixed)
 * or only re-optimized already split vmemmap (regime=split); on a kernel
 * booted with the patch's vmemmap_basepages there is no PMD to split
 * (regime=basepages).  Evidence: the patch's vmstat split counter
 * (counter vmemmap_pmd_splits), else the boot vmemmap pages freed, which
 * happens exactly at a first optimization (counter first_opt_pages).  pool/cold sorts first: it times
 * the first grow of the run against a second one, so the cold-memory
 * warm-up of a fresh VM and the first-split cost are reported, not hidden.
 */
#include "bench.h"
#include "famutil.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/membarrier.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define SETTLE_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)
/* struct page is 64 bytes on x86_64 and arm64 without debug options. */
#define STRUCT_PAGE_SIZE 64

/* ---- per-repetition context ------------------------------------------ */

struct pool_ctx {
	uint64_t kb;	       /* huge page size */
	int node;	       /* NUMA node whose pool is written, -1: global */
	uint64_t base;	       /* nr_hugepages we start from and return to */
	uint64_t memmap0;      /* vmemmap pages (dynamic + boot) at base */
	uint64_t boot0;	       /* nr_memmap_boot_pages at setup */
	uint64_t splits0;      /* the kernel patch's PMD-split count at setup */
	bool has_splits;       /* kernel counts vmemmap PMD splits */
	bool basepages;	       /* vmemmap PTE-mapped from boot */
	bool has_memmap;       /* kernel reports nr_memmap_pages */
	bool hvo;	       /* this instance's HVO setting */
	int fd;		       /* nr_hugepages, open for timed writes */
	uint64_t settle_waits; /* times the vmstat check had to wait */
	uint64_t settle_ns;    /* and for how long in total */
	uint64_t partial;      /* grows where the kernel gave fewer pages */
	int64_t saved_pages;   /* vmemmap pages freed by the last grow */
	uint64_t saved_hpages; /* huge pages that grow added */
	uint64_t grown;	       /* huge pages added over the repetition */
};

static struct pool_ctx pc = {.fd = -1};

static uint64_t arg_kb(const struct bench_state *st)
{
	return hugetlb_parse_size(bench_arg_str(st, "size"));
}

static const char *kb_str(uint64_t kb)
{
	static char buf[16];

	return sys_size_str(kb, buf, sizeof(buf));
}

/* vmemmap pages backing one huge page of size kb, and what HVO frees. */
static uint64_t vmemmap_per_hpage(uint64_t kb)
{
	return kb / 4 * STRUCT_PAGE_SIZE / 4096;
}

static int pool_nr(uint64_t *nr)
{
	return hugetlb_pool_get(pc.kb, pc.node, "nr_hugepages", nr);
}

static int inst_node(const struct bench_state *st)
{
	return bench_has_arg(st, "node") ? (int)bench_arg(st, "node") : -1;
}

static void sleep_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

/*
 * Wait until the vmemmap total is back to pc.memmap0 (freed huge pages
 * have their vmemmap restored).  Returns the ns spent waiting after the
 * first check (0 when already settled), or -1 on timeout.
 */
static int64_t settle_memmap(void)
{
	uint64_t t0 = bench_now_ns(), tot = 0;
	bool waited = false;

	if (!pc.has_memmap)
		return 0;
	for (;;) {
		if (!sys_memmap_pages(&tot, NULL) && tot == pc.memmap0)
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		waited = true;
		sleep_us(50);
	}
	if (!waited)
		return 0;
	pc.settle_waits++;
	pc.settle_ns += bench_now_ns() - t0;
	return (int64_t)(bench_now_ns() - t0);
}

/*
 * Write nr_hugepages = target and read it back until it shows the result
 * (the write allocates or frees synchronously; the read-back is the
 * observation).  *got is what the kernel gave.  Returns elapsed ns or -1.
 */
static int64_t timed_set(uint64_t target, uint64_t *got)
{
	uint64_t t0, nr = 0;
	int ret;

	t0 = bench_now_ns();
	ret = sys_knob_write_u64(pc.fd, target);
	if (ret && ret != -ENOMEM)
		return -1;
	for (;;) {
		if (pool_nr(&nr))
			return -1;
		/* Growing may stop short (partial success); freeing may not. */
		if (nr == target ||
		    (target > pc.base && nr >= pc.base && nr < target))
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		sleep_us(20);
	}
	*got = nr;
	return (int64_t)(bench_now_ns() - t0);
}

/* Grow by n (timed), recording vmemmap pages saved and first splits. */
static int64_t grow(uint64_t n)
{
	uint64_t got = 0, tot = 0;
	int64_t t = timed_set(pc.base + n, &got);

	if (t < 0)
		return t;
	if (got < pc.base + n)
		pc.partial++;
	pc.saved_hpages = got - pc.base;
	pc.grown += pc.saved_hpages;
	if (pc.has_memmap && !sys_memmap_pages(&tot, NULL))
		pc.saved_pages = (int64_t)pc.memmap0 - (int64_t)tot;
	return t;
}

/* Shrink back to base (timed) and wait for the vmemmap to be restored. */
static int64_t shrink(void)
{
	uint64_t got = 0;
	int64_t t = timed_set(pc.base, &got), w;

	if (t < 0)
		return t;
	w = settle_memmap();
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
static int mem_check(uint64_t kb, int node, uint64_t pages, char *why,
		     size_t len)
{
	uint64_t cur = 0, nfree = 0, margin = sys_safety_margin() >> 10;
	char p[256];

	if (node >= 0) {
		if (hugetlb_path(p, sizeof(p), kb, node, "nr_hugepages") ||
		    access(p, F_OK)) {
			snprintf(why, len, "no NUMA node %d with %s pages",
				 node, kb_str(kb));
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
				 pages, kb_str(kb), pages * kb >> 10, node,
				 nfree >> 10, margin >> 10);
			return 1;
		}
	}
	if (hugetlb_pool_get(kb, -1, "nr_hugepages", &cur))
		cur = 0;
	return hugetlb_pool_check(kb, cur + pages, why, len) ? 1 : 0;
}

static uint64_t inst_pages(const struct bench_state *st)
{
	return bench_has_arg(st, "pages") ? (uint64_t)bench_arg(st, "pages")
					  : 1;
}

static int pool_check(const struct bench_state *st, char *why, size_t len)
{
	uint64_t kb, pages = inst_pages(st);

	if (hugetlb_check_size(st, why, len) || sys_check_root(st, why, len))
		return 1;
	kb = arg_kb(st);
	/* COW needs the parent's pages and the child's copies at once. */
	if (bench_has_arg(st, "mode") &&
	    !strcmp(bench_arg_str(st, "mode"), "cow"))
		pages *= 2;
	return mem_check(kb, inst_node(st), pages, why, len);
}

static void pool_fail(struct bench_state *st, const char *what, int err)
{
	bench_error(st, "%s (%s pool): %s", what, kb_str(pc.kb),
		    strerror(err < 0 ? -err : err));
}

/* Common setup: HVO as the instance says, pool at its base, knob open. */
static void pool_setup_kb(struct bench_state *st, uint64_t kb)
{
	uint64_t boot = 0;
	bool on = false;
	char p[256];
	int ret;

	memset(&pc, 0, sizeof(pc));
	pc.fd = -1;
	pc.kb = kb;
	pc.node = inst_node(st);
	/* The harness applied the "hvo" axis; pages follow what is in force. */
	pc.hvo = hvo_available() && !hvo_get(&on) && on;
	ret = pool_nr(&pc.base);
	if (ret) {
		pool_fail(st, "reading nr_hugepages", ret);
		return;
	}
	ret = hugetlb_path(p, sizeof(p), kb, pc.node, "nr_hugepages");
	if (!ret) {
		pc.fd = sys_open_knob(p);
		ret = pc.fd < 0 ? pc.fd : 0;
	}
	if (ret) {
		pool_fail(st, "opening nr_hugepages", ret);
		return;
	}
	pc.has_memmap = !sys_memmap_pages(&pc.memmap0, &boot);
	pc.boot0 = boot;
	pc.has_splits = !sys_vmemmap_splits(NULL, NULL, 0, &pc.splits0);
	pc.basepages = sys_vmemmap_basepages(NULL);
}

static void pool_setup(struct bench_state *st)
{
	pool_setup_kb(st, arg_kb(st));
}

static void pool_teardown(struct bench_state *st)
{
	uint64_t got;

	(void)st;
	if (pc.fd < 0)
		return;
	/* Back to base whatever the body did; sys_end restores the rest. */
	if (timed_set(pc.base, &got) >= 0)
		settle_memmap();
	close(pc.fd);
	pc.fd = -1;
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

	if (pc.has_splits && !sys_vmemmap_splits(NULL, NULL, 0, &splits)) {
		splits -= pc.splits0;
		bench_counter(st, "vmemmap_pmd_splits", (double)splits, 0);
		return (double)splits * PMD_REGION_KB / (double)pc.kb;
	}
	if (pc.has_memmap && !sys_memmap_pages(&tot, &boot) && pc.boot0 >= boot)
		first = (double)(pc.boot0 - boot) / (double)per;
	bench_counter(st, "first_opt_pages", first, 0);
	return first;
}

/* Counters and label every pool row carries. */
static void pool_report(struct bench_state *st)
{
	uint64_t per = vmemmap_per_hpage(pc.kb);
	double first = 0;
	const char *regime = "hvo-off";

	if (pc.has_memmap && pc.saved_hpages) {
		bench_counter(st, "vmemmap_saved_per_page",
			      (double)pc.saved_pages / (double)pc.saved_hpages,
			      0);
		bench_counter(st, "vmemmap_expected_per_page",
			      pc.hvo ? (double)(per - 1) : 0, 0);
	}
	bench_counter(st, "partial_grows", (double)pc.partial, 0);
	bench_counter(st, "settle_waits", (double)pc.settle_waits, 0);
	/*
	 * first-split: most pages grown split their vmemmap PMD now; split:
	 * none did (already split earlier this boot); basepages: the
	 * vmemmap is PTE-mapped from boot, there is no PMD to split.
	 */
	if (pc.hvo) {
		first = first_split_pages(st, per);
		regime = pc.basepages		 ? "basepages"
			 : first <= 0		 ? "split"
			 : first * 2 >= pc.grown ? "first-split"
						 : "mixed";
	}
	bench_label(st, "regime=%s done=%s", regime,
		    pc.has_memmap ? "nr_hugepages+memmap" : "nr_hugepages");
}

/* ---- pool/grow, pool/shrink ------------------------------------------ */

static void bm_grow(struct bench_state *st)
{
	uint64_t n = inst_pages(st);
	int64_t items = 0;

	while (bench_loop(st)) {
		int64_t t = grow(n), u;

		items += (int64_t)pc.saved_hpages;
		/* Paused: counters (TLB flushes, IPIs) see only the grow. */
		bench_pause(st);
		u = t < 0 ? t : shrink();
		bench_resume(st);
		if (u < 0) {
			bench_error(st, "pool did not settle in %llu s",
				    SETTLE_TIMEOUT_NS / 1000000000ull);
			return;
		}
		bench_set_iteration_time(st, (double)t / 1e9);
	}
	bench_set_items(st, items);
	pool_report(st);
}

static void bm_shrink(struct bench_state *st)
{
	uint64_t n = inst_pages(st);
	int64_t items = 0;

	while (bench_loop(st)) {
		int64_t t;

		bench_pause(st); /* counters see only the shrink */
		t = grow(n);
		bench_resume(st);
		if (t >= 0)
			t = shrink();
		if (t < 0) {
			bench_error(st, "pool did not settle in %llu s",
				    SETTLE_TIMEOUT_NS / 1000000000ull);
			return;
		}
		items += (int64_t)pc.saved_hpages;
		bench_set_iteration_time(st, (double)t / 1e9);
	}
	bench_set_items(st, items);
	pool_report(st);
}

#define POOL_REQS .reqs = {.root = true, .check = pool_check}
/* What every pool sweep shares: state set-up, manual time. */
/*
 * The quick suite's headline rows: rounds until the HVO off/on ratio is
 * known to +-3%, at most 4 s per instance pair (make bench <= 5 min).
 */
#define QUICK_HEADLINE                                                         \
	{                                                                      \
		.suite = "quick", .precision = 0.03, .budget = 4               \
	}
#define POOL_SWEEP                                                             \
	.setup = pool_setup, .teardown = pool_teardown, POOL_REQS,             \
	.manual_time = true

BENCH_REGISTER(
	pool_grow_2m, .name = "pool/grow",
	.desc = "grow the 2M pool by N pages (time until nr_hugepages "
		"reads back)",
	.fn = bm_grow,
	.params = {{"size", "2M"},
		   {"pages", "1,64,512,4096"},
		   {"hvo", "off,on"}},
	POOL_SWEEP, .min_time = 0.1, .repetitions = 5, .unit = "us",
	.args = {
		QUICK_HEADLINE,
		{.suite = "full"},
		/* Full: up to the safe limit (larger sizes skip with the reason). */
		{.suite = "full",
		 .params = {{"pages", "8192,16384,32768"}},
		 .iterations = 2}});
BENCH_REGISTER(pool_grow_1g, .name = "pool/grow",
	       .desc = "grow the 1G pool by N pages", .fn = bm_grow,
	       .params = {{"size", "1G"}, {"pages", "1,4"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 2, .repetitions = 5, .unit = "ms",
	       .args = {QUICK_HEADLINE, {.suite = "full"}});
BENCH_REGISTER(pool_shrink_2m, .name = "pool/shrink",
	       .desc = "shrink the 2M pool by N pages (time until "
		       "nr_hugepages and the vmemmap total are back)",
	       .fn = bm_shrink,
	       .params = {{"size", "2M"},
			  {"pages", "1,64,512,4096"},
			  {"hvo", "off,on"}},
	       POOL_SWEEP, .min_time = 0.1, .repetitions = 5, .unit = "us",
	       .args = {QUICK_HEADLINE,
			{.suite = "full"},
			{.suite = "full",
			 .params = {{"pages", "8192,16384,32768"}},
			 .iterations = 2}});
/*
 * Full suite: one node's pool (its nr_hugepages file; pages come from
 * that node only, and with HVO on so do the vmemmap pages a shrink
 * allocates to restore).  Absent nodes skip with the reason.
 */
BENCH_REGISTER(pool_grow_2m_node, .name = "pool/grow",
	       .desc = "grow one NUMA node's 2M pool by N pages", .fn = bm_grow,
	       .params = {{"size", "2M"},
			  {"pages", "512,4096"},
			  {"node", "0,1"},
			  {"hvo", "off,on"}},
	       POOL_SWEEP, .suites = "full", .min_time = 0.1, .repetitions = 5,
	       .unit = "us");
BENCH_REGISTER(pool_shrink_2m_node, .name = "pool/shrink",
	       .desc = "shrink one NUMA node's 2M pool by N pages",
	       .fn = bm_shrink,
	       .params = {{"size", "2M"},
			  {"pages", "512,4096"},
			  {"node", "0,1"},
			  {"hvo", "off,on"}},
	       POOL_SWEEP, .suites = "full", .min_time = 0.1, .repetitions = 5,
	       .unit = "us");
BENCH_REGISTER(pool_shrink_1g, .name = "pool/shrink",
	       .desc = "shrink the 1G pool by N pages", .fn = bm_shrink,
	       .params = {{"size", "1G"}, {"pages", "1,4"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 2, .repetitions = 5, .unit = "ms",
	       .args = {QUICK_HEADLINE, {.suite = "full"}});

/* ---- pool/step: one page per write, per-page latency ------------------ */

static void bm_step(struct bench_state *st)
{
	struct bench_hist *ha = bench_hist(st, "alloc"),
			  *hf = bench_hist(st, "free");
	uint64_t n = inst_pages(st), free_ns = 0, nfree = 0;
	int64_t items = 0;

	while (bench_loop(st)) {
		uint64_t alloc_ns = 0, top = pc.base, got = 0, tot = 0;

		for (uint64_t i = 1; i <= n; i++) {
			int64_t t = timed_set(pc.base + i, &got);

			if (t < 0) {
				bench_error(st, "grow step failed");
				return;
			}
			if (got < pc.base + i) { /* the kernel had no more */
				pc.partial++;
				break;
			}
			bench_hist_record(ha, (uint64_t)t);
			alloc_ns += (uint64_t)t;
			top = got;
		}
		items += (int64_t)(top - pc.base);
		pc.saved_hpages = top - pc.base;
		pc.grown += pc.saved_hpages;
		if (pc.has_memmap && !sys_memmap_pages(&tot, NULL))
			pc.saved_pages = (int64_t)pc.memmap0 - (int64_t)tot;
		for (uint64_t nr = top; nr > pc.base; nr--) {
			int64_t t = timed_set(nr - 1, &got);

			if (t < 0) {
				bench_error(st, "shrink step failed");
				return;
			}
			bench_hist_record(hf, (uint64_t)t);
			free_ns += (uint64_t)t;
			nfree++;
		}
		/* Each free restored its vmemmap inside the write. */
		if (settle_memmap() < 0) {
			bench_error(st, "vmemmap did not settle");
			return;
		}
		bench_set_iteration_time(st, (double)alloc_ns / 1e9);
	}
	bench_set_items(st, items);
	if (nfree)
		bench_counter(st, "free_ns_per_page",
			      (double)free_ns / (double)nfree, 0);
	pool_report(st);
}

BENCH_REGISTER(pool_step_2m, .name = "pool/step",
	       .desc = "grow one 2M page per write up to N, then shrink one "
		       "per write: per-page latency (time = the grows)",
	       .fn = bm_step,
	       .params = {{"size", "2M"}, {"pages", "64"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 2, .repetitions = 5, .unit = "us",
	       .args = {QUICK_HEADLINE,
			{.suite = "full"},
			/* Full: more samples per histogram. */
			{.suite = "full", .params = {{"pages", "256"}}}});
BENCH_REGISTER(pool_step_1g, .name = "pool/step",
	       .desc = "grow one 1G page per write up to N, then shrink",
	       .fn = bm_step,
	       .params = {{"size", "1G"}, {"pages", "2"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 2, .repetitions = 2, .unit = "ms",
	       .args = {QUICK_HEADLINE, {.suite = "full"}});

/* ---- pool/cold: the first grow of the run, reported on its own -------- */

static void bm_cold(struct bench_state *st)
{
	uint64_t n = inst_pages(st);
	int64_t first = 0, second = 0;

	while (bench_loop(st)) {
		first = grow(n);
		if (first < 0 || shrink() < 0) {
			bench_error(st, "pool did not settle");
			return;
		}
		second = grow(n);
		if (second < 0 || shrink() < 0) {
			bench_error(st, "pool did not settle");
			return;
		}
		bench_set_iteration_time(st, (double)first / 1e9);
	}
	bench_set_items(st, (int64_t)pc.saved_hpages);
	bench_counter(st, "first_ms", (double)first / 1e6, 0);
	bench_counter(st, "second_ms", (double)second / 1e6, 0);
	if (second > 0)
		bench_counter(st, "first_over_second",
			      (double)first / (double)second, 0);
	pool_report(st);
}

BENCH_REGISTER(pool_cold, .name = "pool/cold",
	       .desc = "first grow of the run vs a second one: cold guest "
		       "memory (hvo:off) and first vmemmap splits (hvo:on)",
	       .fn = bm_cold,
	       .params = {{"size", "2M"}, {"pages", "4096"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 1, .repetitions = 1, .unit = "ms",
	       .no_warmup = true);

/* ---- pool/demote: 1G -> 2M -------------------------------------------- */

static uint64_t demote_base2m;

static int demote_check(const struct bench_state *st, char *why, size_t len)
{
	char p[256];

	if (sys_check_root(st, why, len))
		return 1;
	if (!hugetlb_size_present(1 << 20) || !hugetlb_size_present(2048)) {
		snprintf(why, len, "needs both 1G and 2M huge pages");
		return 1;
	}
	hugetlb_path(p, sizeof(p), 1 << 20, -1, "demote");
	if (access(p, W_OK)) {
		snprintf(why, len, "kernel cannot demote (%s: %s)", p,
			 strerror(errno));
		return 1;
	}
	return mem_check(1 << 20, -1, 1, why, len);
}

static void demote_setup(struct bench_state *st)
{
	uint64_t b;

	pool_setup_kb(st, 1 << 20);
	if (hugetlb_pool_get(2048, -1, "nr_hugepages", &b)) {
		pool_fail(st, "reading the 2M pool", EIO);
		return;
	}
	demote_base2m = b;
}

static void bm_demote(struct bench_state *st)
{
	uint64_t got = 0, n2 = 0, n1 = 0;

	while (bench_loop(st)) {
		uint64_t t0;
		int ret;

		/* Untimed (and paused for counters): a fresh 1G page. */
		bench_pause(st);
		ret = timed_set(pc.base + 1, &got) < 0 ? -1 : 0;
		bench_resume(st);
		if (ret || got != pc.base + 1) {
			bench_skip(st, "kernel gave no 1G page "
				       "(memory fragmented?)");
			return;
		}
		t0 = bench_now_ns();
		ret = hugetlb_demote(1 << 20, 2048, 1);
		if (ret) {
			bench_error(st, "demote: %s", strerror(-ret));
			return;
		}
		for (;;) {
			if (pool_nr(&n1) ||
			    hugetlb_pool_get(2048, -1, "nr_hugepages", &n2)) {
				bench_error(st, "reading pools");
				return;
			}
			if (n1 == pc.base && n2 == demote_base2m + 512)
				break;
			if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS) {
				bench_error(st, "demote did not finish");
				return;
			}
			sleep_us(20);
		}
		bench_set_iteration_time(st,
					 (double)(bench_now_ns() - t0) / 1e9);
		/* Untimed: give the 512 2M pages back. */
		bench_pause(st);
		ret = hugetlb_pool_set(2048, -1, demote_base2m, &got);
		if (!ret && (got != demote_base2m || settle_memmap() < 0))
			ret = -1;
		bench_resume(st);
		if (ret) {
			bench_error(st, "2M pool did not shrink back");
			return;
		}
	}
	bench_set_items(st, (int64_t)bench_iterations(st));
	bench_label(st, "regime=%s done=1G-1,2M+512 nr_hugepages%s",
		    pc.hvo ? "hvo-on" : "hvo-off",
		    pc.has_memmap ? "+memmap" : "");
}

BENCH_REGISTER(pool_demote, .name = "pool/demote",
	       .desc = "demote one free 1G page to 512 2M pages",
	       .fn = bm_demote, .setup = demote_setup,
	       .teardown = pool_teardown,
	       .params = {{"size", "1G"}, {"hvo", "off,on"}},
	       .reqs = {.root = true, .check = demote_check},
	       .manual_time = true, .iterations = 3, .repetitions = 1,
	       .unit = "ms");

/* ---- pool/fault: surplus pages allocated at first touch --------------- */

/* Pages per iteration: 1G pages are few (each fault zeroes 1 GiB). */
static uint64_t fault_pages(const struct bench_state *st, uint64_t kb)
{
	if (kb >= (1 << 20))
		return 2;
	/* HVO on: ~10 ms per fault and per deferred free on a busy VM. */
	return bench_quick(st) ? 32 : 256;
}

static int fault_check(const struct bench_state *st, char *why, size_t len)
{
	uint64_t kb, pages, cur = 0;
	bool cow;

	if (hugetlb_check_size(st, why, len) || sys_check_root(st, why, len))
		return 1;
	kb = arg_kb(st);
	if (hugetlb_pool_get(kb, -1, "nr_hugepages", &cur) || cur) {
		snprintf(why, len,
			 "the %s pool is not empty (%" PRIu64 " pages): "
			 "fault-time allocation needs an empty pool",
			 kb_str(kb), cur);
		return 1;
	}
	cow = !strcmp(bench_arg_str(st, "mode"), "cow");
	pages = fault_pages(st, kb);
	return mem_check(kb, -1, pages * (cow ? 2 : 1), why, len);
}

static uint64_t nfault;

static int settle_surplus(void)
{
	uint64_t t0 = bench_now_ns(), sur = 1, nr = 1;

	for (;;) {
		if (hugetlb_pool_get(pc.kb, -1, "surplus_hugepages", &sur) ||
		    pool_nr(&nr))
			return -1;
		if (sur == 0 && nr == pc.base)
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		sleep_us(50);
	}
	pc.settle_ns += bench_now_ns() - t0;
	return settle_memmap() < 0 ? -1 : 0;
}

static void fault_setup(struct bench_state *st)
{
	uint64_t kb = arg_kb(st);
	bool cow = !strcmp(bench_arg_str(st, "mode"), "cow");
	size_t sz = kb * 1024;
	int ret, flags;
	char *p;

	nfault = fault_pages(st, kb);
	pool_setup_kb(st, kb);
	if (bench_skipped(st) || pc.fd < 0)
		return;
	ret = hugetlb_overcommit_set(kb, nfault * (cow ? 2 : 1));
	if (ret == -EINVAL && kb >= (1 << 20)) {
		/* Linux has no surplus gigantic pages: the write is refused. */
		bench_skip(st,
			   "kernel refuses nr_overcommit_hugepages for %s "
			   "(gigantic) pages: %s",
			   kb_str(kb), strerror(EINVAL));
		return;
	}
	if (ret) {
		pool_fail(st, "setting nr_overcommit_hugepages", ret);
		return;
	}
	/* Probe without risking SIGBUS: can a surplus page be faulted? */
	flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE |
		(__builtin_ctzll(sz) << MAP_HUGE_SHIFT);
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		bench_skip(st, "mmap of a %s MAP_HUGETLB page: %s", kb_str(kb),
			   strerror(errno));
		return;
	}
	if (madvise(p, sz, MADV_POPULATE_WRITE)) {
		int e = errno;

		munmap(p, sz);
		{
			bench_skip(st,
				   "kernel allocates no surplus %s page "
				   "at fault time (MADV_POPULATE_WRITE: %s)",
				   kb_str(kb), strerror(e));
			return;
		}
	}
	munmap(p, sz);
	if (settle_surplus()) {
		pool_fail(st, "surplus page not freed", ETIMEDOUT);
		return;
	}
	pc.settle_ns = 0;
}

static uint64_t rng_state;

/* Touch pages in order[] and record each first-touch fault. */
static uint64_t touch(char *p, size_t sz, const uint32_t *order, uint64_t n,
		      uint64_t *lat)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < n; i++) {
		volatile char *a = p + (size_t)order[i] * sz;
		uint64_t t0 = bench_now_ns();

		*a = 1;
		lat[i] = bench_now_ns() - t0;
		sum += lat[i];
	}
	return sum;
}

/* COW: the child writes every page the parent populated. */
static int cow_faults(char *p, size_t sz, const uint32_t *order, uint64_t n,
		      uint64_t *shared_lat, uint64_t *sum)
{
	int status;
	pid_t pid;

	for (uint64_t i = 0; i < n; i++)
		p[i * sz] = 2;
	pid = sys_fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) /* _exit: the parent's atexit restore is not ours */
		_exit(touch(p, sz, order, n, shared_lat) ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -ECHILD;
	*sum = 0;
	for (uint64_t i = 0; i < n; i++)
		*sum += shared_lat[i];
	return 0;
}

static void bm_fault(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "fault");
	const char *mode = bench_arg_str(st, "mode");
	size_t sz = pc.kb * 1024, lsz = nfault * sizeof(uint64_t);
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE |
		    (__builtin_ctzll(sz) << MAP_HUGE_SHIFT);
	uint32_t *order = calloc(nfault, sizeof(*order));
	uint64_t *lat = mmap(NULL, lsz, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int64_t items = 0;

	if (!order || lat == MAP_FAILED) {
		bench_error(st, "out of memory: %s", strerror(ENOMEM));
		goto out;
	}
	rng_state = 0x9e3779b97f4a7c15ull;
	while (bench_loop(st)) {
		uint64_t sum = 0;
		char *p;
		int ret;

		for (uint64_t i = 0; i < nfault; i++)
			order[i] = (uint32_t)i;
		if (!strcmp(mode, "random"))
			for (uint64_t i = nfault - 1; i > 0; i--) {
				uint64_t j = xorshift64(&rng_state) % (i + 1);
				uint32_t t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
		p = mmap(NULL, nfault * sz, PROT_READ | PROT_WRITE, flags, -1,
			 0);
		if (p == MAP_FAILED) {
			bench_error(st, "mmap: %s", strerror(errno));
			goto out;
		}
		if (!strcmp(mode, "cow")) {
			ret = cow_faults(p, sz, order, nfault, lat, &sum);

			if (ret) {
				munmap(p, nfault * sz);
				bench_error(st, "COW child failed: %s",
					    strerror(-ret));
				goto out;
			}
		} else {
			sum = touch(p, sz, order, nfault, lat);
		}
		for (uint64_t i = 0; i < nfault; i++)
			bench_hist_record(h, lat[i]);
		/* HVO on: these frees run in a kworker; wait them out. */
		bench_pause(st);
		munmap(p, nfault * sz);
		ret = settle_surplus();
		bench_resume(st);
		if (ret) {
			bench_error(st, "surplus pages not freed in time");
			goto out;
		}
		items += (int64_t)nfault;
		bench_set_iteration_time(st, (double)sum / 1e9);
	}
	bench_set_items(st, items);
	bench_counter(st, "free_settle_ms",
		      (double)pc.settle_ns / 1e6 /
			      (double)(bench_iterations(st)
					       ? bench_iterations(st)
					       : 1),
		      0);
	bench_label(st, "regime=%s done=surplus+memmap (free untimed)",
		    pc.hvo ? "hvo-on" : "hvo-off");
out:
	free(order);
	if (lat != MAP_FAILED)
		munmap(lat, lsz);
}

static void fault_teardown(struct bench_state *st)
{
	if (pc.fd >= 0)
		hugetlb_overcommit_set(pc.kb, 0);
	pool_teardown(st);
}

BENCH_REGISTER(pool_fault, .name = "pool/fault",
	       .desc = "first touch of MAP_HUGETLB|MAP_NORESERVE memory with "
		       "an empty pool: one surplus page per fault",
	       .fn = bm_fault, .setup = fault_setup, .teardown = fault_teardown,
	       .params = {{"size", "2M,1G"},
			  {"mode", "private,random,cow"},
			  {"hvo", "off,on"}},
	       .reqs = {.root = true, .check = fault_check},
	       .manual_time = true, .iterations = 2, .repetitions = 2,
	       .unit = "ms", .args = {QUICK_HEADLINE, {.suite = "full"}});

/* ---- pool/rcu_gp: the grace period under every HVO batch --------------- */

/*
 * Since the fix for speculative PFN walkers, optimizing or restoring a
 * batch of huge pages' vmemmap waits for one RCU grace period
 * (synchronize_rcu() in mm/hugetlb_vmemmap.c); single-page paths (surplus
 * allocation at fault time, deferred frees) wait once per page.
 * membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu() on a machine
 * with more than one CPU, so this measures that floor in the same run.
 */
static void bm_rcu_gp(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "gp");

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		bench_skip(
			st,
			"one CPU: membarrier(GLOBAL) skips the grace period");
		return;
	}
	while (bench_loop(st)) {
		uint64_t t0 = bench_now_ns();

		if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0)) {
			bench_skip(st, "membarrier(MEMBARRIER_CMD_GLOBAL): %s",
				   strerror(errno));
			return;
		}
		bench_hist_record(h, bench_now_ns() - t0);
	}
	bench_label(st, "synchronize_rcu() via membarrier(GLOBAL)");
}

BENCH_REGISTER(pool_rcu_gp, .name = "pool/rcu_gp",
	       .desc = "one RCU grace period (membarrier GLOBAL): the wait "
		       "in each HVO optimize/restore batch",
	       .fn = bm_rcu_gp, .min_time = 0.1, .repetitions = 3,
	       .unit = "ms");
