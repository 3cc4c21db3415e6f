// SPDX-License-Identifier: GPL-2.0
/*
 * gup: get_user_pages / pin_user_pages throughput on hugetlb (2M, 1G) and
 * 4K memory, HVO off vs on, through the paths a stock kernel offers:
 *
 *   gup/vmsplice          vmsplice into a pipe (get_user_pages_fast),
 *                         then splice to /dev/null (put_page)
 *   gup/uring-buffers     io_uring IORING_REGISTER_BUFFERS
 *                         (pin_user_pages_fast, FOLL_LONGTERM) and
 *                         IORING_UNREGISTER_BUFFERS (unpin), timed apart
 *   gup/pvm-read          process_vm_readv of self or a child (remote GUP)
 *   gup/populate          MADV_POPULATE_READ/WRITE on populated memory
 *                         (a GUP walk without a page array)
 *   gup/odirect           O_DIRECT read into the buffer (bio pins)
 *   gup/gup-test          the kernel's /sys/kernel/debug/gup_test, with
 *                         its in-kernel get/put times beside ours
 *
 * Parameters: size (page size of the buffer), pages (4K pages per call:
 * GUP hands out base pages, huge or not), mem (bytes walked per
 * iteration), hvo.  Items are 4K pages, bytes are bytes, so rates come
 * out as pages/s and GiB/s.  Every call's return value is checked against
 * what was asked; a short count is an error, not a slower result.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "hugemem.h"
#include "sys.h"

/*
 * mm/gup_test.h of Linux 6.12 (no uapi header ships it); the layout and
 * ioctl numbers have been stable since 5.11.
 */
#define GUP_TEST_MAX_PAGES_TO_DUMP 8
struct gup_test {
	__u64 get_delta_usec;
	__u64 put_delta_usec;
	__u64 addr;
	__u64 size;
	__u32 nr_pages_per_call;
	__u32 gup_flags;
	__u32 test_flags;
	__u32 which_pages[GUP_TEST_MAX_PAGES_TO_DUMP];
};
#define GUP_FAST_BENCHMARK     _IOWR('g', 1, struct gup_test)
#define PIN_FAST_BENCHMARK     _IOWR('g', 2, struct gup_test)
#define PIN_LONGTERM_BENCHMARK _IOWR('g', 3, struct gup_test)
#define GUP_TEST_FOLL_WRITE    0x01 /* FOLL_WRITE in include/linux/mm_types.h */
#define GUP_TEST_PATH	       "/sys/kernel/debug/gup_test"

/* io_uring_register(2) refuses more buffers than this, or larger ones. */
#define URING_MAX_BUFS	  16384u
#define URING_MAX_BUF_LEN (1ULL << 30)

/* One instance runs at a time: setup fills this, the body uses it. */
static struct gup_ctx {
	uint64_t psize;
	size_t mem;   /* bytes walked per iteration */
	size_t chunk; /* bytes per call */
	size_t maplen;
	char *buf;
	char *dst;     /* process_vm_readv destination */
	char *remote;  /* process_vm_readv source: g.buf or the child's */
	int pipefd[2]; /* vmsplice pipe */
	int nullfd;
	int ring; /* io_uring */
	bool registered;
	struct iovec *iov;
	unsigned int niov;
	pid_t child;  /* process_vm_readv target */
	int child_fd; /* closing it lets the child exit */
	int dfd;      /* O_DIRECT file, or gup_test */
} g = {.pipefd = {-1, -1}, .nullfd = -1, .ring = -1, .child_fd = -1, .dfd = -1};

static void account(struct bench_state *st)
{
	int64_t it = (int64_t)bench_iterations(st);

	bench_set_items(st, it * (int64_t)(g.mem / HM_BASE_PAGE));
	bench_set_bytes(st, it * (int64_t)g.mem);
}

/* ---- common buffer --------------------------------------------------- */

/* Parameters and pool; 0 or -1 (skipped or failed). */
static int buf_pool(struct bench_state *st)
{
	int64_t pages = bench_arg(st, "pages");
	int64_t mem = bench_arg(st, "mem");

	g.psize = hm_psize(st);
	if (pages < 1 || mem < (int64_t)HM_BASE_PAGE) {
		bench_error(st, "pages must be >= 1 and mem >= 4K");
		return -1;
	}
	g.chunk = (size_t)pages * HM_BASE_PAGE;
	/* Whole calls only: mem rounded down to a multiple of the call. */
	g.mem = (size_t)mem / g.chunk * g.chunk;
	if (!g.mem) {
		bench_skip(st, "mem %s is smaller than one call of %lld pages",
			   bench_arg_str(st, "mem"), (long long)pages);
		return -1;
	}
	g.maplen = hm_round(g.mem, g.psize);
	return hm_setup(st, g.psize, g.maplen / g.psize);
}

/* The populated buffer in g.buf, or NULL with errno. */
static char *buf_map(void)
{
	char *p = hm_map(g.psize, false, g.maplen, 0);

	if (p)
		hm_touch_all(p, g.maplen);
	return p;
}

static void buf_setup(struct bench_state *st)
{
	if (buf_pool(st))
		return;
	g.buf = buf_map();
	if (!g.buf)
		bench_error(st, "mmap %zu bytes of %s pages: %s", g.maplen,
			    bench_arg_str(st, "size"), strerror(errno));
}

static void buf_teardown(struct bench_state *st)
{
	if (g.buf)
		munmap(g.buf, g.maplen);
	g.buf = NULL;
	(void)st; /* the pool goes back at the end of the instance */
}

static int gup_check(const struct bench_state *st, char *why, size_t len)
{
	return hm_check(st, why, len);
}

#define GUP_REQS .reqs = {.root = true, .check = gup_check}
/*
 * The quick suite: three interleaved off/on rounds of ~0.04 s per
 * instance (a 4K control needs rounds for its interval); the headline
 * 2M rows run rounds until their ratio is known to +-3% (4 s at most).
 */
#define QUICK_ROUNDS  .min_time = 0.04, .repetitions = 3
#define QUICK_PRECISE .min_time = 0.04, .precision = 0.03, .budget = 4

/*
 * The harness does not run teardown when setup skips or fails, so a
 * setup undoes its own partial work (mappings, pool pages, children).
 * Forward declaration first: teardowns are defined after the prepares.
 */
#define SETUP_OR_UNDO(name, undo)                                              \
	static void undo(struct bench_state *st);                              \
	static void name##_setup(struct bench_state *st)                       \
	{                                                                      \
		name##_prepare(st);                                            \
		if (bench_skipped(st))                                         \
			undo(st);                                              \
	}

/* ---- vmsplice -------------------------------------------------------- */

static void vmsplice_prepare(struct bench_state *st)
{
	int want, got;

	buf_setup(st);
	if (bench_skipped(st) || !g.buf)
		return;
	if (pipe2(g.pipefd, O_CLOEXEC)) {
		bench_error(st, "pipe2: %s", strerror(errno));
		return;
	}
	/* One call must fit: a pipe buffer holds one 4K page. */
	for (want = 4096; (size_t)want < g.chunk; want *= 2)
		;
	got = fcntl(g.pipefd[1], F_SETPIPE_SZ, want);
	if (got < 0 && errno == EPERM) {
		/* Above fs.pipe-max-size without CAP_SYS_RESOURCE. */
		bench_skip(st,
			   "a call of %zu pages needs a %d-byte pipe: "
			   "F_SETPIPE_SZ: %s (fs.pipe-max-size)",
			   (size_t)(g.chunk / HM_BASE_PAGE), want,
			   strerror(errno));
		return;
	}
	if (got < want) {
		bench_error(st, "F_SETPIPE_SZ %d: %s", want,
			    got < 0 ? strerror(errno) : "too small");
		return;
	}
	g.nullfd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (g.nullfd < 0)
		bench_error(st, "open /dev/null: %s", strerror(errno));
}

SETUP_OR_UNDO(vmsplice, vmsplice_teardown)

static void vmsplice_teardown(struct bench_state *st)
{
	for (int i = 0; i < 2; i++) {
		if (g.pipefd[i] >= 0)
			close(g.pipefd[i]);
		g.pipefd[i] = -1;
	}
	if (g.nullfd >= 0)
		close(g.nullfd);
	g.nullfd = -1;
	buf_teardown(st);
}

static void bm_vmsplice(struct bench_state *st)
{
	while (bench_loop(st)) {
		for (size_t off = 0; off < g.mem; off += g.chunk) {
			struct iovec iov = {g.buf + off, g.chunk};
			ssize_t n = vmsplice(g.pipefd[1], &iov, 1,
					     SPLICE_F_NONBLOCK);
			size_t out = 0;

			if (n != (ssize_t)g.chunk) {
				bench_error(st,
					    "vmsplice %zu bytes: got %zd (%s)",
					    g.chunk, n,
					    n < 0 ? strerror(errno) : "short");
				return;
			}
			while (out < g.chunk) {
				n = splice(g.pipefd[0], NULL, g.nullfd, NULL,
					   g.chunk - out, 0);
				if (n <= 0) {
					bench_error(
						st, "splice to /dev/null: %s",
						n ? strerror(errno) : "EOF");
					return;
				}
				out += (size_t)n;
			}
		}
	}
	account(st);
}

BENCH_REGISTER(gup_vmsplice, .name = "gup/vmsplice",
	       .desc = "vmsplice to a pipe (GUP fast) and splice to /dev/null",
	       .fn = bm_vmsplice, .setup = vmsplice_setup,
	       .teardown = vmsplice_teardown,
	       .params = {{"size", "4K,2M,1G"},
			  {"pages", "1,8..512"},
			  {"mem", "64M,1G"},
			  {"hvo", "off,on"}},
	       GUP_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"pages", "1,256"}, {"mem", "64M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- io_uring buffer registration ------------------------------------ */

static int uring_reg(unsigned int op, void *arg, unsigned int nr)
{
	return (int)syscall(__NR_io_uring_register, g.ring, op, arg, nr);
}

static void uring_prepare(struct bench_state *st)
{
	struct io_uring_params p;

	buf_setup(st);
	if (bench_skipped(st) || !g.buf)
		return;
	g.niov = (unsigned int)(g.mem / g.chunk);
	if (g.mem / g.chunk > URING_MAX_BUFS) {
		bench_skip(st,
			   "needs %zu buffers; io_uring registers at most %u",
			   g.mem / g.chunk, URING_MAX_BUFS);
		return;
	}
	if (g.chunk > URING_MAX_BUF_LEN) {
		bench_skip(st, "io_uring buffers are limited to 1 GiB each");
		return;
	}
	g.iov = calloc(g.niov, sizeof(*g.iov));
	if (!g.iov) {
		bench_error(st, "calloc %u iovecs: %s", g.niov,
			    strerror(errno));
		return;
	}
	for (unsigned int i = 0; i < g.niov; i++)
		g.iov[i] = (struct iovec){g.buf + i * g.chunk, g.chunk};
	memset(&p, 0, sizeof(p));
	g.ring = (int)syscall(__NR_io_uring_setup, 1, &p);
	if (g.ring < 0) {
		/* io_uring_disabled, seccomp, or a kernel without it. */
		bench_skip(st, "io_uring_setup: %s", strerror(errno));
		return;
	}
}

SETUP_OR_UNDO(uring, uring_teardown)

static void uring_teardown(struct bench_state *st)
{
	if (g.registered && uring_reg(IORING_UNREGISTER_BUFFERS, NULL, 0))
		bench_log("%s: io_uring unregister: %s\n",
			  bench_instance_name(st), strerror(errno));
	g.registered = false;
	if (g.ring >= 0)
		close(g.ring);
	g.ring = -1;
	free(g.iov);
	g.iov = NULL;
	buf_teardown(st);
}

static bool uring_do(struct bench_state *st, bool reg)
{
	int r;

	if (reg)
		r = uring_reg(IORING_REGISTER_BUFFERS, g.iov, g.niov);
	else
		r = uring_reg(IORING_UNREGISTER_BUFFERS, NULL, 0);
	/* Root (CAP_IPC_LOCK) is not charged against RLIMIT_MEMLOCK. */
	if (r) {
		bench_error(st, "io_uring %sregister %u x %zu bytes: %s",
			    reg ? "" : "un", g.niov, g.chunk, strerror(errno));
		return false;
	}
	g.registered = reg;
	return true;
}

/*
 * One iteration registers and unregisters the buffers; each call is timed
 * on its own into the "register" and "unregister" histograms and the
 * per-page counters.  (Timing unregister alone with the register paused
 * made calibration run tens of thousands of untimed registers.)
 */
static void bm_uring(struct bench_state *st)
{
	struct bench_hist *hr = bench_hist(st, "register");
	struct bench_hist *hu = bench_hist(st, "unregister");
	uint64_t reg_ns = 0, unreg_ns = 0, pages;

	while (bench_loop(st)) {
		uint64_t t0 = bench_now_ns(), t1, t2;

		if (!uring_do(st, true))
			return;
		t1 = bench_now_ns();
		if (!uring_do(st, false))
			return;
		t2 = bench_now_ns();
		bench_hist_record(hr, t1 - t0);
		bench_hist_record(hu, t2 - t1);
		reg_ns += t1 - t0;
		unreg_ns += t2 - t1;
	}
	account(st);
	pages = bench_iterations(st) * (g.mem / HM_BASE_PAGE);
	if (!pages)
		return;
	bench_counter(st, "register_ns_per_page",
		      (double)reg_ns / (double)pages, 0);
	bench_counter(st, "unregister_ns_per_page",
		      (double)unreg_ns / (double)pages, 0);
}

BENCH_REGISTER(
	gup_uring, .name = "gup/uring-buffers",
	.desc = "io_uring REGISTER_BUFFERS (pin, FOLL_LONGTERM) and "
		"UNREGISTER_BUFFERS (unpin), timed apart",
	.fn = bm_uring, .setup = uring_setup, .teardown = uring_teardown,
	.params = {{"size", "4K,2M,1G"},
		   {"pages", "1,512,262144"},
		   {"mem", "64M,1G,4G"},
		   {"hvo", "off,on"}},
	GUP_REQS,
	.args = {{.suite = "quick",
		  .params = {{"size", "4K,1G"},
			     {"pages", "512"},
			     {"mem", "64M"}},
		  QUICK_ROUNDS},
		 {.suite = "quick",
		  .params = {{"size", "2M"}, {"pages", "512"}, {"mem", "64M"}},
		  QUICK_PRECISE},
		 {.suite = "full"}},
	.control = {"hvo", "size:4K"})

/* ---- process_vm_readv ------------------------------------------------ */

/*
 * The child maps and populates its own buffer (a private hugetlb mapping
 * is not copied into a child at fork: it would fault on its own pages
 * with no reservation) and sends its address back.
 */
static void pvm_child(int cmd_fd, int reply_fd)
{
	char *p, c;
	int err = 0;

	p = buf_map();
	if (!p)
		err = errno;
	if (write(reply_fd, &p, sizeof(p)) != sizeof(p) ||
	    write(reply_fd, &err, sizeof(err)) != sizeof(err))
		_exit(1);
	/* Lives until the parent closes its end. */
	while (read(cmd_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void pvm_prepare(struct bench_state *st)
{
	int cmd[2] = {-1, -1}, reply[2] = {-1, -1}, err = 0;

	if (buf_pool(st))
		return;
	g.dst = mmap(NULL, g.chunk, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (g.dst == MAP_FAILED) {
		g.dst = NULL;
		bench_error(st, "mmap %zu bytes: %s", g.chunk, strerror(errno));
		return;
	}
	g.child = 0;
	if (strcmp(bench_arg_str(st, "target"), "child")) {
		g.buf = buf_map();
		g.remote = g.buf;
		if (!g.buf)
			bench_error(st, "mmap %zu bytes of %s pages: %s",
				    g.maplen, bench_arg_str(st, "size"),
				    strerror(errno));
		return;
	}
	if (pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC)) {
		bench_error(st, "pipe2: %s", strerror(errno));
		goto out;
	}
	g.child = sys_fork();
	if (g.child < 0) {
		g.child = 0;
		bench_error(st, "fork: %s", strerror(errno));
		goto out;
	}
	if (g.child == 0) {
		close(cmd[1]);
		close(reply[0]);
		pvm_child(cmd[0], reply[1]);
	}
	g.child_fd = cmd[1];
	cmd[1] = -1;
	if (read(reply[0], &g.remote, sizeof(g.remote)) != sizeof(g.remote) ||
	    read(reply[0], &err, sizeof(err)) != sizeof(err)) {
		bench_error(st, "child did not report its buffer: %s",
			    strerror(errno));
		goto out;
	}
	if (!g.remote)
		bench_error(st, "child: mmap %zu bytes of %s pages: %s",
			    g.maplen, bench_arg_str(st, "size"), strerror(err));
out:
	for (int i = 0; i < 2; i++) {
		if (cmd[i] >= 0)
			close(cmd[i]);
		if (reply[i] >= 0)
			close(reply[i]);
	}
}

SETUP_OR_UNDO(pvm, pvm_teardown)

static void pvm_teardown(struct bench_state *st)
{
	if (g.child_fd >= 0)
		close(g.child_fd);
	g.child_fd = -1;
	if (g.child > 0)
		while (waitpid(g.child, NULL, 0) < 0 && errno == EINTR)
			;
	g.child = 0;
	g.remote = NULL;
	if (g.dst)
		munmap(g.dst, g.chunk);
	g.dst = NULL;
	buf_teardown(st);
}

static void bm_pvm_read(struct bench_state *st)
{
	pid_t pid = g.child > 0 ? g.child : getpid();

	while (bench_loop(st)) {
		for (size_t off = 0; off < g.mem; off += g.chunk) {
			struct iovec l = {g.dst, g.chunk};
			struct iovec r = {g.remote + off, g.chunk};
			ssize_t n = process_vm_readv(pid, &l, 1, &r, 1, 0);

			if (n != (ssize_t)g.chunk) {
				bench_error(st,
					    "process_vm_readv %zu bytes: got "
					    "%zd (%s)",
					    g.chunk, n,
					    n < 0 ? strerror(errno) : "short");
				return;
			}
		}
	}
	account(st);
}

BENCH_REGISTER(gup_pvm, .name = "gup/pvm-read",
	       .desc = "process_vm_readv (remote GUP) from self or a child",
	       .fn = bm_pvm_read, .setup = pvm_setup, .teardown = pvm_teardown,
	       .params = {{"size", "4K,2M,1G"},
			  {"target", "self,child"},
			  {"pages", "1,8..512"},
			  {"mem", "64M,1G"},
			  {"hvo", "off,on"}},
	       GUP_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"},
				    {"pages", "512"},
				    {"mem", "64M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- MADV_POPULATE_(READ|WRITE) on populated memory ------------------ */

static int populate_advice(const struct bench_state *st)
{
	return strcmp(bench_arg_str(st, "advice"), "write")
		       ? MADV_POPULATE_READ
		       : MADV_POPULATE_WRITE;
}

static void populate_prepare(struct bench_state *st)
{
	buf_setup(st);
	if (bench_skipped(st) || !g.buf)
		return;
	/* A kernel before 5.14 (or a hugetlb quirk) says EINVAL: a skip. */
	if (madvise(g.buf, g.chunk, populate_advice(st)))
		bench_skip(st, "madvise(MADV_POPULATE_%s) on %s pages: %s",
			   bench_arg_str(st, "advice"),
			   bench_arg_str(st, "size"), strerror(errno));
}

SETUP_OR_UNDO(populate, buf_teardown)

static void bm_populate(struct bench_state *st)
{
	int advice = populate_advice(st);

	while (bench_loop(st)) {
		for (size_t off = 0; off < g.mem; off += g.chunk) {
			if (madvise(g.buf + off, g.chunk, advice)) {
				bench_error(st,
					    "madvise populate %zu bytes: %s",
					    g.chunk, strerror(errno));
				return;
			}
		}
	}
	account(st);
}

BENCH_REGISTER(gup_populate, .name = "gup/populate",
	       .desc = "MADV_POPULATE_READ/WRITE over populated memory",
	       .fn = bm_populate, .setup = populate_setup,
	       .teardown = buf_teardown,
	       .params = {{"size", "4K,2M,1G"},
			  {"advice", "read,write"},
			  {"pages", "1,8..512"},
			  {"mem", "64M,1G,4G"},
			  {"hvo", "off,on"}},
	       GUP_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"},
				    {"pages", "512"},
				    {"mem", "64M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- O_DIRECT read into the buffer ----------------------------------- */

static const char *const odirect_dirs[] = {"/var/tmp", "/tmp"};

static void odirect_prepare(struct bench_state *st)
{
	char path[64], why[160] = "";

	buf_setup(st);
	if (bench_skipped(st) || !g.buf)
		return;
	for (size_t i = 0; i < 2 && g.dfd < 0; i++) {
		struct statfs sf;

		/* shmem and ramfs take O_DIRECT but copy: nothing is pinned. */
		if (!statfs(odirect_dirs[i], &sf) &&
		    (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC)) {
			snprintf(why, sizeof(why),
				 "%s is tmpfs/ramfs: direct I/O there copies "
				 "and pins nothing",
				 odirect_dirs[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/hvobench-odirect-XXXXXX",
			 odirect_dirs[i]);
		g.dfd = mkostemp(path, O_CLOEXEC);
		if (g.dfd < 0) {
			snprintf(why, sizeof(why), "create in %s: %s",
				 odirect_dirs[i], strerror(errno));
			continue;
		}
		unlink(path);
		/* Data on disk first, then switch to direct I/O. */
		if (pwrite(g.dfd, g.buf, g.chunk, 0) != (ssize_t)g.chunk ||
		    fsync(g.dfd) || fcntl(g.dfd, F_SETFL, O_DIRECT) ||
		    pread(g.dfd, g.buf, g.chunk, 0) != (ssize_t)g.chunk) {
			snprintf(why, sizeof(why), "O_DIRECT in %s: %s",
				 odirect_dirs[i], strerror(errno));
			close(g.dfd);
			g.dfd = -1;
		}
	}
	if (g.dfd < 0)
		bench_skip(st, "no file system takes O_DIRECT reads (%s)", why);
}

SETUP_OR_UNDO(odirect, odirect_teardown)

static void odirect_teardown(struct bench_state *st)
{
	if (g.dfd >= 0)
		close(g.dfd);
	g.dfd = -1;
	buf_teardown(st);
}

static void bm_odirect(struct bench_state *st)
{
	while (bench_loop(st)) {
		for (size_t off = 0; off < g.mem; off += g.chunk) {
			ssize_t n = pread(g.dfd, g.buf + off, g.chunk, 0);

			if (n != (ssize_t)g.chunk) {
				bench_error(
					st,
					"O_DIRECT read %zu bytes: got %zd (%s)",
					g.chunk, n,
					n < 0 ? strerror(errno) : "short");
				return;
			}
		}
	}
	account(st);
}

BENCH_REGISTER(gup_odirect, .name = "gup/odirect",
	       .desc = "O_DIRECT read into the buffer (block layer pins it)",
	       .fn = bm_odirect, .setup = odirect_setup,
	       .teardown = odirect_teardown,
	       .params = {{"size", "4K,2M,1G"},
			  {"pages", "1,8..512"},
			  {"mem", "64M"},
			  {"hvo", "off,on"}},
	       GUP_REQS,
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"},
				    {"pages", "512"},
				    {"mem", "16M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})

/* ---- the kernel's gup_test ------------------------------------------- */

/* Whether the running kernel's config has CONFIG_GUP_TEST: 1, 0, -1. */
static int kconfig_gup_test(void)
{
	struct utsname u;
	char path[320], line[256];
	int found = 0;
	FILE *f;

	if (uname(&u))
		return -1;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CONFIG_GUP_TEST=", 16))
			found = 1;
	fclose(f);
	return found;
}

static int gup_test_check(const struct bench_state *st, char *why, size_t len)
{
	struct stat sb;

	if (hm_check(st, why, len))
		return 1;
	if (!stat(GUP_TEST_PATH, &sb))
		return 0;
	/* Only look: mounting debugfs is not ours to do. */
	if (kconfig_gup_test() == 0)
		snprintf(why, len, "kernel built without CONFIG_GUP_TEST");
	else if (stat("/sys/kernel/debug/mm", &sb) && errno == ENOENT)
		snprintf(
			why, len,
			"%s missing: debugfs not mounted or no CONFIG_GUP_TEST",
			GUP_TEST_PATH);
	else
		snprintf(why, len, "%s: %s", GUP_TEST_PATH, strerror(errno));
	return 1;
}

static unsigned long gup_test_cmd(const struct bench_state *st)
{
	const char *op = bench_arg_str(st, "op");

	if (!strcmp(op, "pin-fast"))
		return PIN_FAST_BENCHMARK;
	if (!strcmp(op, "pin-longterm"))
		return PIN_LONGTERM_BENCHMARK;
	return GUP_FAST_BENCHMARK;
}

static void gup_test_prepare(struct bench_state *st)
{
	buf_setup(st);
	if (bench_skipped(st) || !g.buf)
		return;
	g.dfd = open(GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	if (g.dfd < 0)
		bench_skip(st, "open %s: %s", GUP_TEST_PATH, strerror(errno));
}

SETUP_OR_UNDO(gup_test, odirect_teardown)

static void bm_gup_test(struct bench_state *st)
{
	unsigned long cmd = gup_test_cmd(st);
	uint64_t get_us = 0, put_us = 0, pages;

	while (bench_loop(st)) {
		struct gup_test gt = {
			.addr = (uintptr_t)g.buf,
			.size = g.mem,
			.nr_pages_per_call = (__u32)(g.chunk / HM_BASE_PAGE),
			.gup_flags = GUP_TEST_FOLL_WRITE,
		};

		if (ioctl(g.dfd, cmd, &gt)) {
			bench_error(st, "gup_test ioctl %s: %s",
				    bench_arg_str(st, "op"), strerror(errno));
			return;
		}
		/* The kernel writes back how far it got. */
		if (gt.size != g.mem) {
			bench_error(st, "gup_test %s: got %llu of %zu bytes",
				    bench_arg_str(st, "op"),
				    (unsigned long long)gt.size, g.mem);
			return;
		}
		get_us += gt.get_delta_usec;
		put_us += gt.put_delta_usec;
	}
	account(st);
	pages = bench_iterations(st) * (g.mem / HM_BASE_PAGE);
	bench_counter(st, "kernel_get_ns_per_page",
		      pages ? get_us * 1e3 / (double)pages : 0, 0);
	bench_counter(st, "kernel_put_ns_per_page",
		      pages ? put_us * 1e3 / (double)pages : 0, 0);
}

BENCH_REGISTER(gup_gup_test, .name = "gup/gup-test",
	       .desc = "kernel gup_test ioctls (in-kernel get/put times)",
	       .fn = bm_gup_test, .setup = gup_test_setup,
	       .teardown = odirect_teardown,
	       .params = {{"size", "4K,2M,1G"},
			  {"op", "gup-fast,pin-fast,pin-longterm"},
			  {"pages", "1,8..512"},
			  {"mem", "64M,1G"},
			  {"hvo", "off,on"}},
	       .reqs = {.root = true, .check = gup_test_check},
	       .args = {{.suite = "quick",
			 .params = {{"size", "4K,2M"},
				    {"pages", "512"},
				    {"mem", "64M"}},
			 QUICK_ROUNDS},
			{.suite = "full"}},
	       .control = {"hvo", "size:4K"})
