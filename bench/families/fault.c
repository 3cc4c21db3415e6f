// SPDX-License-Identifier: GPL-2.0
/*
 * fault: hugetlb page-fault cost and throughput, HVO off vs on, with a 4K
 * anonymous reference (THP disabled for the region) in the same run.
 *
 *   fault/first-touch  fresh mapping each iteration, every page faulted
 *   fault/refault      the same mapping after MADV_DONTNEED
 *   fault/cow          write faults on pages shared with a forked child
 *   fault/populate     MAP_POPULATE / MADV_POPULATE_WRITE (one call)
 *   fault/scale        will-it-scale style throughput: 1..N tasks
 *                      (threads or processes), one per CPU, each mapping,
 *                      touching and unmapping its own region in a loop;
 *                      per-task counters sampled in steady state
 *
 * Single-task benchmarks time every fault into the "fault" histogram and
 * check the faults the kernel counted (getrusage minflt of this thread)
 * against the pages touched: a mismatch means we measured something else
 * (a populated page, THP), which is an error, not a fast result.
 * Items are faults, so items_per_second is faults/s; fault_ns is the mean
 * time of one fault.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "hugemem.h"
#include "sys.h"

#define FAULT_REGION (32ULL << 20) /* bytes per iteration (or per task) */

static size_t region_len(uint64_t psize)
{
	return psize > FAULT_REGION ? psize : FAULT_REGION;
}

static uint64_t thread_minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return (uint64_t)ru.ru_minflt;
}

/* What one instance's touches added up to. */
struct tally {
	uint64_t pages, ns, minflt;
};

/* One instance runs at a time: setup fills this, the body uses it. */
static struct fault_ctx {
	uint64_t psize;
	size_t len;
	bool shared, write;
	char *p;
	pid_t child;  /* cow: holds the other reference */
	int child_fd; /* closing it lets the child exit */
} f = {.child_fd = -1};

static int fault_check(const struct bench_state *st, char *why, size_t len)
{
	return hm_check(st, why, len);
}

static void read_params(struct bench_state *st)
{
	f.psize = hm_psize(st);
	f.len = region_len(f.psize);
	f.shared = bench_has_arg(st, "map") &&
		   !strcmp(bench_arg_str(st, "map"), "shared");
	f.write = !bench_has_arg(st, "access") ||
		  strcmp(bench_arg_str(st, "access"), "read");
}

static char *map_region(struct bench_state *st, int extra)
{
	char *p = hm_map(f.psize, f.shared, f.len, extra);

	if (!p)
		bench_error(st, "mmap %zu bytes of %s %s pages: %s", f.len,
			    bench_arg_str(st, "size"),
			    f.shared ? "shared" : "private", strerror(errno));
	return p;
}

/* Fault every page of the region once, timing each fault. */
static void touch_timed(char *p, struct bench_hist *h, struct tally *t)
{
	uint64_t f0 = thread_minflt();

	for (size_t off = 0; off < f.len; off += f.psize) {
		uint64_t t0 = bench_now_ns(), d;

		if (f.write)
			*(volatile char *)(p + off) = 1;
		else
			(void)*(volatile char *)(p + off);
		d = bench_now_ns() - t0;
		bench_hist_record(h, d);
		t->ns += d;
		t->pages++;
	}
	t->minflt += thread_minflt() - f0;
}

/*
 * Items, rates and the fault-count check.  strict: each touch must have
 * been one fault (a few extra allowed for the harness's own first touches
 * of its histogram memory, plus extra more: see bm_cow).
 */
static void report(struct bench_state *st, const struct tally *t, bool strict,
		   uint64_t extra)
{
	uint64_t slack = t->pages / 100 + 16;

	bench_set_items(st, (int64_t)t->pages);
	if (!t->pages)
		return;
	bench_counter(st, "fault_ns", (double)t->ns / (double)t->pages, 0);
	bench_counter(st, "faults_per_page",
		      (double)t->minflt / (double)t->pages, 0);
	if (strict && (t->minflt + slack < t->pages ||
		       t->minflt > t->pages + slack + extra))
		bench_error(st,
			    "kernel counted %llu faults for %llu pages touched",
			    (unsigned long long)t->minflt,
			    (unsigned long long)t->pages);
}

static void unmap_region(struct bench_state *st)
{
	(void)st;
	if (f.p)
		munmap(f.p, f.len);
	f.p = NULL;
}

/* Pool for n regions at once (cow needs the child's and the copies). */
static void setup_regions(struct bench_state *st, uint64_t n)
{
	read_params(st);
	hm_setup(st, f.psize, n * f.len / f.psize);
}

static void setup_one(struct bench_state *st)
{
	setup_regions(st, 1);
}

/* ---- first touch ----------------------------------------------------- */

static void bm_first_touch(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "fault");
	struct tally t = {0};

	f.p = map_region(st, 0);
	if (!f.p)
		return;
	while (bench_loop(st)) {
		touch_timed(f.p, h, &t);
		bench_pause(st);
		munmap(f.p, f.len);
		f.p = map_region(st, 0);
		if (!f.p)
			return;
		bench_resume(st);
	}
	report(st, &t, true, 0);
}

#define FAULT_REQS .reqs = {.root = true, .check = fault_check}
/*
 * The quick suite: three interleaved off/on rounds of ~0.04 s per
 * instance (a 4K control needs rounds for its interval); the headline
 * 2M rows run rounds until their ratio is known to +-3% (4 s at most).
 */
#define QUICK_ROUNDS  .min_time = 0.04, .repetitions = 3
#define QUICK_PRECISE .min_time = 0.04, .precision = 0.03, .budget = 4

BENCH_REGISTER(
	fault_first, .name = "fault/first-touch",
	.desc = "first touch of a fresh mapping, per-fault latency",
	.fn = bm_first_touch, .setup = setup_one, .teardown = unmap_region,
	.params = {{"size", "4K,2M,1G"},
		   {"map", "private,shared"},
		   {"access", "write,read"},
		   {"hvo", "off,on"}},
	FAULT_REQS,
	.args = {{.suite = "quick", .params = {{"size", "4K"}}, QUICK_ROUNDS},
		 {.suite = "quick", .params = {{"size", "2M"}}, QUICK_PRECISE},
		 {.suite = "quick",
		  .params = {{"size", "1G"},
			     {"map", "private"},
			     {"access", "write"}},
		  QUICK_ROUNDS},
		 {.suite = "full"}},
	.control = {"hvo", "size:4K/map:private"})

/* ---- refault after MADV_DONTNEED ------------------------------------- */

/*
 * Private: DONTNEED frees the pages, so a refault allocates and clears
 * again.  Shared: the pages stay in the file, so a refault only maps them
 * (no clearing: the struct page work is a larger share of the fault).
 */
static void bm_refault(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "fault");
	struct tally t = {0};
	/* 4K shmem read faults map up to fault_around_bytes at once. */
	bool strict = f.write || f.psize != HM_BASE_PAGE || !f.shared;

	f.p = map_region(st, 0);
	if (!f.p)
		return;
	hm_touch_all(f.p, f.len);
	if (madvise(f.p, f.len, MADV_DONTNEED)) {
		bench_error(st, "madvise(MADV_DONTNEED): %s", strerror(errno));
		return;
	}
	while (bench_loop(st)) {
		touch_timed(f.p, h, &t);
		bench_pause(st);
		if (madvise(f.p, f.len, MADV_DONTNEED)) {
			bench_error(st, "madvise(MADV_DONTNEED): %s",
				    strerror(errno));
			return;
		}
		bench_resume(st);
	}
	report(st, &t, strict, 0);
}

BENCH_REGISTER(fault_refault, .name = "fault/refault",
	       .desc = "refault after MADV_DONTNEED, per-fault latency",
	       .fn = bm_refault, .setup = setup_one, .teardown = unmap_region,
	       .params = {{"size", "4K,2M,1G"},
			  {"map", "private,shared"},
			  {"access", "write,read"},
			  {"hvo", "off,on"}},
	       FAULT_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"}, {"access", "write"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K/map:private"})

/* ---- copy-on-write after fork ---------------------------------------- */

static void cow_reap(void)
{
	if (f.child_fd >= 0)
		close(f.child_fd);
	f.child_fd = -1;
	if (f.child > 0)
		while (waitpid(f.child, NULL, 0) < 0 && errno == EINTR)
			;
	f.child = 0;
}

/* A child that keeps the pages shared until its pipe closes. */
static int cow_fork(struct bench_state *st)
{
	int fds[2];
	char c;

	if (pipe2(fds, O_CLOEXEC)) {
		bench_error(st, "pipe2: %s", strerror(errno));
		return -1;
	}
	f.child = sys_fork();
	if (f.child < 0) {
		f.child = 0;
		close(fds[0]);
		close(fds[1]);
		bench_error(st, "fork: %s", strerror(errno));
		return -1;
	}
	if (f.child == 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(fds[0]);
	f.child_fd = fds[1];
	return 0;
}

static void setup_cow(struct bench_state *st)
{
	/* The parent's originals plus its copies while the child lives. */
	setup_regions(st, 2);
}

static void teardown_cow(struct bench_state *st)
{
	cow_reap();
	unmap_region(st);
}

static void bm_cow(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "fault");
	struct tally t = {0};

	f.p = map_region(st, 0);
	if (!f.p)
		return;
	hm_touch_all(f.p, f.len);
	if (cow_fork(st))
		return;
	while (bench_loop(st)) {
		touch_timed(f.p, h, &t);
		bench_pause(st);
		/* The child's exit frees the originals; share again. */
		cow_reap();
		if (hm_wait_free(f.psize, f.len / f.psize, 1.0)) {
			bench_error(st, "the exited child's pages were not "
					"freed within 1 s");
			return;
		}
		if (cow_fork(st))
			return;
		bench_resume(st);
	}
	/*
	 * After fork every private page of ours is shared too: the first
	 * writes to the stack and the histogram's buckets in each iteration
	 * fault as well.  Allow a few per iteration; a missing COW fault
	 * (pages not shared) still fails the lower bound.
	 */
	report(st, &t, true, 8 * bench_iterations(st));
}

BENCH_REGISTER(fault_cow, .name = "fault/cow",
	       .desc = "write faults on pages shared with a forked child",
	       .fn = bm_cow, .setup = setup_cow, .teardown = teardown_cow,
	       .params = {{"size", "4K,2M,1G"}, {"hvo", "off,on"}}, FAULT_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- populate paths -------------------------------------------------- */

/*
 * One call populates the whole region: the per-call time goes to the
 * "call" histogram, fault_ns is that time over the pages.  GUP-driven
 * population counts in minflt like a fault (reported, not enforced).
 */
/*
 * MAP_POPULATE fills the region before MADV_NOHUGEPAGE could apply, so
 * the 4K reference turns THP off for the whole process meanwhile (a
 * per-process switch: restored in teardown).
 */
static int thp_disabled_before = -1;

static void setup_populate(struct bench_state *st)
{
	setup_one(st);
	if (bench_skipped(st) || f.psize != HM_BASE_PAGE)
		return;
	thp_disabled_before = prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
	if (thp_disabled_before < 0 || prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		bench_error(st, "prctl(PR_SET_THP_DISABLE): %s",
			    strerror(errno));
}

static void teardown_populate(struct bench_state *st)
{
	unmap_region(st);
	if (thp_disabled_before == 0)
		prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	thp_disabled_before = -1;
}

static void bm_populate(struct bench_state *st)
{
	bool madv = !strcmp(bench_arg_str(st, "method"), "madv-populate-write");
	struct bench_hist *h = bench_hist(st, "call");
	struct tally t = {0};

	if (madv) {
		f.p = map_region(st, 0);
		if (!f.p)
			return;
	}
	while (bench_loop(st)) {
		uint64_t f0 = thread_minflt(), t0 = bench_now_ns(), d;

		if (madv) {
			if (madvise(f.p, f.len, MADV_POPULATE_WRITE)) {
				bench_error(st, "MADV_POPULATE_WRITE: %s",
					    strerror(errno));
				return;
			}
		} else {
			/* 4K: setup_populate disabled THP for us. */
			f.p = map_region(st, MAP_POPULATE);
			if (!f.p)
				return;
		}
		d = bench_now_ns() - t0;
		t.minflt += thread_minflt() - f0;
		bench_hist_record(h, d);
		t.ns += d;
		t.pages += f.len / f.psize;
		bench_pause(st);
		munmap(f.p, f.len);
		f.p = madv ? map_region(st, 0) : NULL;
		if (madv && !f.p)
			return;
		bench_resume(st);
	}
	report(st, &t, false, 0);
}

BENCH_REGISTER(fault_populate, .name = "fault/populate",
	       .desc = "MAP_POPULATE / MADV_POPULATE_WRITE of a region",
	       .fn = bm_populate, .setup = setup_populate,
	       .teardown = teardown_populate,
	       .params = {{"size", "4K,2M,1G"},
			  {"method", "map-populate,madv-populate-write"},
			  {"hvo", "off,on"}},
	       FAULT_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- scaling: will-it-scale style ------------------------------------ */

/*
 * N tasks, pinned one per CPU, each looping over map / touch every page /
 * unmap of its own region (will-it-scale's page_fault1 shape), in two
 * forms:
 *
 *  - mode:thread uses the harness's "threads" parameter: its barrier is
 *    the start gate and counters follow the threads.  Each iteration is a
 *    time slice of whole cycles, so every thread is busy for the whole
 *    measured window (no tail in which fewer tasks run); the harness's
 *    calibration runs (and --warmup) are the warm-up.
 *  - mode:process forks the tasks inside the timed region (inherited
 *    counters follow them), warms them up paused, releases them through
 *    one gate, and samples their cache-line-padded counters every period.
 */

#define SCALE_MAX_TASKS 256
#define SCALE_REGION_4K (4ULL << 20) /* 1024 faults: short cycles */

/* One per task, on its own cache line: only its task writes it. */
struct scale_slot {
	_Alignas(64) uint64_t faults; /* pages touched */
	uint64_t minflt;	      /* faults the kernel counted */
	int err;		      /* errno of a failed mmap */
	int ready;
};

/* MAP_SHARED so that forked tasks write where the sampler reads. */
struct scale_shared {
	_Alignas(64) int gate; /* the start gate */
	int stop;
	struct scale_slot slot[SCALE_MAX_TASKS];
};

static struct scale_ctx {
	struct scale_shared *sh;
	int ntasks, started;
	int cpus[SCALE_MAX_TASKS];
	int ncpus;
	pid_t pid[SCALE_MAX_TASKS];
	cpu_set_t allowed; /* the run's affinity, put back in teardown */
} sc;

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* Best effort: an unpinned task still measures throughput. */
	(void)sched_setaffinity(0, sizeof(set), &set);
}

/*
 * A task's counter moves once per fault: a sample or time slice must
 * span several (20 ms holds ~200 2M faults; a 1G fault takes ~100 ms).
 */
static double scale_period(void)
{
	return 0.02 * (f.psize > FAULT_REGION ? (double)(f.psize / FAULT_REGION)
					      : 1.0);
}

static double scale_warmup(const struct bench_state *st)
{
	return bench_quick(st) ? 0.1 : 0.5;
}

/*
 * One cycle: map, write every page (counting into *faults as it goes, so
 * a sampler sees progress), unmap.  0, or the errno of a failed mmap.
 */
static int scale_cycle(uint64_t *faults, uint64_t *minflt)
{
	char *p = hm_map(f.psize, false, f.len, 0);
	uint64_t f0 = thread_minflt();

	if (!p)
		return errno ? errno : EIO;
	for (size_t off = 0; off < f.len; off += f.psize) {
		p[off] = 1;
		__atomic_store_n(faults, *faults + 1, __ATOMIC_RELAXED);
	}
	__atomic_store_n(minflt, *minflt + thread_minflt() - f0,
			 __ATOMIC_RELAXED);
	munmap(p, f.len);
	return 0;
}

/* The kernel counted one fault per page touched (a little slack). */
static void scale_check(struct bench_state *st, uint64_t minflt,
			uint64_t faults)
{
	uint64_t slack = faults / 100 + 16;

	if (minflt + slack < faults || minflt > faults + slack)
		bench_error(st, "kernel counted %llu faults for %llu pages",
			    (unsigned long long)minflt,
			    (unsigned long long)faults);
}

/* Params, CPUs, pool for n tasks; 0 or -1 (skipped or failed). */
static int scale_prepare(struct bench_state *st, int64_t n)
{
	cpu_set_t set;

	read_params(st);
	if (f.psize == HM_BASE_PAGE)
		f.len = SCALE_REGION_4K;
	sc.ncpus = 0;
	if (sched_getaffinity(0, sizeof(set), &set)) {
		bench_error(st, "sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	sc.allowed = set;
	for (int c = 0; c < CPU_SETSIZE && sc.ncpus < SCALE_MAX_TASKS; c++)
		if (CPU_ISSET(c, &set))
			sc.cpus[sc.ncpus++] = c;
	if (n < 1 || n > SCALE_MAX_TASKS) {
		bench_error(st, "tasks must be 1..%d", SCALE_MAX_TASKS);
		return -1;
	}
	if (n > sc.ncpus) {
		bench_skip(st, "%lld tasks, one per CPU, but only %d CPUs",
			   (long long)n, sc.ncpus);
		return -1;
	}
	sc.ntasks = (int)n;
	return hm_setup(st, f.psize, (uint64_t)n * f.len / f.psize);
}

/* ---- mode:thread: the harness's threads ------------------------------ */

static void scale_threads_setup(struct bench_state *st)
{
	scale_prepare(st, bench_threads(st));
}

/* threads:1 runs the body in the harness's own thread: unpin it. */
static void scale_threads_teardown(struct bench_state *st)
{
	(void)st;
	sched_setaffinity(0, sizeof(sc.allowed), &sc.allowed);
}

static void bm_scale_threads(struct bench_state *st)
{
	uint64_t faults = 0, minflt = 0, t_start = 0;
	uint64_t period_ns = (uint64_t)(scale_period() * 1e9);
	int err = 0;

	pin_to(sc.cpus[bench_thread_index(st) % sc.ncpus]);
	/*
	 * No warm-up of our own: anything before the barrier is inside the
	 * counters' window (they start before the threads do).  The pool is
	 * pre-touched per instance, calibration runs come first, and
	 * --warmup adds discarded runs.
	 */
	while (bench_loop(st)) {
		uint64_t t0 = bench_now_ns();

		if (!t_start)
			t_start = t0;
		while (!err && bench_now_ns() - t0 < period_ns)
			err = scale_cycle(&faults, &minflt);
		if (err)
			break;
	}
	if (err) {
		bench_error(st, "task mmap of %zu bytes: %s", f.len,
			    strerror(err));
		return;
	}
	bench_set_items(st, (int64_t)faults);
	if (!faults)
		return;
	/* Time one fault takes one task; averaged over the threads. */
	bench_counter(st, "fault_ns",
		      (double)(bench_now_ns() - t_start) / (double)faults,
		      BENCH_CTR_AVG_THREADS);
	bench_counter(st, "faults_per_page", (double)minflt / (double)faults,
		      BENCH_CTR_AVG_THREADS);
	scale_check(st, minflt, faults);
}

/* ---- mode:process: forked tasks, sampled ----------------------------- */

static void scale_task(int i)
{
	struct scale_slot *s = &sc.sh->slot[i];
	int err;

	pin_to(sc.cpus[i % sc.ncpus]);
	__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sc.sh->gate, __ATOMIC_ACQUIRE))
		sched_yield();
	/* Whole cycles only, so faults and minflt agree at the end. */
	while (!__atomic_load_n(&sc.sh->stop, __ATOMIC_RELAXED)) {
		err = scale_cycle(&s->faults, &s->minflt);
		if (err) {
			__atomic_store_n(&s->err, err, __ATOMIC_RELEASE);
			return;
		}
	}
}

static uint64_t scale_sum(uint64_t *minflt, int *err)
{
	uint64_t n = 0, m = 0;

	*err = 0;
	for (int i = 0; i < sc.ntasks; i++) {
		struct scale_slot *s = &sc.sh->slot[i];

		n += __atomic_load_n(&s->faults, __ATOMIC_RELAXED);
		m += __atomic_load_n(&s->minflt, __ATOMIC_RELAXED);
		if (__atomic_load_n(&s->err, __ATOMIC_ACQUIRE))
			*err = s->err;
	}
	if (minflt)
		*minflt = m;
	return n;
}

static void scale_stop(void)
{
	if (!sc.sh)
		return;
	__atomic_store_n(&sc.sh->stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&sc.sh->gate, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < sc.started; i++)
		while (waitpid(sc.pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	sc.started = 0;
}

static void scale_procs_teardown(struct bench_state *st)
{
	scale_stop();
	if (sc.sh)
		munmap(sc.sh, sizeof(*sc.sh));
	sc.sh = NULL;
	(void)st;
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Fork the tasks, wait until each is pinned and waiting, open the gate. */
static int scale_start(struct bench_state *st)
{
	for (; sc.started < sc.ntasks; sc.started++) {
		int i = sc.started;

		sc.pid[i] = sys_fork();
		if (sc.pid[i] < 0) {
			bench_error(st, "fork: %s", strerror(errno));
			return -1;
		}
		if (sc.pid[i] == 0) {
			scale_task(i);
			_exit(0);
		}
	}
	for (int i = 0; i < sc.ntasks; i++)
		while (!__atomic_load_n(&sc.sh->slot[i].ready,
					__ATOMIC_ACQUIRE))
			sleep_s(0.001);
	__atomic_store_n(&sc.sh->gate, 1, __ATOMIC_RELEASE);
	return 0;
}

static void scale_procs_setup(struct bench_state *st)
{
	if (scale_prepare(st, bench_arg(st, "tasks")))
		return;
	sc.sh = mmap(NULL, sizeof(*sc.sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sc.sh == MAP_FAILED) {
		sc.sh = NULL;
		bench_error(st, "mmap shared counters: %s", strerror(errno));
	}
}

/* Each iteration is one sampling period of the running tasks. */
static void bm_scale_procs(struct bench_state *st)
{
	double secs = 0, lo = 0, hi = 0, period = scale_period();
	uint64_t prev = 0, cur, t_prev = 0, faults = 0, minflt, total;
	bool first = true;
	int err;

	while (bench_loop(st)) {
		uint64_t t;
		double dt, rate;

		if (first) {
			/* Inside the region, so inherited counters see them. */
			first = false;
			bench_pause(st);
			if (scale_start(st))
				return;
			sleep_s(scale_warmup(st));
			prev = scale_sum(NULL, &err);
			t_prev = bench_now_ns();
			bench_resume(st);
		}
		/* A sample holds at least one fault (starved tasks: up to 1 s). */
		for (double waited = 0; waited < 1.0; waited += period) {
			sleep_s(period);
			cur = scale_sum(NULL, &err);
			if (cur != prev || err)
				break;
		}
		t = bench_now_ns();
		if (err) {
			bench_error(st, "task mmap of %zu bytes: %s", f.len,
				    strerror(err));
			return;
		}
		dt = (double)(t - t_prev) / 1e9;
		bench_set_iteration_time(st, dt);
		rate = (double)(cur - prev) / dt;
		lo = secs == 0 || rate < lo ? rate : lo;
		hi = rate > hi ? rate : hi;
		faults += cur - prev;
		secs += dt;
		prev = cur;
		t_prev = t;
	}
	scale_stop();
	total = scale_sum(&minflt, &err);
	bench_set_items(st, (int64_t)faults);
	if (!faults) {
		bench_error(st, "no faults in %.3f s", secs);
		return;
	}
	/* Time one fault takes one task, and the spread of the samples. */
	bench_counter(st, "fault_ns", secs * sc.ntasks * 1e9 / (double)faults,
		      0);
	bench_counter(st, "sample_min_per_s", lo, 0);
	bench_counter(st, "sample_max_per_s", hi, 0);
	bench_counter(st, "faults_per_page", (double)minflt / (double)total, 0);
	scale_check(st, minflt, total);
}

/* Quick: 1 and 2 tasks; full: up to 256 (the full default repetitions). */
BENCH_REGISTER(fault_scale_thr, .name = "fault/scale",
	       .desc = "fault throughput, harness threads pinned one per CPU",
	       .fn = bm_scale_threads, .setup = scale_threads_setup,
	       .teardown = scale_threads_teardown, .use_real_time = true,
	       .params = {{"size", "4K,2M,1G"},
			  {"mode", "thread"},
			  {"threads", "1..256*2"},
			  {"hvo", "off,on"}},
	       FAULT_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"}, {"threads", "1,2"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})
BENCH_REGISTER(fault_scale_proc, .name = "fault/scale",
	       .desc = "fault throughput, processes pinned one per CPU, "
		       "sampled",
	       .fn = bm_scale_procs, .setup = scale_procs_setup,
	       .teardown = scale_procs_teardown, .manual_time = true,
	       .params = {{"size", "4K,2M,1G"},
			  {"mode", "process"},
			  {"tasks", "1..256*2"},
			  {"hvo", "off,on"}},
	       FAULT_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"}, {"tasks", "1,2"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})
