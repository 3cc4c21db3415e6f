// SPDX-License-Identifier: GPL-2.0
/*
 * pool/shrink: shrink the pool by N pages, timed until nr_hugepages and
 * the vmemmap total are back (the grow before it is untimed).
 */
#include "bench.h"
#include "pool_ctl.h"

static void bm_shrink(struct bench_state *st)
{
	uint64_t n = pool_inst_pages(st);
	int64_t items = 0;

	while (bench_loop(st)) {
		int64_t t;

		bench_pause(st); /* counters see only the shrink */
		t = pool_grow(n);
		bench_resume(st);
		if (t >= 0)
			t = pool_shrink();
		if (t < 0) {
			bench_error(st, "pool did not settle in %llu s",
				    SETTLE_TIMEOUT_NS / 1000000000ull);
			return;
		}
		items += (int64_t)pool_cur.saved_hpages;
		bench_set_iteration_time(st, (double)t / 1e9);
	}
	bench_set_items(st, items);
	pool_report(st);
}

BENCH_REGISTER(pool_shrink_2m, .name = "pool/shrink",
	       .desc = "shrink the 2M pool by N pages (time until "
		       "nr_hugepages and the vmemmap total are back)",
	       .fn = bm_shrink, POOL_2M_SWEEP);
/* Full suite: one node's pool, as pool/grow (pool_grow.c). */
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
