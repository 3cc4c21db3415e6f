// SPDX-License-Identifier: GPL-2.0
/*
 * tlbsim calibration: an operation whose struct-page footprint is known in
 * advance, for the tlbsim QEMU plugin (bench/tlbsim) to match exactly.
 *
 * Reading /proc/kpageflags for N consecutive PFNs makes the kernel read
 * the struct page of each of them (stable_page_flags()) and of no other
 * page: the region touches exactly N * 64 / 4096 vmemmap 4K pages (64-byte
 * struct page) in N / 32768 2M vmemmap blocks, when the range starts on a
 * 128 MiB boundary (one vmemmap PMD) inside System RAM and the buffer is
 * populated beforehand (no fault, no page allocation in the region).
 * Suite "tlbsim" only: it is a check of the simulator, not a benchmark of
 * the kernel.
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAL_ALIGN 32768ull /* pages described by one 2M vmemmap block */

struct cal {
	int fd;
	uint64_t *buf;
	uint64_t pfn;
};

/* First CAL_ALIGN-aligned run of n PFNs inside one System RAM range. */
static int ram_range(uint64_t n, uint64_t *pfn)
{
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	int rc = -1;

	if (!f)
		return -1;
	while (rc && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;

		/* Top-level entries only (no leading blanks). */
		if (line[0] == ' ' || !strstr(line, ": System RAM") ||
		    sscanf(line, "%llx-%llx", &lo, &hi) != 2)
			continue;
		uint64_t a =
			(lo / 4096 + CAL_ALIGN - 1) / CAL_ALIGN * CAL_ALIGN;

		if (lo && a + n <= (hi + 1) / 4096) {
			*pfn = a;
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

static void bm_kpageflags(struct bench_state *st)
{
	uint64_t n = (uint64_t)bench_arg(st, "pages");
	struct cal c = {.fd = -1};

	if (ram_range(n, &c.pfn)) {
		bench_skip(st,
			   "no 128 MiB-aligned run of %" PRIu64
			   " PFNs in System RAM (/proc/iomem)",
			   n);
		return;
	}
	c.fd = open("/proc/kpageflags", O_RDONLY);
	c.buf = malloc(n * sizeof(*c.buf));
	if (c.fd < 0 || !c.buf) {
		bench_error(st, "/proc/kpageflags: %s", strerror(errno));
		goto out;
	}
	memset(c.buf, 1, n * sizeof(*c.buf)); /* populated: no fault inside */
	while (bench_loop(st)) {
		ssize_t r = pread(c.fd, c.buf, n * sizeof(*c.buf),
				  (off_t)(c.pfn * sizeof(*c.buf)));

		if (r != (ssize_t)(n * sizeof(*c.buf))) {
			bench_error(st, "pread /proc/kpageflags: %s",
				    r < 0 ? strerror(errno) : "short read");
			break;
		}
	}
	bench_set_items(st, (int64_t)(n * bench_iterations(st)));
	bench_counter(st, "predicted_vmemmap_pages", (double)(n * 64 / 4096),
		      BENCH_CTR_DEFAULT);
	bench_counter(st, "predicted_vmemmap_blocks",
		      (double)((n + CAL_ALIGN - 1) / CAL_ALIGN),
		      BENCH_CTR_DEFAULT);
	bench_label(st, "pfn=%#" PRIx64 "+%" PRIu64, c.pfn, n);
out:
	if (c.fd >= 0)
		close(c.fd);
	free(c.buf);
}
BENCH_REGISTER(tlbsim_kpageflags, .name = "tlbsim/kpageflags",
	       .fn = bm_kpageflags, .suites = "full,tlbsim",
	       .desc = "read /proc/kpageflags for N PFNs from a 128 MiB "
		       "boundary: a known struct-page footprint",
	       .params = {{"pages", "16K"}}, .reqs = {.root = true},
	       .repetitions = 3, .min_time = 0.01);
