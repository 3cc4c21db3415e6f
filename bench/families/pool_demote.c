// SPDX-License-Identifier: GPL-2.0
/* pool/demote: one free 1G page demoted to 512 2M pages. */
#include "bench.h"
#include "pool_ctl.h"
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	return pool_mem_check(1 << 20, -1, 1, why, len);
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
		ret = pool_timed_set(pool_cur.base + 1, &got) < 0 ? -1 : 0;
		bench_resume(st);
		if (ret || got != pool_cur.base + 1) {
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
			if (n1 == pool_cur.base && n2 == demote_base2m + 512)
				break;
			if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS) {
				bench_error(st, "demote did not finish");
				return;
			}
			pool_sleep_us(20);
		}
		bench_set_iteration_time(st,
					 (double)(bench_now_ns() - t0) / 1e9);
		/* Untimed: give the 512 2M pages back. */
		bench_pause(st);
		ret = hugetlb_pool_set(2048, -1, demote_base2m, &got);
		if (!ret && (got != demote_base2m || pool_settle_memmap() < 0))
			ret = -1;
		bench_resume(st);
		if (ret) {
			bench_error(st, "2M pool did not shrink back");
			return;
		}
	}
	bench_set_items(st, (int64_t)bench_iterations(st));
	bench_label(st, "regime=%s done=1G-1,2M+512 nr_hugepages%s",
		    pool_cur.hvo ? "hvo-on" : "hvo-off",
		    pool_cur.has_memmap ? "+memmap" : "");
}

BENCH_REGISTER(pool_demote, .name = "pool/demote",
	       .desc = "demote one free 1G page to 512 2M pages",
	       .fn = bm_demote, .setup = demote_setup,
	       .teardown = pool_teardown,
	       .params = {{"size", "1G"}, {"hvo", "off,on"}},
	       .reqs = {.root = true, .check = demote_check},
	       .manual_time = true, .iterations = 3, .repetitions = 1,
	       .unit = "ms");
