// SPDX-License-Identifier: GPL-2.0
/*
 * Pool, HVO and mappings for the fault and gup families (see hugemem.h).
 */
#include "hugemem.h"

#include <errno.h>
#include <linux/memfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "sys.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

/*
 * Pools we hold for the current instance: what each held before (given
 * back at the end of the instance) and what we set it to, so the
 * repetitions and calibration runs of one instance reuse it instead of
 * paying allocation and pre-touch every time.
 */
static struct {
	uint64_t kb;
	uint64_t before;
	uint64_t have; /* pages reserved and pre-touched by us */
	int hvo;       /* HVO state they were allocated under, -1 none */
	bool held;
} saved[4];

uint64_t hm_psize(const struct bench_state *st)
{
	int64_t v = bench_arg(st, "size");

	return v > 0 ? (uint64_t)v : HM_BASE_PAGE;
}

int hm_check(const struct bench_state *st, char *why, size_t len)
{
	uint64_t ps = hm_psize(st);

	if (sys_check_root(st, why, len))
		return 1;
	if (ps == HM_BASE_PAGE)
		return 0;
	if (ps & (ps - 1)) {
		snprintf(why, len, "size %s is not a power of two",
			 bench_arg_str(st, "size"));
		return 1;
	}
	return hugetlb_check_size(st, why, len);
}

static int log2u(uint64_t v)
{
	return 63 - __builtin_clzll(v);
}

/* A failed sys call: a skip when it is about privilege or memory. */
static int sys_fail(struct bench_state *st, int err, const char *what)
{
	if (err == -EACCES || err == -EPERM || err == -EROFS)
		bench_skip(st, "%s: %s (needs root)", what, strerror(-err));
	else if (err == -ENOMEM)
		bench_skip(st, "%s: %s (not enough memory)", what,
			   strerror(-err));
	else if (err == -ENOENT)
		bench_skip(st, "%s: %s", what, strerror(-err));
	else
		bench_error(st, "%s: %s", what, strerror(-err));
	return -1;
}

/*
 * The HVO state in force (the harness applied the instance's "hvo" axis):
 * 1, 0, or -1 when the kernel has no HVO.
 */
static int current_hvo(void)
{
	bool on;

	if (!hvo_available() || hvo_get(&on))
		return -1;
	return on;
}

static int slot_of(uint64_t kb)
{
	for (int i = 0; i < 4; i++)
		if (saved[i].kb == kb || saved[i].kb == 0) {
			saved[i].kb = kb;
			return i;
		}
	return -1;
}

/* Touch every huge page of the pool once, then give them back. */
static int pretouch(uint64_t psize, uint64_t npages)
{
	size_t len = psize * npages;
	void *p = hm_map(psize, false, len, 0);

	if (!p)
		return -errno;
	hm_touch_all(p, len);
	munmap(p, len);
	return 0;
}

int hm_setup(struct bench_state *st, uint64_t psize, uint64_t npages)
{
	uint64_t kb = psize / 1024, before, got;
	char what[96];
	int i, err;

	if (psize == HM_BASE_PAGE)
		return 0;

	i = slot_of(kb);
	if (i < 0) {
		bench_error(st, "too many huge page sizes in use");
		return -1;
	}
	err = hugetlb_pool_get(kb, -1, "nr_hugepages", &before);
	if (err)
		return sys_fail(st, err, "read nr_hugepages");
	if (saved[i].held && saved[i].have >= npages &&
	    saved[i].hvo == current_hvo() && before == saved[i].have)
		return 0; /* this instance's earlier run set it up */
	if (!saved[i].held) {
		saved[i].before = before;
		saved[i].held = true;
	}
	saved[i].have = 0;
	/* Pages keep the HVO state they were allocated under: empty first. */
	if (current_hvo() >= 0 && before) {
		err = hugetlb_pool_set(kb, -1, 0, &got);
		if (err)
			return sys_fail(st, err, "empty the hugetlb pool");
	}
	snprintf(what, sizeof(what), "reserve %llu x %lluK huge pages",
		 (unsigned long long)npages, (unsigned long long)kb);
	err = hugetlb_pool_set(kb, -1, npages, &got);
	if (err)
		return sys_fail(st, err, what);
	if (got < npages) {
		bench_skip(st, "%s: the kernel gave %llu", what,
			   (unsigned long long)got);
		return -1;
	}
	err = pretouch(psize, npages);
	if (err) {
		bench_error(st, "pre-touch %s: %s", what, strerror(-err));
		return -1;
	}
	saved[i].have = npages;
	saved[i].hvo = current_hvo();
	return 0;
}

/* At the end of every instance: give back the pools we grew. */
static void hm_instance_end(struct bench_state *st)
{
	uint64_t got;
	int err;

	for (int i = 0; i < 4; i++) {
		if (!saved[i].held)
			continue;
		err = hugetlb_pool_set(saved[i].kb, -1, saved[i].before, &got);
		if (err)
			bench_log("%s: restore %lluK hugetlb pool: %s\n",
				  bench_instance_name(st),
				  (unsigned long long)saved[i].kb,
				  strerror(-err));
		saved[i].held = false;
		saved[i].have = 0;
	}
}

BENCH_EXT_REGISTER(hugemem, .instance_end = hm_instance_end);

static void *map_shared(uint64_t psize, size_t len, int extra)
{
	unsigned int mfd = MFD_CLOEXEC;
	void *p = MAP_FAILED;
	int fd, saved_errno;

	if (psize != HM_BASE_PAGE)
		mfd |= MFD_HUGETLB | (unsigned int)log2u(psize)
					     << MFD_HUGE_SHIFT;
	fd = memfd_create("hvobench", mfd);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)len))
		goto out;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | extra, fd, 0);
out:
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return p == MAP_FAILED ? NULL : p;
}

int hm_wait_free(uint64_t psize, uint64_t n, double timeout_s)
{
	struct timespec ms = {0, 1000000};
	uint64_t free_pages;

	if (psize == HM_BASE_PAGE)
		return 0;
	for (double t = 0; t < timeout_s; t += 0.001) {
		if (!hugetlb_pool_get(psize / 1024, -1, "free_hugepages",
				      &free_pages) &&
		    free_pages >= n)
			return 0;
		nanosleep(&ms, NULL);
	}
	return -ETIMEDOUT;
}

static void *map_once(uint64_t psize, bool shared, size_t len, int extra);

void *hm_map(uint64_t psize, bool shared, size_t len, int extra)
{
	void *p = map_once(psize, shared, len, extra);

	if (!p && errno == ENOMEM && psize != HM_BASE_PAGE &&
	    !(extra & MAP_POPULATE) && !hm_wait_free(psize, len / psize, 1.0))
		p = map_once(psize, shared, len, extra);
	return p;
}

static void *map_once(uint64_t psize, bool shared, size_t len, int extra)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | extra;
	void *p;

	if (shared)
		return map_shared(psize, len, extra);
	if (psize != HM_BASE_PAGE)
		flags |= MAP_HUGETLB | log2u(psize) << MAP_HUGE_SHIFT;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/*
	 * The 4K reference must stay 4K even with THP "always".  EINVAL: a
	 * kernel without THP, where it stays 4K anyway.
	 */
	if (psize == HM_BASE_PAGE && madvise(p, len, MADV_NOHUGEPAGE) &&
	    errno != EINVAL) {
		int e = errno;

		munmap(p, len);
		errno = e;
		return NULL;
	}
	return p;
}

void hm_touch_all(void *p, size_t len)
{
	volatile char *c = p;

	/* One call instead of a trap per page; older kernels: by hand. */
	if (!madvise(p, len, MADV_POPULATE_WRITE))
		return;

	for (size_t off = 0; off < len; off += HM_BASE_PAGE)
		c[off] = 1;
}
