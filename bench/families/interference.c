// SPDX-License-Identifier: GPL-2.0
/*
 * interference: what another CPU feels while the pool grows or shrinks,
 * HVO off vs on.  HVO remaps vmemmap with kernel TLB flushes (IPIs to
 * every CPU on x86_64; break-before-make stalls on arm64 with the patch).
 *
 * A detector thread pinned to another CPU than the benchmark's spins
 * reading CLOCK_MONOTONIC; a gap between two reads is time it did not
 * run (an interrupt, an IPI handler, the hypervisor).  It runs as
 * SCHED_FIFO while a window is open (when allowed; the label says), so
 * other tasks' time slices do not hide the signal on a busy machine.
 * The price: work the operation needs done on that CPU by a kworker
 * waits for the window to end, which lengthens the operation instead of
 * showing as a gap.  Operation latency is the pool family's job.
 * The main thread opens a window, writes nr_hugepages (one grow or one
 * shrink of N 2M pages), and closes it; the detector reports the longest
 * gap in the window, the gaps above STALL_NS (histogram "gap") and their
 * sum.  After each operation an idle window of the same length (main
 * thread asleep) gives the baseline the same noise would produce.
 * TLB shootdowns and function-call IPIs received by the detector's CPU
 * come from /proc/interrupts (x86); --counters=hvo adds the tracepoints.
 *
 * Per row: time = one pool operation; hist max_gap / idle_max_gap = the
 * longest gap per window (p99, max); stall_ns_per_page = gap time above
 * STALL_NS per 2M page.
 */
#include "bench.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HP_KB	 2048ULL
#define STALL_NS 2000ULL /* gaps at least this long count as stalls */
#define ACK_NS	 (2ULL * 1000 * 1000 * 1000)
#define MAX_CPUS 1024
#define IDLE_CAP (100ULL * 1000 * 1000)

/* What the detector saw in one window; written by it while open. */
struct win {
	uint64_t max_gap, stall_ns, nstalls, loops;
	uint64_t ns; /* the window's length */
};

static struct {
	pthread_t tid;
	bool running;
	atomic_uint_fast64_t seq; /* odd: a window is open */
	atomic_uint_fast64_t ack; /* last closed seq the detector saw */
	atomic_int stop;
	atomic_int ready;
	bool fifo; /* SCHED_FIFO during windows (else CFS preempts it) */
	struct win w;
	/* The window's edges, written before seq moves. */
	uint64_t t_open, t_close;
	struct bench_hist *gaps; /* NULL: do not record gaps */
	int cpu;		 /* the detector's */
} d;

static struct {
	int fd; /* nr_hugepages, open for timed writes */
	uint64_t base;
	int cpu; /* the main thread's */
	cpu_set_t saved;
	bool pinned;
} m = {.fd = -1};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void detector_gap(uint64_t gap)
{
	d.w.loops++;
	if (gap > d.w.max_gap)
		d.w.max_gap = gap;
	if (gap >= STALL_NS) {
		d.w.stall_ns += gap;
		d.w.nstalls++;
		if (d.gaps)
			bench_hist_record(d.gaps, gap);
	}
}

static void *detector(void *arg)
{
	/* seq is 0 at creation: a window that came and went still acks. */
	uint64_t prev = now_ns(), last = 0;

	(void)arg;
	atomic_store(&d.ready, 1);
	while (!atomic_load_explicit(&d.stop, memory_order_relaxed)) {
		uint64_t t = now_ns(), from = prev, to = t,
			 s = atomic_load_explicit(&d.seq, memory_order_acquire);

		prev = t;
		/*
		 * In a window, at its edges, or a window came and went: only
		 * the part of a gap inside the window counts (the detector
		 * may have been off the CPU long before the window opened).
		 */
		if ((last | s) & 1 || s != last) {
			if (!(last & 1) && d.t_open > from)
				from = d.t_open;
			if (!(s & 1) && d.t_close < to)
				to = d.t_close;
			detector_gap(to > from ? to - from : 0);
		}
		if (s != last && !(s & 1))
			atomic_store_explicit(&d.ack, s, memory_order_release);
		last = s;
	}
	return NULL;
}

/*
 * Real-time while a window is open: a CFS detector on a busy machine
 * mostly measures other tasks' time slices.  Only during windows, so RT
 * throttling (950 ms per second) never cuts into one.
 */
static void set_fifo(bool on)
{
	struct sched_param sp = {.sched_priority = on ? 1 : 0};

	if (d.fifo)
		pthread_setschedparam(d.tid, on ? SCHED_FIFO : SCHED_OTHER,
				      &sp);
}

static void win_open(struct bench_hist *gaps)
{
	set_fifo(true);
	memset(&d.w, 0, sizeof(d.w));
	d.gaps = gaps;
	d.t_open = now_ns();
	atomic_fetch_add_explicit(&d.seq, 1, memory_order_release);
}

/* Close the window and wait until the detector has seen it closed. */
static int win_close(struct win *out)
{
	uint64_t t0 = now_ns(), s;

	d.t_close = t0;
	s = atomic_fetch_add_explicit(&d.seq, 1, memory_order_release) + 1;
	while (atomic_load_explicit(&d.ack, memory_order_acquire) != s) {
		if (now_ns() - t0 > ACK_NS) {
			set_fifo(false);
			return -ETIMEDOUT;
		}
		sched_yield();
	}
	set_fifo(false);
	*out = d.w;
	out->ns = d.t_close - d.t_open;
	return 0;
}

/* ---- CPUs and /proc/interrupts ------------------------------------------ */

static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/*
 * TLB shootdowns and function-call interrupts received by one CPU
 * (x86 rows "TLB:" and "CAL:"; -ENOENT elsewhere).
 */
static int irq_counts(int cpu, uint64_t *tlb, uint64_t *cal)
{
	char line[8192], *p, *e;
	int col = -1, ncpu = 0, found = 0;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -errno;
	/* The header names the online CPUs' columns: "CPU0 CPU1 ...". */
	if (fgets(line, sizeof(line), f))
		for (p = strstr(line, "CPU"); p; p = strstr(p + 3, "CPU")) {
			if (atoi(p + 3) == cpu)
				col = ncpu;
			ncpu++;
		}
	while (col >= 0 && fgets(line, sizeof(line), f)) {
		uint64_t *dst = NULL, v = 0;

		p = line + strspn(line, " ");
		if (!strncmp(p, "TLB:", 4))
			dst = tlb;
		else if (!strncmp(p, "CAL:", 4))
			dst = cal;
		if (!dst)
			continue;
		p += 4;
		for (int i = 0; i <= col; i++) {
			v = strtoull(p, &e, 10);
			if (e == p)
				break;
			p = e;
		}
		*dst = v;
		found++;
	}
	fclose(f);
	return found == 2 ? 0 : -ENOENT;
}

static int cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/*
 * The main thread stays where it runs; the detector takes the next CPU
 * our cpuset allows (probed, so a --cpu pin of the main thread is fine).
 */
static int choose_cpus(void)
{
	int me = sched_getcpu(), n = cpu_count();

	m.cpu = me < 0 ? 0 : me;
	for (int i = 1; i < n && i < MAX_CPUS; i++) {
		int c = (m.cpu + i) % n;
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(c, &set);
		if (CPU_ISSET(c, &m.saved) ||
		    !sched_setaffinity(0, sizeof(set), &set)) {
			sched_setaffinity(0, sizeof(m.saved), &m.saved);
			d.cpu = c;
			return 0;
		}
	}
	return -ENODEV;
}

/* The detector, pinned from birth (no window ever sees it migrate). */
static int start_detector(void)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int ret;

	CPU_ZERO(&set);
	CPU_SET(d.cpu, &set);
	ret = pthread_attr_init(&attr);
	if (ret)
		return -ret;
	ret = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	if (!ret)
		ret = pthread_create(&d.tid, &attr, detector, NULL);
	pthread_attr_destroy(&attr);
	return -ret;
}

/* ---- setup -------------------------------------------------------------- */

static int intf_check(const struct bench_state *st, char *why, size_t len)
{
	uint64_t cur = 0;

	if (sys_check_root(st, why, len))
		return 1;
	if (cpu_count() < 2) {
		snprintf(why, len,
			 "needs 2 online CPUs (a detector beside the "
			 "benchmark), have %d",
			 cpu_count());
		return 1;
	}
	if (!hugetlb_size_present(HP_KB)) {
		snprintf(why, len, "no 2M huge pages");
		return 1;
	}
	if (hugetlb_pool_get(HP_KB, -1, "nr_hugepages", &cur))
		cur = 0;
	return hugetlb_pool_check(HP_KB, cur + (uint64_t)bench_arg(st, "pages"),
				  why, len)
		       ? 1
		       : 0;
}

static void stop_detector(void)
{
	void *ret;

	if (!d.running)
		return;
	atomic_store(&d.stop, 1);
	pthread_join(d.tid, &ret);
	d.running = false;
}

static void intf_teardown(struct bench_state *st)
{
	(void)st;
	stop_detector();
	if (m.pinned)
		sched_setaffinity(0, sizeof(m.saved), &m.saved);
	m.pinned = false;
	if (m.fd >= 0) {
		/* Back to base whatever the body did; sys_end restores too. */
		sys_knob_write_u64(m.fd, m.base);
		close(m.fd);
	}
	m.fd = -1;
}

static void intf_setup(struct bench_state *st)
{
	struct sched_param spm;
	char p[256];
	int ret, pol = -1;

	if (sched_getaffinity(0, sizeof(m.saved), &m.saved)) {
		bench_error(st, "sched_getaffinity: %s", strerror(errno));
		return;
	}
	ret = choose_cpus();
	if (ret) {
		bench_skip(st, "no second CPU for the detector: %s",
			   strerror(-ret));
		return;
	}
	ret = hugetlb_pool_get(HP_KB, -1, "nr_hugepages", &m.base);
	if (!ret)
		ret = hugetlb_path(p, sizeof(p), HP_KB, -1, "nr_hugepages");
	if (!ret) {
		m.fd = sys_open_knob(p);
		ret = m.fd < 0 ? m.fd : 0;
	}
	if (ret) {
		bench_error(st, "open nr_hugepages: %s", strerror(-ret));
		intf_teardown(st);
		return;
	}
	if (pin_self(m.cpu)) {
		bench_error(st, "pin to CPU %d: %s", m.cpu, strerror(errno));
		intf_teardown(st);
		return;
	}
	m.pinned = true;
	atomic_store(&d.stop, 0);
	atomic_store(&d.seq, 0);
	atomic_store(&d.ack, 0);
	d.gaps = NULL;
	atomic_store(&d.ready, 0);
	ret = start_detector();
	if (ret) {
		bench_error(st, "start the detector on CPU %d: %s", d.cpu,
			    strerror(-ret));
		intf_teardown(st);
		return;
	}
	d.running = true;
	/* Try SCHED_FIFO once (needs CAP_SYS_NICE); the label says which. */
	d.fifo = true;
	set_fifo(true);
	d.fifo = !pthread_getschedparam(d.tid, &pol, &spm) && pol == SCHED_FIFO;
	if (d.fifo)
		set_fifo(false);
	/* The first window must find it spinning. */
	for (uint64_t t0 = now_ns(); !atomic_load(&d.ready);) {
		if (now_ns() - t0 > ACK_NS) {
			bench_error(st, "the detector on CPU %d did not start",
				    d.cpu);
			intf_teardown(st);
			return;
		}
		sched_yield();
	}
}

/* ---- the body ----------------------------------------------------------- */

/* Write nr_hugepages and read it back; the pages the kernel gave. */
static int pool_to(uint64_t nr, uint64_t *got)
{
	int ret = sys_knob_write_u64(m.fd, nr);

	if (ret && ret != -ENOMEM)
		return ret;
	return hugetlb_pool_get(HP_KB, -1, "nr_hugepages", got);
}

struct tally {
	uint64_t op_ns, stall_ns, nstalls, max_gap, loops, win_ns;
	uint64_t idle_ns, idle_stall_ns, idle_max;
	uint64_t tlb, cal, pages, partial;
	bool have_irq;
};

/* One window around the timed pool write (grow: base+n, shrink: base). */
static int timed_op(struct bench_state *st, uint64_t target, uint64_t *got,
		    struct tally *t, struct bench_hist *gaps,
		    struct bench_hist *hmax, uint64_t *op_ns)
{
	uint64_t tlb0 = 0, cal0 = 0, tlb1 = 0, cal1 = 0, t0, t1;
	struct win w;
	int ret, irq;

	irq = irq_counts(d.cpu, &tlb0, &cal0);
	win_open(gaps);
	t0 = now_ns();
	ret = sys_knob_write_u64(m.fd, target);
	t1 = now_ns();
	if (win_close(&w)) {
		bench_error(st, "the detector on CPU %d stopped answering",
			    d.cpu);
		return -1;
	}
	if (ret && ret != -ENOMEM) {
		bench_error(st, "write nr_hugepages %" PRIu64 ": %s", target,
			    strerror(-ret));
		return -1;
	}
	ret = hugetlb_pool_get(HP_KB, -1, "nr_hugepages", got);
	if (ret) {
		bench_error(st, "read nr_hugepages: %s", strerror(-ret));
		return -1;
	}
	if (!irq && !irq_counts(d.cpu, &tlb1, &cal1)) {
		t->tlb += tlb1 - tlb0;
		t->cal += cal1 - cal0;
		t->have_irq = true;
	}
	*op_ns = t1 - t0;
	t->op_ns += *op_ns;
	t->win_ns += w.ns;
	t->stall_ns += w.stall_ns;
	t->nstalls += w.nstalls;
	t->loops += w.loops;
	if (w.max_gap > t->max_gap)
		t->max_gap = w.max_gap;
	bench_hist_record(hmax, w.max_gap);
	return 0;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ULL),
			      .tv_nsec = (long)(ns % 1000000000ULL)};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * The baseline: the same detector, the main thread asleep as long.
 * Then a rest half as long with the detector back in CFS: the RT
 * throttle (sched_rt_runtime_us, 95% of each second) must never cut
 * into a window, and the CPU's kworkers get to run.
 */
static int idle_window(uint64_t ns, struct tally *t, struct bench_hist *h)
{
	struct win w;

	if (ns > IDLE_CAP)
		ns = IDLE_CAP;
	win_open(NULL);
	sleep_ns(ns);
	if (win_close(&w))
		return -ETIMEDOUT;
	sleep_ns(w.ns / 2);
	t->idle_ns += w.ns;
	t->idle_stall_ns += w.stall_ns;
	if (w.max_gap > t->idle_max)
		t->idle_max = w.max_gap;
	bench_hist_record(h, w.max_gap);
	return 0;
}

static void report(struct bench_state *st, const struct tally *t, bool grow)
{
	char cs[32] = "?";
	double pages = t->pages ? (double)t->pages : 1;

	sys_get("/sys/devices/system/clocksource/clocksource0/"
		"current_clocksource",
		cs, sizeof(cs));
	bench_counter(st, "max_gap_us", (double)t->max_gap / 1e3, 0);
	bench_counter(st, "stall_ns_per_page", (double)t->stall_ns / pages, 0);
	bench_counter(st, "stalls_per_op",
		      (double)t->nstalls / (double)bench_iterations(st), 0);
	bench_counter(st, "stall_frac",
		      t->win_ns ? (double)t->stall_ns / (double)t->win_ns : 0,
		      0);
	bench_counter(st, "idle_max_gap_us", (double)t->idle_max / 1e3, 0);
	bench_counter(st, "idle_stall_frac",
		      t->idle_ns ? (double)t->idle_stall_ns / (double)t->idle_ns
				 : 0,
		      0);
	bench_counter(st, "detector_loop_ns",
		      t->loops ? (double)t->win_ns / (double)t->loops : 0, 0);
	bench_counter(st, "partial_ops", (double)t->partial, 0);
	if (t->have_irq) {
		bench_counter(st, "tlb_shootdowns_per_page",
			      (double)t->tlb / pages, 0);
		bench_counter(st, "call_ipis_per_page", (double)t->cal / pages,
			      0);
	}
	bench_label(st,
		    "%s hvo=%s main=cpu%d detector=cpu%d(%s) "
		    "stall>=%lluns clocksource=%s",
		    grow ? "grow" : "shrink", bench_arg_str(st, "hvo"), m.cpu,
		    d.cpu, d.fifo ? "fifo" : "cfs",
		    (unsigned long long)STALL_NS, cs);
}

static void bm_pool(struct bench_state *st)
{
	struct bench_hist *gaps = bench_hist(st, "gap"),
			  *hmax = bench_hist(st, "max_gap"),
			  *hidle = bench_hist(st, "idle_max_gap");
	bool grow = !strcmp(bench_arg_str(st, "op"), "grow");
	uint64_t n = (uint64_t)bench_arg(st, "pages"), got = 0, ns = 0, top;
	struct tally t;
	int ret;

	memset(&t, 0, sizeof(t));
	while (bench_loop(st)) {
		uint64_t done;

		if (!grow) {
			bench_pause(st);
			ret = pool_to(m.base + n, &top);
			bench_resume(st);
			if (ret || top <= m.base) {
				bench_error(
					st,
					"grow the 2M pool by %" PRIu64 ": %s",
					n, ret ? strerror(-ret) : "got none");
				return;
			}
		}
		if (timed_op(st, grow ? m.base + n : m.base, &got, &t, gaps,
			     hmax, &ns))
			return;
		if (grow)
			top = got;
		done = top - m.base;
		if (top < m.base + n)
			t.partial++; /* the kernel had fewer: data */
		if (!grow && got != m.base) {
			bench_error(st, "shrink left %" PRIu64 " pages",
				    got - m.base);
			return;
		}
		t.pages += done;
		bench_set_iteration_time(st, (double)ns / 1e9);
		bench_pause(st);
		ret = grow ? pool_to(m.base, &got) : 0;
		if (!ret)
			ret = idle_window(ns, &t, hidle);
		bench_resume(st);
		if (ret || got != m.base) {
			bench_error(st, "shrink back / idle window: %s",
				    ret ? strerror(-ret) : "pool not at base");
			return;
		}
	}
	bench_set_items(st, (int64_t)t.pages);
	report(st, &t, grow);
}

#define INTF_DESC                                                              \
	"stalls a spinning detector on another CPU sees while the 2M pool "    \
	"grows or shrinks (vs an idle window of the same length)"

BENCH_REGISTER(intf, .name = "interference/pool", .desc = INTF_DESC,
	       .fn = bm_pool, .setup = intf_setup, .teardown = intf_teardown,
	       .params = {{"op", "grow,shrink"},
			  {"pages", "64,1024,4096"},
			  {"hvo", "off,on"}},
	       .reqs = {.root = true, .check = intf_check}, .manual_time = true,
	       .unit = "us",
	       .args = {{.suite = "quick",
			 .params = {{"pages", "1024"}},
			 .iterations = 10,
			 .repetitions = 3},
			{.suite = "full", .iterations = 20, .repetitions = 5}});
