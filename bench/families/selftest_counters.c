// SPDX-License-Identifier: GPL-2.0
/*
 * Counter self-checks (suite "selftest"): bodies whose fault counts are
 * known, so --counters can be checked against them.
 *
 *   selftest/touch    writes one byte to each of N fresh anonymous pages:
 *                     N user-mode page faults per iteration
 *   selftest/kfault   read()s /dev/zero into N fresh pages: the faults
 *                     happen in the kernel (clear_user), N per iteration
 *
 * Mapping and unmapping are paused, so only the faults are in the region.
 * THP is refused (MADV_NOHUGEPAGE) so one touch is one 4K fault.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *map_fresh(struct bench_state *st, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		bench_error(st, "mmap %zu bytes: %s", len, strerror(errno));
		return NULL;
	}
	if (madvise(p, len, MADV_NOHUGEPAGE)) {
		bench_error(st, "madvise(MADV_NOHUGEPAGE): %s",
			    strerror(errno));
		munmap(p, len);
		return NULL;
	}
	return p;
}

static void bm_touch(struct bench_state *st)
{
	size_t pages = (size_t)bench_arg(st, "pages");
	size_t psz = (size_t)sysconf(_SC_PAGESIZE), len = pages * psz;
	int64_t done = 0;

	while (bench_loop(st)) {
		bench_pause(st);
		char *p = map_fresh(st, len);

		bench_resume(st);
		if (!p)
			return;
		for (size_t i = 0; i < pages; i++)
			*(volatile char *)(p + i * psz) = 1;
		bench_pause(st);
		munmap(p, len);
		bench_resume(st);
		done += (int64_t)pages;
	}
	bench_set_items(st, done);
}
BENCH_REGISTER(selftest_touch, .name = "selftest/touch", .fn = bm_touch,
	       .suites = "selftest", .iterations = 16,
	       .desc = "N user-mode page faults per iteration (counter check)",
	       .params = {{"pages", "4096"}});

static void bm_kfault(struct bench_state *st)
{
	size_t pages = (size_t)bench_arg(st, "pages");
	size_t psz = (size_t)sysconf(_SC_PAGESIZE), len = pages * psz;
	int64_t done = 0;
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		bench_skip(st, "open /dev/zero: %s", strerror(errno));
		return;
	}
	while (bench_loop(st)) {
		bench_pause(st);
		char *p = map_fresh(st, len);

		bench_resume(st);
		if (!p)
			break;
		/* One page per read: each faults once inside clear_user(). */
		for (size_t i = 0; i < pages; i++) {
			if (read(fd, p + i * psz, psz) != (ssize_t)psz) {
				bench_error(st, "read /dev/zero: %s",
					    strerror(errno));
				break;
			}
		}
		bench_pause(st);
		munmap(p, len);
		bench_resume(st);
		done += (int64_t)pages;
	}
	close(fd);
	bench_set_items(st, done);
}
BENCH_REGISTER(
	selftest_kfault, .name = "selftest/kfault", .fn = bm_kfault,
	.suites = "selftest", .iterations = 16,
	.desc = "N kernel-mode page faults per iteration (counter check)",
	.params = {{"pages", "4096"}});
