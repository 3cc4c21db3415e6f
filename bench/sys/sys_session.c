// SPDX-License-Identifier: GPL-2.0
/*
 * The state session: lock, journal file, journalled writes, and restore on
 * every exit path.  The journal is also kept in memory (precomputed
 * entries) so the signal handler restores with open/write/close only.
 */
#include "journal.h"
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The machine-wide lock.  A state directory of its own (tests, scripts)
 * isolates a journal, but kernel state is shared: before its first write
 * to /proc or /sys a session in another directory also takes this lock,
 * or a run in another directory could journal our temporary values as
 * its originals and "restore" them after we are gone.
 */
#define GLOBAL_DIR "/var/lib/hvobench"

static char dir_override[PATH_MAX];
static uint64_t margin_override;
static double recover_wait = 30;

static struct journal_entry mem[JOURNAL_MAX];
static volatile sig_atomic_t nmem;
static volatile sig_atomic_t active;	/* lock held, handlers armed */
static volatile sig_atomic_t restoring; /* no more writes after this */
static pid_t owner;
static int lock_fd = -1;
static int glock_fd = -1;   /* machine-wide lock, when not lock_fd */
static bool glock_borrowed; /* held through an fd our parent gave us */
static int jfd = -1;
static char journal_file[PATH_MAX];

static int global_lock(void);
static void global_unlock(void);
static bool kernel_path(const char *path);

/*
 * Every signal whose default action ends the process: restore first.
 * SIGPIPE matters in practice (`hvobench run | head`).
 */
static const int fatal_signals[] = {
	SIGINT,	 SIGTERM, SIGHUP,  SIGQUIT, SIGABRT,   SIGSEGV,
	SIGBUS,	 SIGFPE,  SIGILL,  SIGSYS,  SIGPIPE,   SIGALRM,
	SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
};

void sys_set_state_dir(const char *dir)
{
	snprintf(dir_override, sizeof(dir_override), "%s", dir);
}

const char *sys_state_dir(void)
{
	const char *env = getenv("HVOBENCH_STATE_DIR");

	if (dir_override[0])
		return dir_override;
	if (env && *env)
		return env;
	return "/var/lib/hvobench";
}

void sys_set_safety_margin(uint64_t bytes)
{
	margin_override = bytes;
}

uint64_t sys_safety_margin(void)
{
	uint64_t total = 0, m = 2ULL << 30;

	if (margin_override)
		return margin_override;
	/* 2 GiB or 1/8 of RAM: room for everyone else on the machine. */
	if (!sys_meminfo("MemTotal", &total) && total / 8 > m)
		m = total / 8;
	return m;
}

bool sys_active(void)
{
	return active;
}

void sys_set_recover_wait(double seconds)
{
	recover_wait = seconds;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const struct timespec poll_step = {0, 20 * 1000 * 1000};

/*
 * flock fd without waiting for a live run.  The file holds the pid of the
 * run that took the lock; if that process no longer has the file open,
 * whoever holds the lock are leftovers of a dead run (children that
 * outlived it): they get recover_wait seconds to exit.  0, -EBUSY (a live
 * run, pid in *holder), -ETIMEDOUT (leftovers stayed; one message line)
 * or -errno.
 */
static int flock_or_wait(int fd, const char *file, long *holder)
{
	double until = now_s() + recover_wait;
	char buf[32], who[512];
	struct stat st;
	ssize_t r;

	for (;;) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return 0;
		if (errno != EWOULDBLOCK)
			return -errno;
		r = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[r > 0 ? r : 0] = '\0';
		*holder = strtol(buf, NULL, 10);
		if (fstat(fd, &st) || *holder <= 0 ||
		    sys_proc_holds(*holder, &st))
			return -EBUSY;
		if (now_s() > until) {
			sys_procs_holding(&st, who, sizeof(who));
			fprintf(stderr,
				"hvobench: run %ld is gone, but its leftovers "
				"%s still hold %s after %.0f s; try again when "
				"they have exited\n",
				*holder, who[0] ? who : "(exiting)", file,
				recover_wait);
			return -ETIMEDOUT;
		}
		nanosleep(&poll_step, NULL);
	}
}

/*
 * Wait until every journalled value reads back: pages that an exiting
 * process still maps are freed only when it is gone (with HVO on, later
 * still, by a kworker).  Missing values are written again each second.
 * Then name what is still pending and who maps hugetlb pages.
 */
static int settle(const struct journal_entry *e, int n)
{
	double until = now_s() + recover_wait, next_put = 0;
	char cur[JOURNAL_VAL_MAX], who[512];
	int pending;

	for (;;) {
		bool put = now_s() >= next_put;

		pending = 0;
		for (int i = n - 1; i >= 0; i--) {
			if (journal_value_matches(e[i].path, e[i].value,
						  e[i].vlen))
				continue;
			pending++;
			if (put)
				journal_put(&e[i]);
		}
		if (put)
			next_put = now_s() + 1;
		if (!pending || now_s() > until)
			break;
		nanosleep(&poll_step, NULL);
	}
	for (int i = 0; i < n; i++)
		if (!journal_value_matches(e[i].path, e[i].value, e[i].vlen))
			fprintf(stderr,
				"hvobench: pending after %.0f s: %s is %s, "
				"journalled %s\n",
				recover_wait, e[i].path,
				sys_get(e[i].path, cur, sizeof(cur)) ? "?"
								     : cur,
				e[i].value);
	if (pending && sys_procs_hugetlb(who, sizeof(who)))
		fprintf(stderr, "hvobench: hugetlb pages still mapped by %s\n",
			who);
	return pending;
}

static int path_in_dir(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", sys_state_dir(), name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		tmp[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int fsync_dir(void)
{
	int fd = open(sys_state_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

/* Restore a journal left behind; caller holds the lock. */
static int recover_locked(void)
{
	static struct journal_entry e[JOURNAL_MAX];
	char file[PATH_MAX];
	int n, failed, ret;

	ret = path_in_dir(file, sizeof(file), "journal");
	if (ret)
		return ret;
	n = journal_load(file, e, JOURNAL_MAX);
	if (n == -ENOENT)
		return 0;
	if (n < 0) {
		fprintf(stderr, "hvobench: cannot read journal %s: %s\n", file,
			strerror(-n));
		return n;
	}
	for (int i = 0; i < n; i++) {
		if (!kernel_path(e[i].path))
			continue;
		ret = global_lock();
		if (ret) /* journal kept: restored when the other run is done */
			return ret;
		break;
	}
	failed = journal_restore(e, n, false);
	if (failed)
		failed = settle(e, n);
	if (failed) {
		fprintf(stderr,
			"hvobench: %d of %d values in %s could not be "
			"restored; keeping the journal\n",
			failed, n, file);
		return -EIO;
	}
	if (unlink(file) && errno != ENOENT) {
		ret = -errno;
		fprintf(stderr, "hvobench: cannot remove %s: %s\n", file,
			strerror(errno));
		return ret;
	}
	fprintf(stderr,
		"hvobench: restored %d value%s from a previous run's "
		"journal (%s)\n",
		n, n == 1 ? "" : "s", file);
	return n;
}

/*
 * Take the lock without waiting for a live run: -EBUSY (and the holder's
 * pid) if one holds it; a dead run's leftovers are waited for.
 */
static int lock_take(int *fdp, long *holder)
{
	char file[PATH_MAX], buf[32];
	int fd, ret;
	ssize_t r;

	ret = path_in_dir(file, sizeof(file), "lock");
	if (ret)
		return ret;
	fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = flock_or_wait(fd, file, holder);
	if (ret) {
		close(fd);
		return ret;
	}
	r = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)r, 0) != r) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*fdp = fd;
	return 0;
}

static bool dir_is_global(void)
{
	const char *d = sys_state_dir();
	size_t n = strlen(GLOBAL_DIR);

	return !strncmp(d, GLOBAL_DIR, n) && (!d[n] || !strcmp(d + n, "/"));
}

/*
 * An fd inherited from a caller that holds the machine-wide lock (a test
 * or script running `flock` on it) covers us: flock() on that same open
 * file description succeeds.  Returns the fd or -1.
 */
static int inherited_lock_fd(const struct stat *want)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		struct stat st;

		if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
		    fd == dirfd(d) || fd == lock_fd || fstat(fd, &st) ||
		    st.st_dev != want->st_dev || st.st_ino != want->st_ino)
			continue;
		if (!flock(fd, LOCK_EX | LOCK_NB)) {
			found = fd;
			break;
		}
	}
	closedir(d);
	return found;
}

/* Take the machine-wide lock if our state dir is not the global one. */
static int global_lock(void)
{
	char buf[32];
	long holder = 0;
	struct stat st;
	ssize_t r;
	int fd, ret;

	if (glock_fd >= 0 || dir_is_global())
		return 0;
	ret = mkdir_p(GLOBAL_DIR);
	if (ret)
		return ret;
	fd = open(GLOBAL_DIR "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (!fstat(fd, &st)) {
		int inh = inherited_lock_fd(&st);

		if (inh >= 0) {
			close(fd);
			glock_fd = inh;
			glock_borrowed = true;
			return 0;
		}
	}
	ret = flock_or_wait(fd, GLOBAL_DIR "/lock", &holder);
	if (ret == -EBUSY)
		fprintf(stderr,
			"hvobench: another run (pid %ld) holds " GLOBAL_DIR
			"/lock; not touching kernel state\n",
			holder);
	if (ret) {
		close(fd);
		return ret;
	}
	r = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)r, 0) != r) {
		ret = -errno;
		close(fd);
		return ret;
	}
	glock_fd = fd;
	glock_borrowed = false;
	return 0;
}

static void global_unlock(void)
{
	/* A borrowed description stays locked for the caller that made it. */
	if (glock_fd >= 0 && !glock_borrowed)
		close(glock_fd);
	glock_fd = -1;
	glock_borrowed = false;
}

static bool kernel_path(const char *path)
{
	return !strncmp(path, "/proc/", 6) || !strncmp(path, "/sys/", 5);
}

int sys_recover(void)
{
	char file[PATH_MAX];
	long holder = 0;
	int fd = -1, ret;

	if (path_in_dir(file, sizeof(file), "journal") || access(file, F_OK))
		return 0;
	if (geteuid() != 0) {
		fprintf(stderr,
			"hvobench: a killed run left %s; run `hvobench "
			"restore` as root to put its values back\n",
			file);
		return 0;
	}
	if (active)
		return recover_locked();
	ret = lock_take(&fd, &holder);
	if (ret == -EBUSY) /* a live run owns that journal */
		return 0;
	if (ret == -ETIMEDOUT) /* leftovers stayed (said so) */
		return ret;
	if (ret) {
		fprintf(stderr, "hvobench: cannot lock %s: %s\n",
			sys_state_dir(), strerror(-ret));
		return ret;
	}
	ret = recover_locked();
	if (ret == -EBUSY) /* a live run elsewhere owns the kernel state */
		ret = 0;
	global_unlock();
	close(fd);
	return ret;
}

void sys_session_forget(void)
{
	/*
	 * Closing our copies leaves the parent's locks as they are (a flock
	 * lives as long as any fd of its description) but means they end
	 * with the parent.
	 */
	if (lock_fd >= 0)
		close(lock_fd);
	if (glock_fd >= 0)
		close(glock_fd);
	if (jfd >= 0)
		close(jfd);
	lock_fd = glock_fd = jfd = -1;
	active = 0;
	nmem = 0;
}

static void on_fatal(int sig)
{
	int saved = errno;

	if (active && getpid() == owner) {
		restoring = 1;
		active = 0;
		if (journal_restore(mem, nmem, true) == 0)
			unlink(journal_file);
	}
	errno = saved;
	/* SA_RESETHAND put the default back; die the way we were asked. */
	raise(sig);
}

static void on_exit_restore(void)
{
	if (active && getpid() == owner)
		sys_end();
}

static int arm_handlers(void)
{
	static bool registered;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(int); i++)
		if (sigaction(fatal_signals[i], &sa, NULL))
			return -errno;
	if (!registered && atexit(on_exit_restore))
		return -ENOMEM;
	registered = true;
	return 0;
}

int sys_begin(void)
{
	long holder = 0;
	int ret;

	if (active)
		return 0;
	ret = mkdir_p(sys_state_dir());
	if (ret) {
		fprintf(stderr,
			"hvobench: cannot create state directory %s: %s\n",
			sys_state_dir(), strerror(-ret));
		return ret;
	}
	ret = lock_take(&lock_fd, &holder);
	if (ret == -EBUSY) {
		fprintf(stderr,
			"hvobench: another run (pid %ld) holds %s/lock; "
			"refusing to run two at once\n",
			holder, sys_state_dir());
		return ret;
	}
	if (ret) {
		if (ret != -ETIMEDOUT)
			fprintf(stderr, "hvobench: cannot lock %s/lock: %s\n",
				sys_state_dir(), strerror(-ret));
		return ret;
	}
	ret = recover_locked();
	global_unlock(); /* taken again at the first kernel write */
	if (ret < 0)
		goto fail;
	ret = path_in_dir(journal_file, sizeof(journal_file), "journal");
	if (ret)
		goto fail;
	nmem = 0;
	restoring = 0;
	owner = getpid();
	ret = arm_handlers();
	if (ret) {
		fprintf(stderr,
			"hvobench: cannot install signal handlers: %s\n",
			strerror(-ret));
		goto fail;
	}
	active = 1;
	return 0;
fail:
	close(lock_fd);
	lock_fd = -1;
	return ret;
}

int sys_end(void)
{
	int failed, ret = 0;

	if (!active)
		return 0;
	restoring = 1;
	failed = journal_restore(mem, nmem, true);
	active = 0;
	if (jfd >= 0) {
		close(jfd);
		jfd = -1;
	}
	if (failed) {
		fprintf(stderr,
			"hvobench: %d value%s not restored; the journal %s "
			"stays for `hvobench restore`\n",
			failed, failed == 1 ? "" : "s", journal_file);
		ret = -EIO;
	} else if (unlink(journal_file) && errno != ENOENT) {
		ret = -errno;
		fprintf(stderr, "hvobench: cannot remove %s: %s\n",
			journal_file, strerror(errno));
	}
	nmem = 0;
	global_unlock();
	close(lock_fd);
	lock_fd = -1;
	return ret;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Append one original value, durably, before anything is changed. */
static int journal_append(const char *path, const char *value)
{
	char line[JOURNAL_PATH_MAX + JOURNAL_VAL_MAX + 4];
	int ret;

	ret = journal_format_entry(line, sizeof(line), path, value);
	if (ret)
		return ret;
	if (jfd < 0) {
		char head[128], boot[64] = "?";

		jfd = open(journal_file,
			   O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
			   0644);
		if (jfd < 0)
			return -errno;
		sys_get("/proc/sys/kernel/random/boot_id", boot, sizeof(boot));
		snprintf(head, sizeof(head), JOURNAL_MAGIC " pid=%ld boot=%s\n",
			 (long)getpid(), boot);
		ret = write_all(jfd, head, strlen(head));
		if (!ret && fsync(jfd))
			ret = -errno;
		if (!ret)
			ret = fsync_dir();
		if (ret)
			return ret;
	}
	ret = write_all(jfd, line, strlen(line));
	if (!ret && fdatasync(jfd))
		ret = -errno;
	return ret;
}

static int raw_write(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, value, strlen(value));
	if (w < 0)
		ret = -errno;
	else if ((size_t)w != strlen(value))
		ret = -EIO;
	close(fd);
	return ret;
}

int sys_journal_path(const char *path)
{
	struct journal_entry *e;
	char orig[JOURNAL_VAL_MAX];
	int ret, n = nmem;

	if (!active) {
		fprintf(stderr,
			"hvobench: refusing to write %s outside a state "
			"session (not root, or sys_begin() not called)\n",
			path);
		return -ENOLCK;
	}
	if (restoring)
		return -EINTR;
	for (int i = 0; i < n; i++)
		if (!strcmp(mem[i].path, path))
			return 0;
	if (n >= JOURNAL_MAX)
		return -ENOSPC;
	if (kernel_path(path)) {
		ret = global_lock();
		if (ret)
			return ret;
	}
	ret = sys_get(path, orig, sizeof(orig));
	if (ret)
		return ret;
	ret = journal_append(path, orig);
	if (ret) {
		fprintf(stderr, "hvobench: cannot journal %s: %s\n", path,
			strerror(-ret));
		return ret;
	}
	e = &mem[n];
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->value, sizeof(e->value), "%s", orig);
	e->vlen = strlen(e->value);
	nmem = n + 1; /* publish only a complete entry to the handler */
	return 0;
}

int sys_set(const char *path, const char *value)
{
	int ret = sys_journal_path(path);

	if (ret)
		return ret;
	return raw_write(path, value);
}

int sys_set_u64(const char *path, uint64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	return sys_set(path, buf);
}

int sys_open_knob(const char *path)
{
	int ret = sys_journal_path(path), fd;

	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sys_knob_write_u64(int fd, uint64_t value)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	ssize_t w;

	if (restoring)
		return -EINTR;
	w = pwrite(fd, buf, (size_t)n, 0);
	if (w < 0)
		return -errno;
	return w == n ? 0 : -EIO;
}
