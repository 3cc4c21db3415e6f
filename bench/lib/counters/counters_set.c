// SPDX-License-Identifier: GPL-2.0
/*
 * Opening, starting, stopping and reading a set of perf events.
 *
 * Per-thread events go into groups on the calling thread with inherit=1
 * (worker threads and forked children created later are counted); a
 * group the PMU cannot schedule at once is split into several groups,
 * which perf then multiplexes, hence the scaling.  System-wide (@all)
 * events are opened once per online CPU, grouped per CPU, and summed.
 */
#include "counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define READ_FORMAT                                                            \
	(PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED | \
	 PERF_FORMAT_TOTAL_TIME_RUNNING)
#define MAX_CPUS 1024

struct ctr_fd {
	int fd;
	int ev;		/* event index */
	int nmembers;	/* > 0 for a group leader */
	int cpu;	/* -1: follows the threads */
	uint64_t id;	/* PERF_EVENT_IOC_ID, to map group reads */
	uint64_t *base; /* leader: group read at the last reset */
};

struct ctr_set {
	int n;
	char (*why)[CTR_WHY_LEN]; /* per event, "" while counting */
	struct ctr_fd *fds;
	int nfds, cap;
	uint64_t *buf; /* group read buffer */
	size_t buflen;
};

int ctr_scale(uint64_t raw, uint64_t enabled, uint64_t running, double *value,
	      double *ratio)
{
	if (!enabled) { /* never enabled: the raw count (0) is exact */
		*value = (double)raw;
		*ratio = 1.0;
		return 0;
	}
	if (!running) {
		*value = 0;
		*ratio = 0;
		return -1;
	}
	if (running >= enabled) {
		*value = (double)raw;
		*ratio = 1.0;
		return 0;
	}
	*ratio = (double)running / (double)enabled;
	*value = (double)raw * ((double)enabled / (double)running);
	return 0;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu,
		     int group_fd)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd,
			    PERF_FLAG_FD_CLOEXEC);
}

static int paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int v = 99;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 99;
		fclose(f);
	}
	return v;
}

/* Why perf_event_open said no, in words a reader can act on. */
static void explain(const struct ctr_event *ev, int err, char *why, size_t len)
{
	const char *hint = "";

	switch (err) {
	case ENOENT:
	case ENODEV:
		hint = ev->kind == CTR_HW
			       ? " (this machine has no PMU that counts it)"
			       : " (not supported by this kernel)";
		break;
	case EACCES:
	case EPERM:
		snprintf(why, len,
			 "perf_event_open: %s (perf_event_paranoid=%d: kernel "
			 "mode%s needs <= %d, or root/CAP_PERFMON)",
			 strerror(err), paranoid(),
			 ev->system_wide ? " on every CPU" : "",
			 ev->system_wide ? 0 : 1);
		return;
	case EOPNOTSUPP:
		hint = " (the PMU lacks a feature this event needs)";
		break;
	case EMFILE:
		hint = " (too many open files: raise ulimit -n)";
		break;
	default:
		break;
	}
	snprintf(why, len, "perf_event_open: %s%s", strerror(err), hint);
}

/* Online CPUs from sysfs ("0-3,8"); returns the count. */
static int online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int n = 0, a, b;
	char sep;

	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &a) == 1) {
		b = a;
		sep = (char)fgetc(f);
		if (sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			sep = (char)fgetc(f);
		}
		for (int c = a; c <= b && n < max; c++)
			cpus[n++] = c;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

static int add_fd(struct ctr_set *s, int fd, int ev, bool leader)
{
	struct ctr_fd *f;

	if (s->nfds == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct ctr_fd *nf = realloc(s->fds, (size_t)cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		s->fds = nf;
		s->cap = cap;
	}
	f = &s->fds[s->nfds];
	f->fd = fd;
	f->ev = ev;
	f->nmembers = leader ? 1 : 0;
	f->cpu = -1;
	f->base = NULL;
	if (ioctl(fd, PERF_EVENT_IOC_ID, &f->id))
		return -errno;
	s->nfds++;
	return 0;
}

static void attr_for(const struct ctr_event *ev, struct perf_event_attr *a,
		     bool inherit)
{
	*a = ev->attr;
	a->size = sizeof(*a);
	a->disabled = 1;
	a->inherit = inherit;
	a->read_format = READ_FORMAT;
}

/* Per-thread event i: join the current group, or start a new one. */
static void open_thread_event(struct ctr_set *s, const struct ctr_event *ev,
			      int i, int *leader)
{
	struct perf_event_attr a;
	int fd = -1, rc;

	attr_for(ev, &a, true);
	if (*leader >= 0) {
		fd = perf_open(&a, 0, -1, s->fds[*leader].fd);
		if (fd >= 0) {
			rc = add_fd(s, fd, i, false);
			if (rc) {
				close(fd);
				snprintf(s->why[i], CTR_WHY_LEN, "add_fd: %s",
					 strerror(-rc));
				return;
			}
			s->fds[*leader].nmembers++;
			return;
		}
	}
	/* No group yet, or the group is full: lead a new one. */
	fd = perf_open(&a, 0, -1, -1);
	if (fd < 0) {
		explain(ev, errno, s->why[i], CTR_WHY_LEN);
		return;
	}
	rc = add_fd(s, fd, i, true);
	if (rc) {
		close(fd);
		snprintf(s->why[i], CTR_WHY_LEN, "add_fd: %s", strerror(-rc));
		return;
	}
	*leader = s->nfds - 1;
}

/*
 * System-wide event i: one counter per online CPU, in that CPU's group
 * (one ioctl, hence one IPI, per CPU and edge); all CPUs or none.
 */
static void open_cpu_event(struct ctr_set *s, const struct ctr_event *ev, int i,
			   const int *cpus, int ncpus, int *leaders)
{
	struct perf_event_attr a;
	int first = s->nfds;

	attr_for(ev, &a, false);
	if (!ncpus) {
		snprintf(s->why[i], CTR_WHY_LEN,
			 "no online CPUs in /sys/devices/system/cpu/online");
		return;
	}
	for (int c = 0; c < ncpus; c++) {
		int g = leaders[c] >= 0 ? s->fds[leaders[c]].fd : -1;
		int fd = perf_open(&a, -1, cpus[c], g), rc;

		if (fd < 0 && g >= 0) /* group full: count it on its own */
			fd = perf_open(&a, -1, cpus[c], g = -1);
		if (fd < 0) {
			explain(ev, errno, s->why[i], CTR_WHY_LEN);
			goto undo;
		}
		rc = add_fd(s, fd, i, g < 0);
		if (rc) {
			close(fd);
			snprintf(s->why[i], CTR_WHY_LEN, "cpu %d: add_fd: %s",
				 cpus[c], strerror(-rc));
			goto undo;
		}
		s->fds[s->nfds - 1].cpu = cpus[c];
		if (g < 0)
			leaders[c] = s->nfds - 1;
		else
			s->fds[leaders[c]].nmembers++;
	}
	return;
undo:
	/* Undo this event's fds; one that led a group had no members yet. */
	while (s->nfds > first) {
		struct ctr_fd *f = &s->fds[--s->nfds];

		for (int c = 0; c < ncpus; c++) {
			if (leaders[c] == s->nfds)
				leaders[c] = -1;
			else if (leaders[c] >= 0 && f->cpu == cpus[c] &&
				 !f->nmembers)
				s->fds[leaders[c]].nmembers--;
		}
		close(f->fd);
	}
}

struct ctr_set *ctr_set_open(const struct ctr_event *evs, int n)
{
	struct ctr_set *s = calloc(1, sizeof(*s));
	int *cpus = calloc(MAX_CPUS, sizeof(int));
	int *leaders = calloc(MAX_CPUS, sizeof(int));
	int ncpus, leader = -1;

	if (!s || !cpus || !leaders)
		goto fail;
	s->n = n;
	s->why = calloc((size_t)(n ? n : 1), sizeof(*s->why));
	if (!s->why)
		goto fail;
	ncpus = online_cpus(cpus, MAX_CPUS);
	/*
	 * One kind per group: on 6.18, software events grouped with
	 * tracepoints lose part of their counts (measured: 451 of 4096
	 * faults), so hardware, software and tracepoint events each get
	 * their own groups.
	 */
	for (int k = CTR_HW; k <= CTR_TRACEPOINT; k++) {
		leader = -1;
		for (int c = 0; c < MAX_CPUS; c++)
			leaders[c] = -1;
		for (int i = 0; i < n; i++) {
			if (evs[i].available && (int)evs[i].kind != k)
				continue;
			if (!evs[i].available) {
				if (k == CTR_HW)
					snprintf(s->why[i], CTR_WHY_LEN, "%s",
						 evs[i].why);
			} else if (evs[i].system_wide) {
				open_cpu_event(s, &evs[i], i, cpus, ncpus,
					       leaders);
			} else {
				open_thread_event(s, &evs[i], i, &leader);
			}
		}
	}
	s->buflen = (3 + 2 * (size_t)(n ? n : 1)) * sizeof(uint64_t);
	s->buf = malloc(s->buflen);
	if (!s->buf)
		goto fail;
	free(cpus);
	free(leaders);
	return s;
fail:
	free(cpus);
	free(leaders);
	ctr_set_close(s);
	return NULL;
}

void ctr_set_close(struct ctr_set *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nfds; i++) {
		close(s->fds[i].fd);
		free(s->fds[i].base);
	}
	free(s->fds);
	free(s->why);
	free(s->buf);
	free(s);
}

const char *ctr_set_why(const struct ctr_set *s, int i)
{
	return s->why[i][0] ? s->why[i] : NULL;
}

/* ioctl every group leader: per-CPU groups (sys) or per-thread ones. */
static void each_leader(struct ctr_set *s, unsigned long req, bool sys)
{
	for (int i = 0; i < s->nfds; i++)
		if (s->fds[i].nmembers && (s->fds[i].cpu >= 0) == sys)
			ioctl(s->fds[i].fd, req, PERF_IOC_FLAG_GROUP);
}

/*
 * RESET zeroes a counter's own count but neither its enabled/running
 * times nor what exited inherited children added to it, so calibration
 * runs' children would leak into the measured one: keep a baseline read
 * and subtract it (ctr_set_read).
 */
void ctr_set_reset(struct ctr_set *s)
{
	each_leader(s, PERF_EVENT_IOC_RESET, true);
	each_leader(s, PERF_EVENT_IOC_RESET, false);
	for (int i = 0; i < s->nfds; i++) {
		struct ctr_fd *f = &s->fds[i];

		if (!f->nmembers)
			continue;
		if (!f->base && !(f->base = calloc(1, s->buflen)))
			continue;
		if (read(f->fd, f->base, s->buflen) <
		    (ssize_t)(3 * sizeof(uint64_t)))
			memset(f->base, 0, s->buflen);
	}
}

/* Subtract the baseline of a leader's group read, member by member. */
static void sub_base(const struct ctr_fd *f, uint64_t *b)
{
	const uint64_t *base = f->base;

	if (!base || base[0] != b[0])
		return;
	b[1] -= base[1];
	b[2] -= base[2];
	for (uint64_t k = 0; k < b[0]; k++)
		if (base[3 + 2 * k + 1] == b[3 + 2 * k + 1])
			b[3 + 2 * k] -= base[3 + 2 * k];
}

/*
 * Toggling a counter on another CPU sends it an IPI.  The per-thread
 * counters are enabled last and disabled first so they never see those
 * IPIs; the system-wide ones see one per remote CPU and edge (the
 * extension records that floor as empty_region_count).
 */
void ctr_set_enable(struct ctr_set *s)
{
	each_leader(s, PERF_EVENT_IOC_ENABLE, true);
	each_leader(s, PERF_EVENT_IOC_ENABLE, false);
}

void ctr_set_disable(struct ctr_set *s)
{
	each_leader(s, PERF_EVENT_IOC_DISABLE, false);
	each_leader(s, PERF_EVENT_IOC_DISABLE, true);
}

static int fd_of_id(const struct ctr_set *s, uint64_t id)
{
	for (int i = 0; i < s->nfds; i++)
		if (s->fds[i].id == id)
			return i;
	return -1;
}

/* Fold one group read into vals. */
static void fold_group(const struct ctr_set *s, const uint64_t *b,
		       struct ctr_value *vals)
{
	uint64_t nr = b[0], enabled = b[1], running = b[2];

	for (uint64_t k = 0; k < nr; k++) {
		int f = fd_of_id(s, b[3 + 2 * k + 1]);
		struct ctr_value *v;
		double val, ratio;

		if (f < 0)
			continue;
		v = &vals[s->fds[f].ev];
		if (ctr_scale(b[3 + 2 * k], enabled, running, &val, &ratio)) {
			v->ok = false;
			snprintf(v->why, sizeof(v->why),
				 "never scheduled (multiplexed out for the "
				 "whole region)");
			continue;
		}
		v->value += val;
		if (ratio < v->ratio)
			v->ratio = ratio;
	}
}

int ctr_set_read(struct ctr_set *s, struct ctr_value *vals)
{
	int rc = 0;

	for (int i = 0; i < s->n; i++) {
		memset(&vals[i], 0, sizeof(vals[i]));
		vals[i].ok = !s->why[i][0];
		vals[i].ratio = 1.0;
		if (!vals[i].ok)
			snprintf(vals[i].why, sizeof(vals[i].why), "%s",
				 s->why[i]);
	}
	for (int i = 0; i < s->nfds; i++) {
		ssize_t got;

		if (!s->fds[i].nmembers)
			continue;
		got = read(s->fds[i].fd, s->buf, s->buflen);
		if (got < (ssize_t)(3 * sizeof(uint64_t))) {
			struct ctr_value *v = &vals[s->fds[i].ev];

			rc = got < 0 ? -errno : -EIO;
			v->ok = false;
			snprintf(v->why, sizeof(v->why), "read: %s",
				 strerror(-rc));
			continue;
		}
		sub_base(&s->fds[i], s->buf);
		fold_group(s, s->buf, vals);
	}
	return rc;
}
