// SPDX-License-Identifier: GPL-2.0
/* pool/step: one page per write, per-page latency of grow and shrink. */
#include "bench.h"
#include "pool_ctl.h"
#include "sys.h"

static void bm_step(struct bench_state *st)
{
	struct bench_hist *ha = bench_hist(st, "alloc"),
			  *hf = bench_hist(st, "free");
	uint64_t n = pool_inst_pages(st), free_ns = 0, nfree = 0;
	int64_t items = 0;

	while (bench_loop(st)) {
		uint64_t alloc_ns = 0, top = pool_cur.base, got = 0, tot = 0;

		for (uint64_t i = 1; i <= n; i++) {
			int64_t t = pool_timed_set(pool_cur.base + i, &got);

			if (t < 0) {
				bench_error(st, "grow step failed");
				return;
			}
			if (got <
			    pool_cur.base + i) { /* the kernel had no more */
				pool_cur.partial++;
				break;
			}
			bench_hist_record(ha, (uint64_t)t);
			alloc_ns += (uint64_t)t;
			top = got;
		}
		items += (int64_t)(top - pool_cur.base);
		pool_cur.saved_hpages = top - pool_cur.base;
		pool_cur.grown += pool_cur.saved_hpages;
		if (pool_cur.has_memmap && !sys_memmap_pages(&tot, NULL))
			pool_cur.saved_pages =
				(int64_t)pool_cur.memmap0 - (int64_t)tot;
		for (uint64_t nr = top; nr > pool_cur.base; nr--) {
			int64_t t = pool_timed_set(nr - 1, &got);

			if (t < 0) {
				bench_error(st, "shrink step failed");
				return;
			}
			bench_hist_record(hf, (uint64_t)t);
			free_ns += (uint64_t)t;
			nfree++;
		}
		/* Each free restored its vmemmap inside the write. */
		if (pool_settle_memmap() < 0) {
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
