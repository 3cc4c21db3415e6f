// SPDX-License-Identifier: GPL-2.0
/*
 * pool/fault: surplus pages allocated at first touch of MAP_NORESERVE
 * memory with an empty pool (private, random order, or copy-on-write in a
 * child); the frees, deferred to a kworker with HVO on, are waited out
 * untimed.
 */
#include "bench.h"
#include "famutil.h"
#include "pool_ctl.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

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
	kb = pool_arg_kb(st);
	if (hugetlb_pool_get(kb, -1, "nr_hugepages", &cur) || cur) {
		snprintf(why, len,
			 "the %s pool is not empty (%" PRIu64 " pages): "
			 "fault-time allocation needs an empty pool",
			 pool_kb_str(kb), cur);
		return 1;
	}
	cow = !strcmp(bench_arg_str(st, "mode"), "cow");
	pages = fault_pages(st, kb);
	return pool_mem_check(kb, -1, pages * (cow ? 2 : 1), why, len);
}

static uint64_t nfault;

static int settle_surplus(void)
{
	uint64_t t0 = bench_now_ns(), sur = 1, nr = 1;

	for (;;) {
		if (hugetlb_pool_get(pool_cur.kb, -1, "surplus_hugepages",
				     &sur) ||
		    pool_nr(&nr))
			return -1;
		if (sur == 0 && nr == pool_cur.base)
			break;
		if (bench_now_ns() - t0 > SETTLE_TIMEOUT_NS)
			return -1;
		pool_sleep_us(50);
	}
	pool_cur.settle_ns += bench_now_ns() - t0;
	return pool_settle_memmap() < 0 ? -1 : 0;
}

static void fault_setup(struct bench_state *st)
{
	uint64_t kb = pool_arg_kb(st);
	bool cow = !strcmp(bench_arg_str(st, "mode"), "cow");
	size_t sz = kb * 1024;
	int ret, flags;
	char *p;

	nfault = fault_pages(st, kb);
	pool_setup_kb(st, kb);
	if (bench_skipped(st) || pool_cur.fd < 0)
		return;
	ret = hugetlb_overcommit_set(kb, nfault * (cow ? 2 : 1));
	if (ret == -EINVAL && kb >= (1 << 20)) {
		/* Linux has no surplus gigantic pages: the write is refused. */
		bench_skip(st,
			   "kernel refuses nr_overcommit_hugepages for %s "
			   "(gigantic) pages: %s",
			   pool_kb_str(kb), strerror(EINVAL));
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
		bench_skip(st, "mmap of a %s MAP_HUGETLB page: %s",
			   pool_kb_str(kb), strerror(errno));
		return;
	}
	if (madvise(p, sz, MADV_POPULATE_WRITE)) {
		int e = errno;

		munmap(p, sz);
		{
			bench_skip(st,
				   "kernel allocates no surplus %s page "
				   "at fault time (MADV_POPULATE_WRITE: %s)",
				   pool_kb_str(kb), strerror(e));
			return;
		}
	}
	munmap(p, sz);
	if (settle_surplus()) {
		pool_fail(st, "surplus page not freed", ETIMEDOUT);
		return;
	}
	pool_cur.settle_ns = 0;
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
	size_t sz = pool_cur.kb * 1024, lsz = nfault * sizeof(uint64_t);
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
		      (double)pool_cur.settle_ns / 1e6 /
			      (double)(bench_iterations(st)
					       ? bench_iterations(st)
					       : 1),
		      0);
	bench_label(st, "regime=%s done=surplus+memmap (free untimed)",
		    pool_cur.hvo ? "hvo-on" : "hvo-off");
out:
	free(order);
	if (lat != MAP_FAILED)
		munmap(lat, lsz);
}

static void fault_teardown(struct bench_state *st)
{
	if (pool_cur.fd >= 0)
		hugetlb_overcommit_set(pool_cur.kb, 0);
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
