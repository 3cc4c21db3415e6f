// SPDX-License-Identifier: GPL-2.0
/*
 * tlb: struct-page-heavy kernel work on 4K memory, with the struct pages
 * in vmemmap mapped by 2M PMDs ("vmemmap:pmd") or by 4K PTEs
 * ("vmemmap:4k").  On x86_64 the boot vmemmap is PMD-mapped and HVO
 * splits a PMD into PTEs the first time it optimizes a huge page whose
 * struct pages lie under it (vmemmap_split_pmd(), never collapsed back).
 *
 *   op:pin       io_uring IORING_REGISTER_BUFFERS (pin_user_pages, longterm)
 *   op:unpin     IORING_UNREGISTER_BUFFERS (unpin_user_page per page)
 *   op:zap       MADV_DONTNEED of populated memory (repopulated untimed)
 *   op:fork      fork + child exit of a process holding the buffer
 *                (copy_page_range, then the child's zap)
 *   op:pagemap   /proc/self/pagemap over the buffer, then /proc/kpageflags
 *                for each of its PFNs
 *   op:populate  MADV_POPULATE_WRITE over populated memory
 *
 * The buffer is MADV_NOHUGEPAGE anonymous memory whose pages are in
 * scattered physical order: a scratch area twice its size is populated,
 * a random half of it is freed page by page in random order (the other
 * half stays mapped so freed pages cannot merge back into large buddies),
 * and the buffer is populated from those holes.  Each row reports how
 * scattered it really was (phys_seq_frac) and how many vmemmap 4K pages
 * and PMDs its struct pages span.
 *
 * vmemmap is the FIRST parameter: every pmd instance runs before the
 * first 4k instance asks bench/sys for the split (sys_vmemmap_split():
 * the 2M pool grown with HVO on over as much memory as the safety margin
 * allows, the 128 MiB regions that got an optimized page recorded, pool
 * and HVO put back; this family writes no kernel state itself).  THE
 * SPLIT LASTS UNTIL REBOOT: no sysctl changes, but later
 * runs in this boot see a PTE-mapped vmemmap wherever the pool reached.
 * pmd rows therefore say whether a split may already have happened
 * earlier in this boot (boot vmemmap pages freed since boot).
 *
 * Under a hypervisor whose guest memory is backed by 4K host pages the
 * TLB caches 4K translations either way, so no timing difference is
 * expected (see TEST-MACHINE.md); rows say so.  Kernel dTLB walks per
 * page come from --counters=tlb (reported unavailable without a PMU).
 */
#include "bench.h"
#include "famutil.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096ULL
/* struct page is 64 bytes: one 2M vmemmap PMD describes 2^15 pages. */
#define STRUCT_PAGE  64
#define REGION_SHIFT SYS_VMEMMAP_REGION_SHIFT
#define REGION_BYTES (PG << REGION_SHIFT)
/* A region's vmemmap is 512 pages: a lower bound on regions touched. */
#define REGION_MEMMAP (REGION_BYTES / PG * STRUCT_PAGE / PG)

#define PM_PRESENT  (1ULL << 63)
#define PM_PFN_MASK ((1ULL << 55) - 1)

#define URING_CHUNK 512 /* pages per registered buffer */

/* The vmemmap split's outcome (bench/sys makes it, on the first 4k row). */
static const struct sys_split *split(void)
{
	return sys_vmemmap_split_state();
}

/* ---- the buffer of the current instance -------------------------------- */

static struct {
	bool held;     /* buffer built for key */
	bool inst_set; /* per-instance resources set up for inst */
	char key[64];  /* vmemmap regime and size the buffer was built for */
	char inst[256];
	char op[16];
	bool k4; /* vmemmap:4k */
	size_t npages, len;
	char *scratch, *buf;
	uint64_t *pfn;
	int ring, pm_fd, kpf_fd;
	struct iovec *iov;
	unsigned int niov;
	bool registered;
	double build_ms;
} c = {.ring = -1, .pm_fd = -1, .kpf_fd = -1};

/* ---- environment ------------------------------------------------------- */

/* Why we think we run under a hypervisor, or NULL. */
static const char *virt_reason(void)
{
	static char why[96];
	static int known;
	char line[4096], v[64];
	FILE *f;

	if (known)
		return why[0] ? why : NULL;
	known = 1;
	if (!sys_get("/sys/hypervisor/type", v, sizeof(v)) && v[0]) {
		snprintf(why, sizeof(why), "/sys/hypervisor/type=%s", v);
		return why;
	}
	f = fopen("/proc/cpuinfo", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		if (strstr(line, " hypervisor"))
			snprintf(why, sizeof(why), "cpuid hypervisor flag");
		break;
	}
	if (f)
		fclose(f);
	if (!why[0] && !sys_get("/sys/class/dmi/id/sys_vendor", v, sizeof(v)) &&
	    (strstr(v, "QEMU") || strstr(v, "VMware") || strstr(v, "Xen") ||
	     strstr(v, "innotek")))
		snprintf(why, sizeof(why), "DMI vendor %s", v);
	return why[0] ? why : NULL;
}

/* ---- the buffer -------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static int read_pfns(void)
{
	ssize_t want = (ssize_t)(c.npages * sizeof(uint64_t));
	ssize_t n = pread(c.pm_fd, c.pfn, (size_t)want,
			  (off_t)((uintptr_t)c.buf / PG * sizeof(uint64_t)));

	if (n != want)
		return n < 0 ? -errno : -EIO;
	for (size_t i = 0; i < c.npages; i++) {
		if (!(c.pfn[i] & PM_PRESENT) || !(c.pfn[i] & PM_PFN_MASK))
			return -EPERM; /* no PFNs: not root */
		c.pfn[i] &= PM_PFN_MASK;
	}
	return 0;
}

static void unmap(char **p, size_t len)
{
	if (*p)
		munmap(*p, len);
	*p = NULL;
}

static char *map4k(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/*
	 * 4K pages even with THP "always": one struct page per 4K.  EINVAL:
	 * a kernel without THP, where every anonymous page is 4K anyway.
	 */
	if (madvise(p, len, MADV_NOHUGEPAGE) && errno != EINVAL) {
		int e = errno;

		munmap(p, len);
		errno = e;
		return NULL;
	}
	return p;
}

/*
 * Populate a scratch area of 2n pages, free a random one of each pair in
 * random order, then populate the buffer from those holes.  0 or -errno.
 */
static int build_buffer(void)
{
	size_t n = c.npages, *victim = NULL;
	uint64_t t0 = bench_now_ns();
	int ret = 0;

	c.scratch = map4k(2 * c.len);
	c.buf = c.scratch ? map4k(c.len) : NULL;
	victim = malloc(n * sizeof(*victim));
	if (!c.buf || !victim) {
		ret = -errno;
		goto out;
	}
	/* The holes' owner must not be copied by the fork op. */
	if (madvise(c.scratch, 2 * c.len, MADV_DONTFORK) ||
	    madvise(c.scratch, 2 * c.len, MADV_POPULATE_WRITE)) {
		ret = -errno;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		victim[i] = 2 * i + (xorshift64(&rng_state) & 1);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = xorshift64(&rng_state) % (i + 1), t = victim[i];

		victim[i] = victim[j];
		victim[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		if (madvise(c.scratch + victim[i] * PG, PG, MADV_DONTNEED)) {
			ret = -errno;
			goto out;
		}
	if (madvise(c.buf, c.len, MADV_POPULATE_WRITE))
		ret = -errno;
out:
	free(victim);
	c.build_ms = (double)(bench_now_ns() - t0) / 1e6;
	return ret;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct layout {
	double seq_frac;   /* next page is the next PFN */
	uint64_t vm_pages; /* distinct vmemmap 4K pages the struct pages use */
	uint64_t vm_pmds;  /* distinct vmemmap PMDs */
	double covered_frac; /* in regions the split step covered; <0 unknown */
};

static int layout(struct layout *l)
{
	uint64_t *s = malloc(c.npages * sizeof(*s)), seq = 0, in = 0;
	int ret = read_pfns();

	if (!s || ret) {
		free(s);
		return s ? ret : -ENOMEM;
	}
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i + 1 < c.npages; i++)
		seq += c.pfn[i + 1] == c.pfn[i] + 1;
	l->seq_frac = c.npages > 1 ? (double)seq / (double)(c.npages - 1) : 0;
	memcpy(s, c.pfn, c.npages * sizeof(*s));
	qsort(s, c.npages, sizeof(*s), cmp_u64);
	for (size_t i = 0; i < c.npages; i++) {
		uint64_t r = s[i] >> REGION_SHIFT;

		/* 64 struct pages per vmemmap page: PFN >> 6. */
		if (!i || s[i] >> 6 != s[i - 1] >> 6)
			l->vm_pages++;
		if (!i || r != s[i - 1] >> REGION_SHIFT)
			l->vm_pmds++;
		in += r < split()->nregions && split()->covered &&
		      split()->covered[r];
	}
	l->covered_frac = split()->done ? (double)in / (double)c.npages : -1;
	free(s);
	return 0;
}

/* Per-instance resources: the ring (and its pins), nothing else. */
static void release_inst(void)
{
	if (c.registered && c.ring >= 0)
		syscall(__NR_io_uring_register, c.ring,
			IORING_UNREGISTER_BUFFERS, NULL, 0);
	c.registered = false;
	if (c.ring >= 0)
		close(c.ring);
	c.ring = -1;
	free(c.iov);
	c.iov = NULL;
	c.inst_set = false;
}

static void release(void)
{
	release_inst();
	if (c.pm_fd >= 0)
		close(c.pm_fd);
	if (c.kpf_fd >= 0)
		close(c.kpf_fd);
	c.pm_fd = c.kpf_fd = -1;
	free(c.pfn);
	c.pfn = NULL;
	unmap(&c.buf, c.len);
	unmap(&c.scratch, 2 * c.len);
	c.held = false;
}

/*
 * The buffer outlives the instance: building a scattered buffer costs
 * about a second, so the instances of one regime and size share it
 * (each row reports the layout it ran on).  Pins do not outlive it.
 */
static void tlb_instance_end(struct bench_state *st)
{
	(void)st;
	release_inst();
}

static void tlb_run_end(void)
{
	release();
}

static int uring_setup(struct bench_state *st)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	c.ring = (int)syscall(__NR_io_uring_setup, 1, &p);
	if (c.ring < 0) {
		bench_skip(st, "io_uring_setup: %s", strerror(errno));
		return -1;
	}
	c.niov = (unsigned int)((c.npages + URING_CHUNK - 1) / URING_CHUNK);
	c.iov = calloc(c.niov, sizeof(*c.iov));
	if (!c.iov) {
		bench_error(st, "calloc %u iovecs: %s", c.niov,
			    strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < c.niov; i++) {
		size_t off = (size_t)i * URING_CHUNK * PG;
		size_t len = c.len - off < URING_CHUNK * PG ? c.len - off
							    : URING_CHUNK * PG;

		c.iov[i] = (struct iovec){c.buf + off, len};
	}
	return 0;
}

static int op_run(const char *op);
static int op_undo(const char *op);
static int uring(unsigned int op);

/* Scattered buffer for this regime and size, shared by its instances. */
static int prepare_buffer(struct bench_state *st, const char *key)
{
	int ret;

	snprintf(c.key, sizeof(c.key), "%s", key);
	c.npages = (size_t)bench_arg(st, "pages");
	c.len = c.npages * PG;
	c.held = true;
	c.pfn = malloc(c.npages * sizeof(*c.pfn));
	if (!c.pfn) {
		bench_error(st, "malloc: %s", strerror(errno));
		return -1;
	}
	c.pm_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	c.kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (c.pm_fd < 0 || c.kpf_fd < 0) {
		bench_skip(st, "open %s: %s",
			   c.pm_fd < 0 ? "/proc/self/pagemap"
				       : "/proc/kpageflags",
			   strerror(errno));
		return -1;
	}
	ret = build_buffer();
	if (ret) {
		bench_error(st, "scattered %zu-page buffer: %s", c.npages,
			    strerror(-ret));
		return -1;
	}
	ret = read_pfns();
	if (ret) {
		bench_skip(st, "no PFNs in /proc/self/pagemap: %s",
			   strerror(-ret));
		return -1;
	}
	return 0;
}

static void tlb_setup(struct bench_state *st)
{
	bool k4 = !strcmp(bench_arg_str(st, "vmemmap"), "4k");
	char key[64];
	int ret;

	if (k4 && !split()->tried) {
		/* Give the pool all we can: the pmd buffer goes first. */
		release();
		sys_vmemmap_split();
	}
	if (k4 && !split()->done) {
		bench_skip(st, "vmemmap:4k: %s", split()->why);
		return;
	}
	snprintf(key, sizeof(key), "%s/%s", bench_arg_str(st, "vmemmap"),
		 bench_arg_str(st, "pages"));
	if (c.held && strcmp(c.key, key))
		release();
	if (!c.held && prepare_buffer(st, key)) {
		release();
		return;
	}
	/* Repetitions and calibration runs of one instance share the ring. */
	if (c.inst_set && !strcmp(c.inst, bench_instance_name(st)))
		return;
	release_inst();
	snprintf(c.inst, sizeof(c.inst), "%s", bench_instance_name(st));
	snprintf(c.op, sizeof(c.op), "%s", bench_arg_str(st, "op"));
	c.k4 = k4;
	c.inst_set = true;
	if ((!strcmp(c.op, "pin") || !strcmp(c.op, "unpin")) &&
	    uring_setup(st)) {
		release_inst();
		return;
	}
	/*
	 * One untimed round first: the ring's first registration and the
	 * page tables' first walk cost more than the steady state.
	 */
	ret = !strcmp(c.op, "unpin") ? uring(IORING_REGISTER_BUFFERS) : 0;
	if (!ret)
		ret = op_run(c.op);
	if (!ret)
		ret = op_undo(c.op);
	if (ret) {
		bench_error(st, "%s of %zu pages: %s", c.op, c.npages,
			    strerror(-ret));
		release_inst();
	}
}

static int tlb_check(const struct bench_state *st, char *why, size_t len)
{
	int64_t pages = bench_arg(st, "pages");
	uint64_t avail = 0, need;

	if (sys_check_root(st, why, len))
		return 1;
	if (pages < 2) {
		snprintf(why, len, "pages must be >= 2");
		return 1;
	}
	/* Scratch pairs and buffer: twice the buffer stays resident. */
	need = 2 * (uint64_t)pages * PG + sys_safety_margin();
	if (!sys_meminfo("MemAvailable", &avail) && c.held)
		avail += 2 * c.len; /* ours, given back before a rebuild */
	if (avail < need) {
		snprintf(why, len,
			 "needs %" PRIu64 " MiB of MemAvailable (buffer x2 "
			 "+ safety margin), have %" PRIu64 " MiB",
			 need >> 20, avail >> 20);
		return 1;
	}
	return 0;
}

/* ---- the operations ---------------------------------------------------- */

static int uring(unsigned int op)
{
	if (syscall(__NR_io_uring_register, c.ring, op,
		    op == IORING_REGISTER_BUFFERS ? c.iov : NULL,
		    op == IORING_REGISTER_BUFFERS ? c.niov : 0))
		return -errno;
	c.registered = op == IORING_REGISTER_BUFFERS;
	return 0;
}

static int do_fork(void)
{
	int status;
	pid_t pid = sys_fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0); /* the parent's exit handlers are not ours */
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

/* pagemap for the range, then one kpageflags read per PFN. */
static int do_pagemap(void)
{
	uint64_t fl;
	int ret = read_pfns();

	for (size_t i = 0; !ret && i < c.npages; i++)
		if (pread(c.kpf_fd, &fl, sizeof(fl),
			  (off_t)(c.pfn[i] * sizeof(fl))) != sizeof(fl))
			ret = -EIO;
	return ret;
}

/* The timed operation, by name; the untimed undo follows the pause. */
static int op_run(const char *op)
{
	if (!strcmp(op, "pin"))
		return uring(IORING_REGISTER_BUFFERS);
	if (!strcmp(op, "unpin"))
		return uring(IORING_UNREGISTER_BUFFERS);
	if (!strcmp(op, "zap"))
		return madvise(c.buf, c.len, MADV_DONTNEED) ? -errno : 0;
	if (!strcmp(op, "fork"))
		return do_fork();
	if (!strcmp(op, "pagemap"))
		return do_pagemap();
	return madvise(c.buf, c.len, MADV_POPULATE_WRITE) ? -errno : 0;
}

static int op_undo(const char *op)
{
	if (!strcmp(op, "pin"))
		return uring(IORING_UNREGISTER_BUFFERS);
	if (!strcmp(op, "unpin"))
		return uring(IORING_REGISTER_BUFFERS);
	if (!strcmp(op, "zap"))
		return madvise(c.buf, c.len, MADV_POPULATE_WRITE) ? -errno : 0;
	return 0;
}

/* What every row carries: layout, regime, virtualization. */
static void report(struct bench_state *st)
{
	const char *virt = virt_reason();
	bool basepages = sys_vmemmap_basepages(NULL);
	struct layout l = {0};
	uint64_t freed = 0, splits = 0;
	char before[48], vname[128], seen[32];
	double pmd_frac;
	int ret = layout(&l);

	if (ret) {
		bench_error(st, "buffer layout: %s", strerror(-ret));
		return;
	}
	bench_counter(st, "phys_seq_frac", l.seq_frac, 0);
	bench_counter(st, "vmemmap_4k_pages", (double)l.vm_pages, 0);
	bench_counter(st, "vmemmap_pmds", (double)l.vm_pmds, 0);
	bench_counter(st, "build_ms", c.build_ms, 0);
	bench_counter(st, "virtualized", virt ? 1 : 0, 0);
	pmd_frac = sys_ptdump_pmd_frac(c.pfn, c.npages);
	if (pmd_frac >= 0)
		bench_counter(st, "buf_pmd_mapped_frac", pmd_frac, 0);
	snprintf(seen, sizeof(seen), " pmd_mapped=%.0f%%", pmd_frac * 100);
	if (pmd_frac < 0)
		seen[0] = 0;
	if (c.k4) {
		bench_counter(st, "buf_in_split_frac", l.covered_frac, 0);
		bench_counter(st, "split_gib",
			      (double)(split()->ncovered * REGION_BYTES) /
				      (1 << 30),
			      0);
		bench_counter(st, "split_regions", (double)split()->ncovered,
			      0);
		bench_counter(st, "mem_regions", (double)split()->nmem, 0);
		bench_counter(st, "split_step_ms", split()->ms, 0);
		bench_label(st, "vmemmap=4k%s %s%.*s buf_in_split=%.0f%%%s %s",
			    basepages ? "(basepages from boot)" : "",
			    strncmp(split()->confirm, "unconfirmed", 11)
				    ? "split="
				    : "regime=",
			    (int)strcspn(split()->confirm, "("),
			    split()->confirm, l.covered_frac * 100, seen,
			    virt ? "virt:no-TLB-effect-expected" : "");
		return;
	}
	/* The patch's counter is exact; the boot memmap deficit a bound. */
	if (!sys_vmemmap_splits(NULL, vname, sizeof(vname), &splits)) {
		bench_counter(st, "vmemmap_pmd_splits", (double)splits, 0);
		snprintf(before, sizeof(before), "%s(%" PRIu64 " PMDs,vmstat)",
			 splits ? "yes" : "no", splits);
	} else if (!sys_boot_memmap_freed(&freed)) {
		bench_counter(st, "boot_memmap_freed", (double)freed, 0);
		if (freed)
			snprintf(before, sizeof(before),
				 "yes(>=%" PRIu64 " regions)",
				 (uint64_t)((freed + REGION_MEMMAP - 1) /
					    REGION_MEMMAP));
		else
			snprintf(before, sizeof(before), "no");
	} else {
		snprintf(before, sizeof(before), "unknown");
	}
	bench_label(st, "vmemmap=%s split_before=%s%s%s %s",
		    basepages ? "basepages(boot)" : "pmd", before,
		    split()->done ? "+this-run" : "", seen,
		    virt ? "virt:no-TLB-effect-expected" : "");
}

static void bm_tlb(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "call");
	uint64_t sum = 0;
	int ret = 0;

	/* unpin needs the buffer registered before its first iteration. */
	if (!strcmp(c.op, "unpin") && !c.registered)
		ret = uring(IORING_REGISTER_BUFFERS);
	while (!ret && bench_loop(st)) {
		uint64_t t0 = bench_now_ns(), dt;

		ret = op_run(c.op);
		dt = bench_now_ns() - t0;
		sum += dt;
		bench_hist_record(h, dt);
		bench_pause(st);
		if (!ret)
			ret = op_undo(c.op);
		bench_resume(st);
	}
	if (ret) {
		bench_error(st, "%s of %zu pages: %s", c.op, c.npages,
			    strerror(-ret));
		return;
	}
	bench_set_items(st, (int64_t)(bench_iterations(st) * c.npages));
	bench_counter(st, "ns_per_page",
		      (double)sum / (double)(bench_iterations(st) * c.npages),
		      0);
	report(st);
}

/* Full notes in the JSON row (the label has 128 characters). */
static void tlb_row(struct bench_state *st, void *obj)
{
	const char *virt = virt_reason();
	json_t *o;

	if (strncmp(bench_instance_name(st), "tlb/", 4) || !c.inst_set)
		return;
	o = json_object();
	json_object_set_new(o, "vmemmap", json_string(c.k4 ? "4k" : "pmd"));
	if (sys_vmemmap_basepages(NULL))
		json_object_set_new(
			o, "boot",
			json_string("vmemmap_basepages: the vmemmap is "
				    "PTE-mapped from boot in both regimes"));
	if (c.k4)
		json_object_set_new(o, "split", json_string(split()->confirm));
	json_object_set_new(o, "split_persists",
			    json_string("vmemmap PMDs split by HVO stay split "
					"until reboot"));
	json_object_set_new(o, "virtualized",
			    virt ? json_string(virt) : json_false());
	if (virt)
		json_object_set_new(
			o, "note",
			json_string("under a hypervisor with 4K-backed guest "
				    "memory the TLB caches 4K translations "
				    "either way: no vmemmap timing effect is "
				    "expected (TEST-MACHINE.md)"));
	json_object_set_new(obj, "tlb", o);
}

BENCH_EXT_REGISTER(tlb, .instance_end = tlb_instance_end,
		   .run_end = tlb_run_end, .row = tlb_row);

#define TLB_DESC                                                               \
	"struct-page work on scattered 4K pages, vmemmap PMD- vs PTE-mapped "  \
	"(4k splits vmemmap PMDs until reboot)"
/* zap last: it replaces the shared buffer's pages. */
#define TLB_OPS "pin,unpin,fork,pagemap,populate,zap"

/*
 * pmd instances run before every other family (which may split the
 * vmemmap with HVO on), 4k instances after all of them (they split it
 * for the rest of the boot).
 */
#define TLB_REGISTER(id, vm, ord)                                              \
	BENCH_REGISTER(                                                        \
		id, .name = "tlb/struct-page", .desc = TLB_DESC, .fn = bm_tlb, \
		.setup = tlb_setup, .order = ord,                              \
		.params = {{"vmemmap", vm},                                    \
			   {"op", TLB_OPS},                                    \
			   {"pages", "64K,512K"}},                             \
		.reqs = {.root = true, .check = tlb_check},                    \
		.group_by = "vmemmap",                                         \
		.args = {                                                      \
			{.suite = "quick",                                     \
			 .params = {{"pages", "64K"}},                         \
			 .min_time = 0.05,                                     \
			 .repetitions = 3},                                    \
			{.suite = "full", .min_time = 0.2, .repetitions = 5}})

TLB_REGISTER(tlb_pmd, "pmd", -1);
TLB_REGISTER(tlb_4k, "4k", 1);
