/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool: what HVO costs when the hugetlb pool grows and shrinks, when a 1G
 * page is demoted, and when surplus pages are allocated at fault time.
 * One file a benchmark (pool_grow.c, pool_shrink.c, pool_step.c,
 * pool_cold.c, pool_demote.c, pool_fault.c, pool_rcu_gp.c); this pair
 * (pool_ctl.[ch]) holds what they share: the instance's pool context, the
 * timed nr_hugepages writes, requirements, setup and the regime report.
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
 * happens exactly at a first optimization (counter first_opt_pages).
 * pool/cold sorts first: it times the first grow of the run against a
 * second one, so the cold-memory warm-up of a fresh VM and the
 * first-split cost are reported, not hidden.
 */
#ifndef HVOBENCH_POOL_CTL_H
#define HVOBENCH_POOL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_state;

#define SETTLE_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)

/* The pool of the instance running now (one at a time: single-threaded). */
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

extern struct pool_ctx pool_cur;

/* The instance's "size" in kB, "node" (-1: none) and "pages" (1: none). */
uint64_t pool_arg_kb(const struct bench_state *st);
int pool_inst_node(const struct bench_state *st);
uint64_t pool_inst_pages(const struct bench_state *st);
/* kB -> "2M" (a static buffer). */
const char *pool_kb_str(uint64_t kb);
void pool_sleep_us(long us);

/* nr_hugepages of the current pool (its node's, if any). 0 or -errno. */
int pool_nr(uint64_t *nr);
/*
 * Write nr_hugepages = target and read it back until it shows the result
 * (the write allocates or frees synchronously; the read-back is the
 * observation).  *got is what the kernel gave.  Returns elapsed ns or -1.
 */
int64_t pool_timed_set(uint64_t target, uint64_t *got);
/* Grow by n (timed), recording vmemmap pages saved and first splits. */
int64_t pool_grow(uint64_t n);
/* Shrink back to base (timed) and wait for the vmemmap to be restored. */
int64_t pool_shrink(void);
/*
 * Wait until the vmemmap total is back to pool_cur.memmap0 (freed huge
 * pages have their vmemmap restored).  Returns the ns spent waiting after
 * the first check (0 when already settled), or -1 on timeout.
 */
int64_t pool_settle_memmap(void);

/*
 * The global check (MemAvailable minus the safety margin), and for a
 * node's pool the same margin out of that node's MemFree.  0, or 1 with
 * the reason in why.
 */
int pool_mem_check(uint64_t kb, int node, uint64_t pages, char *why,
		   size_t len);
/* bench_reqs.check of the sweeps: size offered, root, memory. */
int pool_check(const struct bench_state *st, char *why, size_t len);
/* bench_error() naming what failed on which pool. */
void pool_fail(struct bench_state *st, const char *what, int err);
/* Common setup: HVO as the instance says, pool at its base, knob open. */
void pool_setup_kb(struct bench_state *st, uint64_t kb);
void pool_setup(struct bench_state *st);
/* Back to base whatever the body did; sys_end restores the rest. */
void pool_teardown(struct bench_state *st);
/* Counters and label every pool row carries. */
void pool_report(struct bench_state *st);

#define POOL_REQS .reqs = {.root = true, .check = pool_check}
/*
 * The quick suite's headline rows: rounds until the HVO off/on ratio is
 * known to +-3%, at most 4 s per instance pair (make bench <= 5 min).
 */
#define QUICK_HEADLINE                                                         \
	{                                                                      \
		.suite = "quick", .precision = 0.03, .budget = 4               \
	}
/* What every pool sweep shares: state set-up, manual time. */
#define POOL_SWEEP                                                             \
	.setup = pool_setup, .teardown = pool_teardown, POOL_REQS,             \
	.manual_time = true
/*
 * The global 2M grow and shrink sweeps: the same sizes, rounds and suites
 * (full: up to the safe limit; larger sizes skip with the reason).
 */
#define POOL_2M_SWEEP                                                          \
	.params = {{"size", "2M"},                                             \
		   {"pages", "1,64,512,4096"},                                 \
		   {"hvo", "off,on"}},                                         \
	POOL_SWEEP, .min_time = 0.1, .repetitions = 5, .unit = "us",           \
	.args = {QUICK_HEADLINE,                                               \
		 {.suite = "full"},                                            \
		 {.suite = "full",                                             \
		  .params = {{"pages", "8192,16384,32768"}},                   \
		  .iterations = 2}}

#endif
