// SPDX-License-Identifier: GPL-2.0
/*
 * pool/cold: the first grow of the run, reported on its own: timed against
 * a second one, so the cold-memory warm-up of a fresh VM and the first
 * vmemmap splits are reported, not hidden.
 */
#include "bench.h"
#include "pool_ctl.h"

static void bm_cold(struct bench_state *st)
{
	uint64_t n = pool_inst_pages(st);
	int64_t first = 0, second = 0;

	while (bench_loop(st)) {
		first = pool_grow(n);
		if (first < 0 || pool_shrink() < 0) {
			bench_error(st, "pool did not settle");
			return;
		}
		second = pool_grow(n);
		if (second < 0 || pool_shrink() < 0) {
			bench_error(st, "pool did not settle");
			return;
		}
		bench_set_iteration_time(st, (double)first / 1e9);
	}
	bench_set_items(st, (int64_t)pool_cur.saved_hpages);
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
