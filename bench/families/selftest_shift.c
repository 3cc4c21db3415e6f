// SPDX-License-Identifier: GPL-2.0
/*
 * Known shifts for scripts/detection-power (suite "selftest"): the same
 * work on both sides of a set (side:a, side:b), side b made shift percent
 * larger.  shift:0 is an A/A comparison.  Sides are compared like an
 * axis (group_by), so they run interleaved A B, B A, ...
 *
 * selftest/shift-cpu: a CPU-bound chain of multiplies, 3% longer.
 * selftest/shift-pool: real kernel work, growing the 2M pool by N pages
 * vs N * (1 + shift/100) pages with HVO off (time until nr_hugepages
 * reads back; the shrink back is not timed).
 * selftest/shift-fault: real kernel work of the kind the 4K control rows
 * do, first-touch write faults on N vs N * (1 + shift/100) anonymous 4K
 * pages (mmap and munmap not timed); no kernel state changed.
 */
#include "bench.h"
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Work of this instance: base scaled by the shift on side b. */
static uint64_t shifted(const struct bench_state *st, uint64_t base)
{
	if (strcmp(bench_arg_str(st, "side"), "b"))
		return base;
	return base + base * (uint64_t)bench_arg(st, "shift") / 100;
}

static void bm_cpu(struct bench_state *st)
{
	uint64_t n = shifted(st, 10000), x = 1;

	while (bench_loop(st)) {
		for (uint64_t i = 0; i < n; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
		__asm__ volatile("" : "+r"(x));
	}
}
BENCH_REGISTER(selftest_shift_cpu, .name = "selftest/shift-cpu",
	       .desc = "10000 dependent multiplies, side b shift% more "
		       "(detection power)",
	       .fn = bm_cpu, .suites = "selftest", .group_by = "side",
	       .params = {{"shift", "0,3"}, {"side", "a,b"}});

#define KB_2M 2048

static int fd = -1;
static uint64_t base;

static int pool_check(const struct bench_state *st, char *why, size_t len)
{
	if (sys_check_root(st, why, len))
		return 1;
	if (!hugetlb_size_present(KB_2M)) {
		snprintf(why, len, "no 2M huge pages");
		return 1;
	}
	return hugetlb_pool_check(KB_2M, shifted(st, bench_arg(st, "pages")),
				  why, len)
		       ? 1
		       : 0;
}

static void pool_setup(struct bench_state *st)
{
	char p[256];
	int err = hugetlb_pool_get(KB_2M, -1, "nr_hugepages", &base);

	if (!err)
		err = hugetlb_path(p, sizeof(p), KB_2M, -1, "nr_hugepages");
	if (!err) {
		fd = sys_open_knob(p);
		err = fd < 0 ? fd : 0;
	}
	if (err)
		bench_error(st, "2M pool: %s", strerror(-err));
}

static void pool_teardown(struct bench_state *st)
{
	(void)st;
	if (fd >= 0) {
		sys_knob_write_u64(fd, base);
		close(fd);
	}
	fd = -1;
}

/* Write nr and wait until the pool reads it back: 0 or -errno. */
static int pool_to(uint64_t nr)
{
	uint64_t now = 0;
	int err = sys_knob_write_u64(fd, nr);

	for (int i = 0; !err && i < 1000000; i++) {
		err = hugetlb_pool_get(KB_2M, -1, "nr_hugepages", &now);
		if (!err && now == nr)
			return 0;
	}
	return err ? err : -ETIMEDOUT;
}

static void bm_pool(struct bench_state *st)
{
	uint64_t n = shifted(st, (uint64_t)bench_arg(st, "pages"));
	int err = 0;

	while (bench_loop(st)) {
		uint64_t t0 = bench_now_ns();

		err = pool_to(base + n);
		bench_set_iteration_time(st,
					 (double)(bench_now_ns() - t0) / 1e9);
		if (!err)
			err = pool_to(base);
		if (err) {
			bench_error(st, "2M pool to %llu pages: %s",
				    (unsigned long long)(base + n),
				    strerror(-err));
			return;
		}
	}
	bench_set_items(st, (int64_t)(n * bench_iterations(st)));
}
BENCH_REGISTER(selftest_shift_pool, .name = "selftest/shift-pool",
	       .desc = "grow the 2M pool by N vs N*(1+shift%) pages, HVO off "
		       "(detection power)",
	       .fn = bm_pool, .setup = pool_setup, .teardown = pool_teardown,
	       .suites = "selftest", .group_by = "side", .manual_time = true,
	       .iterations = 4, .unit = "us",
	       .params = {{"pages", "1024"},
			  {"shift", "0,3"},
			  {"hvo", "off"},
			  {"side", "a,b"}},
	       .reqs = {.root = true, .check = pool_check});

static void bm_fault(struct bench_state *st)
{
	size_t n = (size_t)shifted(st, (uint64_t)bench_arg(st, "pages"));
	long pg = sysconf(_SC_PAGESIZE);

	while (bench_loop(st)) {
		char *p = mmap(NULL, n * (size_t)pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint64_t t0;

		if (p == MAP_FAILED) {
			bench_error(st, "mmap %zu pages: %s", n,
				    strerror(errno));
			return;
		}
		t0 = bench_now_ns();
		for (size_t i = 0; i < n; i++)
			p[i * (size_t)pg] = 1;
		bench_set_iteration_time(st,
					 (double)(bench_now_ns() - t0) / 1e9);
		munmap(p, n * (size_t)pg);
	}
	bench_set_items(st, (int64_t)(n * (size_t)bench_iterations(st)));
}
BENCH_REGISTER(selftest_shift_fault, .name = "selftest/shift-fault",
	       .desc = "first-touch write faults on N vs N*(1+shift%) 4K "
		       "pages (detection power; the 4K controls' kind of work)",
	       .fn = bm_fault, .suites = "selftest", .group_by = "side",
	       .manual_time = true, .iterations = 8, .unit = "us",
	       .params = {
		       {"pages", "2048"}, {"shift", "0,3"}, {"side", "a,b"}});
