// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-checks: bodies with known behaviour, in suite "selftest"
 * (never part of quick or full).  The tests and the overhead comparison
 * run them.
 */
#include "bench.h"

#include <stdio.h>
#include <time.h>

static void bm_empty(struct bench_state *st)
{
	while (bench_loop(st))
		__asm__ volatile("" ::: "memory");
}
BENCH_REGISTER(selftest_empty, .name = "selftest/empty", .fn = bm_empty,
	       .suites = "selftest",
	       .desc = "empty body: the loop's own overhead");

/* About 100 ns of dependent arithmetic the compiler cannot remove. */
static void bm_100ns(struct bench_state *st)
{
	uint64_t x = 1;

	while (bench_loop(st)) {
		for (int i = 0; i < 40; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		__asm__ volatile("" : "+r"(x));
	}
}
BENCH_REGISTER(selftest_100ns, .name = "selftest/100ns", .fn = bm_100ns,
	       .suites = "selftest", .desc = "~100 ns of dependent multiplies");

/* Sleeps a known time per iteration: checks timing, items, histograms. */
static void bm_sleep(struct bench_state *st)
{
	int64_t us = bench_arg(st, "us");
	struct bench_hist *h = bench_hist(st, "sleep");
	struct timespec ts = {0, us * 1000};
	int64_t n = 0;

	while (bench_loop(st)) {
		uint64_t t0 = bench_now_ns();

		nanosleep(&ts, NULL);
		bench_hist_record(h, bench_now_ns() - t0);
		n++;
	}
	bench_set_items(st, n);
	bench_counter(st, "sleeps", (double)n, BENCH_CTR_RATE);
}
BENCH_REGISTER(selftest_sleep, .name = "selftest/sleep", .fn = bm_sleep,
	       .suites = "selftest", .desc = "nanosleep of a known length",
	       .params = {{"us", "100,1000"}}, .use_real_time = true);

static void bm_manual(struct bench_state *st)
{
	while (bench_loop(st))
		bench_set_iteration_time(st, 0.001);
}
BENCH_REGISTER(selftest_manual, .name = "selftest/manual", .fn = bm_manual,
	       .suites = "selftest", .manual_time = true,
	       .desc = "manual time: 1 ms reported per iteration");

static void bm_threads(struct bench_state *st)
{
	int64_t n = 0;

	while (bench_loop(st))
		n++;
	bench_set_items(st, n);
}
BENCH_REGISTER(selftest_threads, .name = "selftest/threads", .fn = bm_threads,
	       .suites = "selftest", .params = {{"threads", "1,2"}},
	       .desc = "threads released by one barrier");

static int never(const struct bench_state *st, char *why, size_t len)
{
	(void)st;
	snprintf(why, len, "a requirement that is never met");
	return 1;
}

static void bm_never(struct bench_state *st)
{
	while (bench_loop(st))
		;
}
BENCH_REGISTER(selftest_skip, .name = "selftest/skip", .fn = bm_never,
	       .suites = "selftest", .reqs = {.check = never},
	       .desc = "always skipped");
