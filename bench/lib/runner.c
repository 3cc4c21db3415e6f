// SPDX-License-Identifier: GPL-2.0
/*
 * Running one instance: requirements, calibration of the iteration count,
 * warm-up, repetitions and threads.  One "run" is setup, the body over a
 * fixed iteration count, teardown.
 */
#include "harness.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ITERS 1000000000ull

double unit_scale(const char *unit)
{
	if (!unit || !strcmp(unit, "ns"))
		return 1e9;
	if (!strcmp(unit, "us"))
		return 1e6;
	if (!strcmp(unit, "ms"))
		return 1e3;
	return 1;
}

/* CONFIG_ value from /proc/config.gz or /boot/config-$(uname -r). */
static bool kconfig_enabled(const char *opt, bool *known)
{
	static char *cfg;
	static bool loaded;

	if (!loaded) {
		loaded = true;
		FILE *f = popen("(zcat /proc/config.gz || cat "
				"/boot/config-$(uname -r)) 2>/dev/null",
				"r");
		size_t cap = 0, len = 0;
		char buf[4096];
		size_t n;

		while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
			char *nc = realloc(cfg, cap = len + n + 1);

			if (!nc)
				break;
			cfg = nc;
			memcpy(cfg + len, buf, n);
			len += n;
			cfg[len] = '\0';
		}
		if (f)
			pclose(f);
	}
	*known = cfg != NULL;
	if (!cfg)
		return false;
	char needle[128];

	snprintf(needle, sizeof(needle),
		 "\n%s%s=", strncmp(opt, "CONFIG_", 7) ? "CONFIG_" : "", opt);
	const char *p = strstr(cfg, needle);

	return p && (p[strlen(needle)] == 'y' || p[strlen(needle)] == 'm');
}

static uint64_t mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kb * 1024;
}

/* 0 if runnable, else 1 with the reason. */
static int check_reqs(const struct bench_state *st, char *why, size_t len)
{
	const struct bench_reqs *r = &st->inst->def->reqs;

	if (r->root && geteuid() != 0)
		return snprintf(why, len, "needs root"), 1;
	if (r->path && access(r->path, F_OK))
		return snprintf(why, len, "%s: %s", r->path, strerror(errno)),
		       1;
	if (r->writable && access(r->writable, W_OK))
		return snprintf(why, len, "%s not writable: %s", r->writable,
				strerror(errno)),
		       1;
	if (r->kconfig) {
		bool known;

		if (!kconfig_enabled(r->kconfig, &known))
			return snprintf(why, len,
					known ? "kernel lacks %s"
					      : "kernel config unreadable "
						"(need %s)",
					r->kconfig),
			       1;
	}
	if (r->min_mem_avail && mem_available() < r->min_mem_avail)
		return snprintf(why, len, "needs %llu MiB MemAvailable",
				(unsigned long long)(r->min_mem_avail >> 20)),
		       1;
	if (r->check)
		return r->check(st, why, len) ? 1 : 0;
	return 0;
}

static void state_init(struct bench_state *st, const struct bench_instance *in,
		       struct bench_run *run, uint64_t iters, int thread)
{
	memset(st, 0, sizeof(*st));
	st->run = run;
	st->inst = in;
	st->quick = bench_opts.suite && !strcmp(bench_opts.suite, "quick");
	st->max_iters = iters;
	st->thread_index = thread;
}

static void state_free(struct bench_state *st)
{
	for (int i = 0; i < st->nhist; i++)
		free(st->hist[i]);
	for (int i = 0; i < st->ndata; i++)
		free(st->data[i].data);
	st->nhist = st->ndata = 0;
}

struct worker {
	pthread_t tid;
	struct bench_state st;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	EXT_CALL(thread_init, &w->st);
	w->st.inst->def->fn(&w->st);
	/* A body that returned before its loop still owes the gate a wait. */
	if (!w->st.started) {
		w->st.started = w->st.finished = true;
		pthread_barrier_wait(&w->st.run->barrier);
	}
	return NULL;
}

/* Fold a worker's state into the main one. */
static void merge_state(struct bench_state *dst, struct bench_state *src)
{
	if (src->wall_ns > dst->wall_ns)
		dst->wall_ns = src->wall_ns;
	if (src->manual_s > dst->manual_s)
		dst->manual_s = src->manual_s;
	dst->cpu_ns += src->cpu_ns;
	dst->items += src->items;
	dst->bytes += src->bytes;
	for (int i = 0; i < src->nctr; i++) {
		double v = src->ctr[i].value;
		int j;

		for (j = 0; j < dst->nctr; j++)
			if (!strcmp(dst->ctr[j].name, src->ctr[i].name))
				break;
		if (j == dst->nctr && dst->nctr < MAX_USER_CTR) {
			dst->ctr[dst->nctr++] = src->ctr[i];
		} else if (j < dst->nctr) {
			dst->ctr[j].value += v;
		}
	}
	for (int i = 0; i < src->nhist; i++)
		hist_merge(bench_hist(dst, src->hist[i]->name), src->hist[i]);
	if (!dst->label[0])
		memcpy(dst->label, src->label, sizeof(dst->label));
}

/* One run of the body over iters iterations (per thread). */
static int run_once(const struct bench_instance *in, struct bench_run *run,
		    uint64_t iters, struct bench_state *st)
{
	const struct bench_def *def = in->def;
	int threads = in->threads;

	state_init(st, in, run, iters, 0);
	if (def->setup)
		def->setup(st);
	if (run->skipped || run->failed)
		goto out;
	if (threads == 1) {
		def->fn(st);
		if (st->started && !st->finished) {
			/* Body returned early (skip/error) mid-loop. */
			st->left = 0;
			bench_loop_slow(st);
		}
		goto teardown;
	}

	struct worker *w = calloc((size_t)threads, sizeof(*w));
	int created = 0;

	if (!w) {
		bench_error(st, "out of memory for %d threads", threads);
		goto teardown;
	}
	pthread_barrier_init(&run->barrier, NULL, (unsigned int)threads);
	EXT_CALL(start, st);
	for (; created < threads; created++) {
		state_init(&w[created].st, in, run, iters, created);
		if (pthread_create(&w[created].tid, NULL, worker_main,
				   &w[created])) {
			bench_error(st, "pthread_create: %s", strerror(errno));
			break;
		}
	}
	if (created < threads) {
		/* The barrier can never fill: nothing we can release safely. */
		fprintf(stderr, "fatal: could not start %d threads\n", threads);
		exit(1);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(w[i].tid, NULL);
		merge_state(st, &w[i].st);
		state_free(&w[i].st);
	}
	EXT_EACH(stop, st, true);
	st->started = st->finished = true;
	pthread_barrier_destroy(&run->barrier);
	free(w);
teardown:
	if (def->teardown)
		def->teardown(st);
out:
	return run->skipped || run->failed ? -1 : 0;
}

static double run_seconds(const struct bench_state *st)
{
	if (st->inst->def->manual_time)
		return st->manual_s;
	return (double)st->wall_ns / 1e9;
}

static void fill_result(struct bench_result *r, struct bench_state *st,
			const struct bench_run *run, uint64_t iters)
{
	const struct bench_instance *in = st->inst;
	double scale = unit_scale(in->def->unit);

	r->skipped = run->skipped;
	r->failed = run->failed;
	memcpy(r->reason, run->reason, sizeof(r->reason));
	r->unit = in->def->unit ? in->def->unit : "ns";
	if (r->skipped || r->failed)
		return;
	r->iterations = iters * (uint64_t)in->threads;
	r->real_s = run_seconds(st);
	r->cpu_s = (double)st->cpu_ns / 1e9;
	r->real_time = r->real_s * scale / (double)r->iterations;
	r->cpu_time = r->cpu_s * scale / (double)r->iterations;
	r->items = st->items;
	r->bytes = st->bytes;
	r->nctr = st->nctr;
	memcpy(r->ctr, st->ctr, sizeof(r->ctr));
	/* The result takes ownership of the histograms. */
	r->nhist = st->nhist;
	memcpy(r->hist, st->hist, sizeof(r->hist));
	st->nhist = 0;
	memcpy(r->label, st->label, sizeof(r->label));
	r->nvalues = st->nvalues;
	memcpy(r->values, st->values, sizeof(r->values));
	json_t *obj = json_object();

	for (int i = 0; i < bench_ext_count(); i++)
		if (bench_ext_at(i)->row)
			bench_ext_at(i)->row(st, obj);
	r->ext_json = obj;
}

void bench_result_free(struct bench_result *r)
{
	for (int i = 0; i < r->nhist; i++)
		free(r->hist[i]);
	r->nhist = 0;
	if (r->ext_json)
		json_decref(r->ext_json);
	r->ext_json = NULL;
}

static struct bench_result *new_result(struct bench_result **res, int *nres,
				       const struct bench_instance *in)
{
	struct bench_result *nr =
		realloc(*res, (size_t)(*nres + 1) * sizeof(**res));

	if (!nr) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	*res = nr;
	memset(&nr[*nres], 0, sizeof(nr[0]));
	nr[*nres].inst = in;
	return &nr[(*nres)++];
}

static void run_reset(struct bench_run *run)
{
	memset(run, 0, sizeof(*run));
	pthread_mutex_init(&run->lock, NULL);
}

/* Google Benchmark's growth: aim 40% past min_time, at most 10x a step. */
static uint64_t next_iters(uint64_t iters, double secs, double min_time)
{
	double mult = secs <= 1e-9 ? 10 : min_time * 1.4 / secs;

	if (secs / min_time <= 0.1 && mult > 10)
		mult = 10;
	double next = (double)iters * mult;

	if (next > (double)MAX_ITERS)
		next = (double)MAX_ITERS;
	return next <= (double)iters ? iters + 1 : (uint64_t)next;
}

int bench_run_instance(const struct bench_instance *in,
		       struct bench_result **res, int *nres)
{
	const struct bench_def *def = in->def;
	int reps = bench_opts.repetitions ? bench_opts.repetitions
		   : def->repetitions	  ? def->repetitions
					  : 1;
	double min_time = bench_opts.min_time >= 0 ? bench_opts.min_time
			  : def->min_time > 0	   ? def->min_time
						   : 0.5;
	struct bench_run run;
	struct bench_state st;
	uint64_t iters = def->iterations;
	int rc = 0;

	run_reset(&run);
	state_init(&st, in, &run, 0, 0);
	char why[BENCH_MAX_REASON];

	if (check_reqs(&st, why, sizeof(why))) {
		struct bench_result *r = new_result(res, nres, in);

		r->skipped = true;
		r->repetitions = reps;
		snprintf(r->reason, sizeof(r->reason), "%s", why);
		return 0;
	}
	EXT_CALL(instance_begin, &st);
	/* Warm-up: whole runs until --warmup seconds have passed. */
	if (bench_opts.warmup > 0) {
		uint64_t t_end =
			bench_now_ns() + (uint64_t)(bench_opts.warmup * 1e9);
		uint64_t w = iters ? iters : 1;

		while (bench_now_ns() < t_end) {
			run_reset(&run);
			int failed = run_once(in, &run, w, &st);

			double secs = run_seconds(&st);

			state_free(&st);
			if (failed)
				break;
			if (!iters)
				w = next_iters(w, secs, bench_opts.warmup);
		}
	}
	for (int rep = 0; rep < reps; rep++) {
		run_reset(&run);
		if (!iters) {
			/* Calibrate once; later repetitions reuse the count. */
			uint64_t n = 1;

			for (;;) {
				if (run_once(in, &run, n, &st))
					break;
				double secs = run_seconds(&st);

				if (secs >= min_time || n >= MAX_ITERS)
					break;
				state_free(&st);
				run_reset(&run);
				n = next_iters(n, secs, min_time);
			}
			iters = n;
		} else {
			run_once(in, &run, iters, &st);
		}
		struct bench_result *r = new_result(res, nres, in);

		r->repetition = rep;
		r->repetitions = reps;
		fill_result(r, &st, &run, iters);
		state_free(&st);
		if (run.skipped || run.failed) {
			rc = run.failed ? -1 : 0;
			break;
		}
	}
	EXT_CALL(instance_end, &st);
	state_free(&st);
	return rc;
}
