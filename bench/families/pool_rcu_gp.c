// SPDX-License-Identifier: GPL-2.0
/*
 * pool/rcu_gp: the grace period under every HVO batch.
 *
 * Since the fix for speculative PFN walkers, optimizing or restoring a
 * batch of huge pages' vmemmap waits for one RCU grace period
 * (synchronize_rcu() in mm/hugetlb_vmemmap.c); single-page paths (surplus
 * allocation at fault time, deferred frees) wait once per page.
 * membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu() on a machine
 * with more than one CPU, so this measures that floor in the same run.
 */
#include "bench.h"

#include <errno.h>
#include <linux/membarrier.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
