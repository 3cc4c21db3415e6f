// SPDX-License-Identifier: GPL-2.0
/*
 * The one-off split of the vmemmap PMDs (the "4k" vmemmap regime): grow
 * the 2M pool with HVO on as far as the safety margin allows, so that HVO
 * splits the PMDs under the memory it covered; note which 128 MiB regions
 * (the memory one vmemmap PMD describes) got an optimized page, then
 * shrink the pool and put HVO back.  The split lasts until reboot.  Every
 * change goes through the journal, so benchmarks ask bench/sys for it and
 * never write HVO or the pool themselves.  Also the boot-memmap estimate
 * of how much of the boot vmemmap HVO has freed since boot.
 */
#include "bench.h"
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG	     4096ULL
#define STRUCT_PAGE  64
#define REGION_SHIFT SYS_VMEMMAP_REGION_SHIFT
#define REGION_BYTES (PG << REGION_SHIFT)
#define HP_KB	     2048ULL
/* vmemmap pages of one 2M page (8) minus the one HVO keeps. */
#define HVO_FREED_2M 7

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
#define KPF_COMPOUND_HEAD 15
#define KPF_HUGE	  17
#define KPF_NOPAGE	  20
#define KPF_CHUNK	  65536

static struct sys_split sp;

/*
 * Boot vmemmap pages freed since boot.  The boot memmap is one full
 * section's worth per present memory block section; HVO is what frees
 * boot vmemmap pages (hot-remove aside), and only after it has split the
 * PMD they sat under.  An estimate: -ERANGE when the model does not fit.
 */
int sys_boot_memmap_freed(uint64_t *freed)
{
	uint64_t bs = 0, blocks = 0, expect, boot = 0, tot;
	char v[64];
	struct dirent *d;
	DIR *dir;
	int ret;

	ret = sys_memmap_pages(&tot, &boot);
	if (ret)
		return ret;
	if (sys_get("/sys/devices/system/memory/block_size_bytes", v,
		    sizeof(v)))
		return -ENOENT;
	bs = strtoull(v, NULL, 16);
	dir = opendir("/sys/devices/system/memory");
	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "memory", 6) && d->d_name[6] >= '0' &&
		    d->d_name[6] <= '9')
			blocks++;
	closedir(dir);
	expect = blocks * bs / PG * STRUCT_PAGE / PG;
	if (!bs || boot > expect)
		return -ERANGE;
	*freed = expect - boot;
	return 0;
}

/* Mark regions holding huge pages (and memory at all) from kpageflags. */
static int scan_kpageflags(void)
{
	uint64_t *f = malloc(KPF_CHUNK * sizeof(*f));
	uint64_t pfn = 0;
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC), ret = 0;
	uint8_t *mem = NULL;

	if (fd < 0 || !f) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = pread(fd, f, KPF_CHUNK * sizeof(*f),
				  (off_t)(pfn * sizeof(*f)));
		uint64_t need;

		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		n /= (ssize_t)sizeof(*f);
		need = ((pfn + (uint64_t)n - 1) >> REGION_SHIFT) + 1;
		if (need > sp.nregions) {
			uint8_t *a = realloc(sp.covered, need),
				*b = realloc(mem, need);

			if (a)
				sp.covered = a;
			if (b)
				mem = b;
			if (!a || !b) {
				ret = -ENOMEM;
				goto out;
			}
			memset(a + sp.nregions, 0, need - sp.nregions);
			memset(b + sp.nregions, 0, need - sp.nregions);
			sp.nregions = need;
		}
		for (ssize_t i = 0; i < n; i++, pfn++) {
			uint64_t r = pfn >> REGION_SHIFT;

			if (!(f[i] >> KPF_NOPAGE & 1))
				mem[r] = 1;
			if (f[i] >> KPF_HUGE & 1) {
				sp.covered[r] = 1;
				sp.heads += f[i] >> KPF_COMPOUND_HEAD & 1;
			}
		}
	}
	for (uint64_t r = 0; r < sp.nregions; r++) {
		sp.ncovered += sp.covered[r];
		sp.nmem += mem[r];
	}
out:
	if (fd >= 0)
		close(fd);
	free(f);
	free(mem);
	return ret;
}

/* All pools empty: every huge page the scan sees is then one of ours. */
static int pools_empty(char *why, size_t len)
{
	uint64_t kb[8], nr = 0;
	char s[16];
	int n = hugetlb_sizes(kb, 8);

	for (int i = 0; i < n; i++)
		if (!hugetlb_pool_get(kb[i], -1, "nr_hugepages", &nr) && nr) {
			snprintf(why, len,
				 "the %s pool holds %" PRIu64
				 " pages: the split step needs every pool "
				 "empty to tell which memory it covered",
				 sys_size_str(kb[i], s, sizeof(s)), nr);
			return -EBUSY;
		}
	return 0;
}

/* How many 2M pages the safety margin lets the pool grow to. */
static uint64_t split_pages(void)
{
	uint64_t avail = 0, margin = sys_safety_margin(), n;
	char why[BENCH_MAX_REASON];

	if (sys_meminfo("MemAvailable", &avail) || avail <= margin)
		return 0;
	n = (avail - margin) / (HP_KB * 1024);
	while (n && hugetlb_pool_check(HP_KB, n, why, sizeof(why)))
		n -= n / 20 + 1;
	return n;
}

static void split_confirm(int pt0, uint64_t pte0, uint64_t pte1, int vs0,
			  const char *vname, uint64_t v0, uint64_t v1)
{
	if (!pt0 && pte1 > pte0)
		snprintf(sp.confirm, sizeof(sp.confirm),
			 "confirmed(ptdump: vmemmap PTE-mapped %" PRIu64
			 "->%" PRIu64 " MiB)",
			 pte0 >> 20, pte1 >> 20);
	else if (!vs0 && v1 > v0)
		snprintf(sp.confirm, sizeof(sp.confirm),
			 "confirmed(%s +%" PRIu64 ")", vname, v1 - v0);
	else if (sp.got && sp.optimized == (int64_t)sp.got)
		/* Remapped at 4K means PTE-mapped: implied, not observed. */
		snprintf(sp.confirm, sizeof(sp.confirm),
			 "implied(memmap: all %" PRIu64 " pages optimized)",
			 sp.got);
	else
		snprintf(sp.confirm, sizeof(sp.confirm), "unconfirmed");
}

/*
 * Grow the 2M pool with HVO on as far as the margin allows, note which
 * regions it covered, shrink it and restore HVO.  Every change goes
 * through bench/sys (journalled; restored at exit whatever happens).
 */
static void split_vmemmap(void)
{
	uint64_t tot0 = 0, boot0 = 0, tot1 = 0, boot1 = 0, pte0 = 0, pte1 = 0,
		 pmd = 0, v0 = 0, v1 = 0, t0, back = 0;
	char vname[128] = "";
	bool hvo0 = false, grown = false;
	int ret, pt0, vs0, mm;

	sp.tried = true;
	if (!hvo_available()) {
		snprintf(sp.why, sizeof(sp.why),
			 "kernel has no vm.hugetlb_optimize_vmemmap: HVO "
			 "produces the 4k regime");
		return;
	}
	if (!hugetlb_size_present(HP_KB)) {
		snprintf(sp.why, sizeof(sp.why), "no 2M huge pages");
		return;
	}
	if (pools_empty(sp.why, sizeof(sp.why)))
		return;
	ret = hvo_get(&hvo0);
	if (ret) {
		snprintf(sp.why, sizeof(sp.why), "read HVO state: %s",
			 strerror(-ret));
		return;
	}
	sp.asked = split_pages();
	if (!sp.asked) {
		snprintf(sp.why, sizeof(sp.why),
			 "MemAvailable leaves no 2M page above the safety "
			 "margin");
		return;
	}
	bench_log("vmemmap split: growing the 2M pool to %" PRIu64
		  " pages with HVO on to split vmemmap PMDs; the split lasts "
		  "until reboot (no sysctl stays changed)",
		  sp.asked);
	pt0 = sys_ptdump_vmemmap(&pte0, &pmd);
	vs0 = sys_vmemmap_splits(NULL, vname, sizeof(vname), &v0);
	mm = sys_memmap_pages(&tot0, &boot0);
	t0 = bench_now_ns();
	ret = hvo_set(true);
	if (ret) {
		snprintf(sp.why, sizeof(sp.why), "enable HVO: %s",
			 strerror(-ret));
		goto out;
	}
	grown = true;
	ret = hugetlb_pool_set(HP_KB, -1, sp.asked, &sp.got);
	if (ret) {
		snprintf(sp.why, sizeof(sp.why),
			 "grow the 2M pool to %" PRIu64 ": %s", sp.asked,
			 strerror(-ret));
		goto out;
	}
	if (!mm && !sys_memmap_pages(&tot1, &boot1)) {
		sp.optimized = ((int64_t)tot0 - (int64_t)tot1) / HVO_FREED_2M;
		sp.boot_freed = boot0 - boot1;
	}
	ret = scan_kpageflags();
	if (ret) {
		snprintf(sp.why, sizeof(sp.why), "read /proc/kpageflags: %s",
			 strerror(-ret));
		goto out;
	}
	if (!pt0)
		sys_ptdump_vmemmap(&pte1, &pmd);
	if (!vs0)
		sys_vmemmap_splits(NULL, vname, sizeof(vname), &v1);
	split_confirm(pt0, pte0, pte1, vs0, vname, v0, v1);
	sp.done = true;
out:
	if (grown) {
		ret = hugetlb_pool_set(HP_KB, -1, 0, &back);
		if (ret || back) {
			bench_log("vmemmap split: shrink the 2M pool back to "
				  "0: %s "
				  "(%" PRIu64 " left)",
				  strerror(ret ? -ret : EBUSY), back);
			snprintf(sp.why, sizeof(sp.why),
				 "the 2M pool did not shrink back (%" PRIu64
				 " left)",
				 back);
			sp.done = false;
		}
		ret = hvo_set(hvo0);
		if (ret)
			bench_log("vmemmap split: restore HVO: %s",
				  strerror(-ret));
	}
	sp.ms = (double)(bench_now_ns() - t0) / 1e6;
	if (sp.done)
		bench_log("vmemmap split: %" PRIu64 " of %" PRIu64
			  " pages, %" PRIu64 " of %" PRIu64
			  " regions covered (%.1f GiB), %s, %.0f ms",
			  sp.got, sp.asked, sp.ncovered, sp.nmem,
			  (double)(sp.ncovered * REGION_BYTES) / (1 << 30),
			  sp.confirm, sp.ms);
}

const struct sys_split *sys_vmemmap_split(void)
{
	if (!sp.tried)
		split_vmemmap();
	return &sp;
}

const struct sys_split *sys_vmemmap_split_state(void)
{
	return &sp;
}
