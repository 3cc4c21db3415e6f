// SPDX-License-Identifier: GPL-2.0
/* pool/grow: grow the pool by N pages, timed until nr_hugepages reads back. */
#include "bench.h"
#include "pool_ctl.h"

static void bm_grow(struct bench_state *st)
{
	uint64_t n = pool_inst_pages(st);
	int64_t items = 0;

	while (bench_loop(st)) {
		int64_t t = pool_grow(n), u;

		items += (int64_t)pool_cur.saved_hpages;
		/* Paused: counters (TLB flushes, IPIs) see only the grow. */
		bench_pause(st);
		u = t < 0 ? t : pool_shrink();
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

BENCH_REGISTER(pool_grow_2m, .name = "pool/grow",
	       .desc = "grow the 2M pool by N pages (time until nr_hugepages "
		       "reads back)",
	       .fn = bm_grow, POOL_2M_SWEEP);
BENCH_REGISTER(pool_grow_1g, .name = "pool/grow",
	       .desc = "grow the 1G pool by N pages", .fn = bm_grow,
	       .params = {{"size", "1G"}, {"pages", "1,4"}, {"hvo", "off,on"}},
	       POOL_SWEEP, .iterations = 2, .repetitions = 5, .unit = "ms",
	       .args = {QUICK_HEADLINE, {.suite = "full"}});
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
