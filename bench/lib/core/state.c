// SPDX-License-Identifier: GPL-2.0
/* The state API the benchmark bodies call. */
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void ext_each_pause(struct bench_state *st, bool pause)
{
	if (st->thread_index || st->inst->threads > 1)
		return;
	if (pause)
		EXT_EACH(pause, st, true);
	else
		EXT_EACH(resume, st, false);
}

static void ext_each_edge(struct bench_state *st, bool start)
{
	/* Threaded runs call these from the runner, around the workers. */
	if (st->inst->threads > 1)
		return;
	if (start)
		EXT_EACH(start, st, false);
	else
		EXT_EACH(stop, st, true);
}

static void timing_start(struct bench_state *st)
{
	st->cpu0 = bench_thread_cpu_ns();
	st->t0 = bench_now_ns();
}

static void timing_stop(struct bench_state *st)
{
	uint64_t t = bench_now_ns();

	st->wall_ns += t - st->t0;
	st->cpu_ns += bench_thread_cpu_ns() - st->cpu0;
}

bool bench_loop_slow(struct bench_state *st)
{
	if (!st->started) {
		st->started = true;
		/* Every worker passes the gate once, even a failed one. */
		if (st->inst->threads > 1)
			pthread_barrier_wait(&st->run->barrier);
		if (st->run->skipped || st->run->failed || !st->max_iters) {
			st->finished = true;
			return false;
		}
		ext_each_edge(st, true);
		st->t_begin = bench_now_ns();
		timing_start(st);
		st->left = st->max_iters - 1;
		return true;
	}
	if (st->finished)
		return false;
	if (!st->paused)
		timing_stop(st);
	st->t_end = bench_now_ns();
	ext_each_edge(st, false);
	st->finished = true;
	return false;
}

uint64_t bench_loop_begin(struct bench_state *st)
{
	if (!bench_loop_slow(st))
		return 0;
	/* The caller counts; the first iteration is already granted. */
	uint64_t n = st->left + 1;

	st->ranged = true;
	st->left = 0;
	return n;
}

bool bench_loop_end(struct bench_state *st)
{
	st->left = 0;
	return bench_loop_slow(st);
}

uint64_t bench_iterations(const struct bench_state *st)
{
	return st->max_iters;
}

void bench_pause(struct bench_state *st)
{
	if (st->paused || !st->started || st->finished)
		return;
	timing_stop(st);
	st->paused = true;
	ext_each_pause(st, true);
}

void bench_resume(struct bench_state *st)
{
	if (!st->paused)
		return;
	ext_each_pause(st, false);
	st->paused = false;
	timing_start(st);
}

void bench_set_iteration_time(struct bench_state *st, double seconds)
{
	st->manual_s += seconds;
}

void bench_set_items(struct bench_state *st, int64_t items)
{
	st->items = items;
}

void bench_set_bytes(struct bench_state *st, int64_t bytes)
{
	st->bytes = bytes;
}

int64_t bench_items(const struct bench_state *st)
{
	return st->items;
}

static int param_index(const struct bench_state *st, const char *name)
{
	for (int i = 0; i < st->inst->nparams; i++)
		if (!strcmp(st->inst->pname[i], name))
			return i;
	return -1;
}

bool bench_has_arg(const struct bench_state *st, const char *name)
{
	return param_index(st, name) >= 0;
}

const char *bench_arg_str(const struct bench_state *st, const char *name)
{
	int i = param_index(st, name);

	return i < 0 ? NULL : st->inst->pvalue[i];
}

int64_t bench_arg(const struct bench_state *st, const char *name)
{
	const char *s = bench_arg_str(st, name);
	int64_t v;

	if (!s || param_parse_int(s, &v))
		return -1;
	return v;
}

const char *bench_instance_name(const struct bench_state *st)
{
	return st->inst->name;
}

int bench_thread_index(const struct bench_state *st)
{
	return st->thread_index;
}

int bench_threads(const struct bench_state *st)
{
	return st->inst->threads;
}

bool bench_quick(const struct bench_state *st)
{
	return st->quick;
}

static void set_outcome(struct bench_state *st, bool skip, const char *fmt,
			va_list ap)
{
	struct bench_run *run = st->run;

	pthread_mutex_lock(&run->lock);
	if (!run->skipped && !run->failed) {
		vsnprintf(run->reason, sizeof(run->reason), fmt, ap);
		if (skip)
			run->skipped = true;
		else
			run->failed = true;
	}
	pthread_mutex_unlock(&run->lock);
	st->left = 0; /* the next bench_loop() ends the loop */
}

void bench_skip(struct bench_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(st, true, fmt, ap);
	va_end(ap);
}

void bench_error(struct bench_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_outcome(st, false, fmt, ap);
	va_end(ap);
}

bool bench_skipped(const struct bench_state *st)
{
	return st->run->skipped || st->run->failed;
}

void bench_counter(struct bench_state *st, const char *name, double value,
		   unsigned int flags)
{
	int i;

	for (i = 0; i < st->nctr; i++)
		if (!strcmp(st->ctr[i].name, name))
			break;
	if (i == st->nctr) {
		if (st->nctr == MAX_USER_CTR)
			return;
		snprintf(st->ctr[i].name, sizeof(st->ctr[i].name), "%s", name);
		st->nctr++;
	}
	st->ctr[i].value = value;
	st->ctr[i].flags = flags;
}

void bench_label(struct bench_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->label, sizeof(st->label), fmt, ap);
	va_end(ap);
}

struct bench_hist *bench_hist(struct bench_state *st, const char *name)
{
	for (int i = 0; i < st->nhist; i++)
		if (!strcmp(st->hist[i]->name, name))
			return st->hist[i];
	if (st->nhist == MAX_HIST)
		return st->hist[MAX_HIST - 1];
	struct bench_hist *h = malloc(sizeof(*h));

	if (!h) /* recording into a shared sink beats crashing the run */
		return st->hist[0];
	hist_init(h, name);
	st->hist[st->nhist++] = h;
	return h;
}

void *bench_ext_data(struct bench_state *st, const char *key, size_t size)
{
	for (int i = 0; i < st->ndata; i++)
		if (!strcmp(st->data[i].key, key))
			return st->data[i].data;
	if (st->ndata == MAX_EXT_DATA)
		return NULL;
	void *p = calloc(1, size);

	if (p) {
		st->data[st->ndata].key = key;
		st->data[st->ndata++].data = p;
	}
	return p;
}

void bench_ext_value(struct bench_state *st, const char *name, double value,
		     const char *note)
{
	if (st->nvalues == MAX_EXT_VALUES)
		return;
	struct ext_value *v = &st->values[st->nvalues++];

	snprintf(v->name, sizeof(v->name), "%s", name);
	v->value = value;
	snprintf(v->note, sizeof(v->note), "%s", note ? note : "");
}

void bench_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void bench_opt_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
