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

/*
 * A body that returns before its loop is done, with no skip or error
 * given, would have its time divided by iterations it never ran: an error
 * (Google Benchmark does the same).  Ends the timed region if still open.
 */
static void check_early_exit(struct bench_state *st)
{
	bool ok = st->run->skipped || st->run->failed;
	uint64_t done = st->max_iters - st->left;

	if (st->started && !st->finished) {
		st->left = 0;
		bench_loop_slow(st);
		if (!ok && st->ranged)
			bench_error(st, "body left bench_range() early");
		else if (!ok)
			bench_error(st,
				    "body left its loop early, after %llu of "
				    "%llu iterations",
				    (unsigned long long)done,
				    (unsigned long long)st->max_iters);
	} else if (!st->started && !ok) {
		bench_error(st, "body returned without running its loop");
	}
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
	check_early_exit(&w->st);
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
		check_early_exit(st);
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

/* A kernel-state axis, or a param .group_by names: what a set compares. */
bool bench_param_compared(const struct bench_instance *in, int p)
{
	return bench_axis_find(in->pname[p]) >= 0 ||
	       (in->def->group_by &&
		bench_word_in(in->def->group_by, in->pname[p]));
}

bool bench_same_set(const struct bench_instance *a,
		    const struct bench_instance *b)
{
	if (a->def != b->def || a->nparams != b->nparams)
		return false;
	for (int p = 0; p < a->nparams; p++)
		if (!bench_param_compared(a, p) &&
		    strcmp(a->pvalue[p], b->pvalue[p]))
			return false;
	return true;
}

/* The instance's value of axis ax, or NULL (the run's starting state). */
static const char *axis_value(const struct bench_instance *in,
			      const struct bench_axis *ax)
{
	for (int k = 0; k < in->naxes; k++)
		if (!strcmp(in->pname[in->axis_param[k]], ax->name))
			return in->pvalue[in->axis_param[k]];
	return NULL;
}

/* Put every registered axis where the instance wants it: 0, 1 skip, -1. */
static int apply_axes(const struct bench_instance *in, char *why, size_t len)
{
	for (int a = 0; a < bench_axis_count(); a++) {
		const struct bench_axis *ax = bench_axis_at(a);
		const char *v = axis_value(in, ax);
		char msg[BENCH_MAX_REASON - 32] = "";
		int rc = ax->apply(v, msg, sizeof(msg));

		if (rc) {
			snprintf(why, len, "axis %s:%s: %s", ax->name,
				 v ? v : "(run start)", msg);
			return rc;
		}
	}
	return 0;
}

/* Record the state in force; a labelled axis that did not hold fails. */
static void observe_axes(struct bench_result *r)
{
	for (int a = 0; a < bench_axis_count() && a < MAX_AXES; a++) {
		const struct bench_axis *ax = bench_axis_at(a);
		const char *v = axis_value(r->inst, ax);

		ax->observe(r->observed[a], sizeof(r->observed[a]));
		if (v && strcmp(v, r->observed[a]) && !r->skipped &&
		    !r->failed) {
			r->failed = true;
			snprintf(r->reason, sizeof(r->reason),
				 "axis %s: asked %s, observed %s", ax->name, v,
				 r->observed[a]);
		}
	}
}

struct member {
	const struct bench_instance *in;
	struct bench_result **res;
	int *nres;
	bool active;
	uint64_t iters; /* 0 until calibrated */
};

static int set_reps(const struct bench_instance *in)
{
	int reps = bench_opts.repetitions ? bench_opts.repetitions
					  : inst_repetitions(in);

	return reps > 0 ? reps : 1;
}

static double set_min_time(const struct bench_instance *in)
{
	if (bench_opts.min_time >= 0)
		return bench_opts.min_time;
	return inst_min_time(in) > 0 ? inst_min_time(in) : 0.5;
}

/* Discarded runs of one member with its axes applied. */
static void warm_member(struct member *m)
{
	const struct bench_instance *in = m->in;
	uint64_t iters = inst_iterations(in), w = iters ? iters : 1;
	uint64_t t_end = bench_now_ns() + (uint64_t)(bench_opts.warmup * 1e9);
	struct bench_run run;
	struct bench_state st;
	char why[BENCH_MAX_REASON];

	run_reset(&run);
	state_init(&st, in, &run, 0, 0);
	if (apply_axes(in, why, sizeof(why)))
		return; /* the first measured block reports it */
	EXT_CALL(instance_begin, &st);
	do {
		run_reset(&run);
		int failed = run_once(in, &run, w, &st);
		double secs = run_seconds(&st);

		state_free(&st);
		if (failed)
			break;
		if (!iters && bench_opts.warmup > 0)
			w = next_iters(w, secs, bench_opts.warmup);
	} while (bench_now_ns() < t_end);
	EXT_CALL(instance_end, &st);
	state_free(&st);
}

/* One measured block: axes, calibration the first time, one run. */
static void run_block(struct member *m, int round, int block)
{
	const struct bench_instance *in = m->in;
	double min_time = set_min_time(in);
	struct bench_run run;
	struct bench_state st;
	struct bench_result *r;
	char why[BENCH_MAX_REASON];
	int rc;

	run_reset(&run);
	state_init(&st, in, &run, 0, 0);
	r = new_result(m->res, m->nres, in);
	r->repetition = r->round = round;
	r->block = block;
	rc = apply_axes(in, why, sizeof(why));
	if (rc) {
		r->skipped = rc > 0;
		r->failed = rc < 0;
		snprintf(r->reason, sizeof(r->reason), "%s", why);
		m->active = false;
		return;
	}
	EXT_CALL(instance_begin, &st);
	if (!m->iters && inst_iterations(in)) {
		m->iters = inst_iterations(in);
	} else if (!m->iters) {
		/* Calibrate once; later blocks reuse the count. */
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
		m->iters = n;
		goto measured;
	}
	run_once(in, &run, m->iters, &st);
measured:
	fill_result(r, &st, &run, m->iters);
	observe_axes(r);
	EXT_CALL(instance_end, &st);
	state_free(&st);
	if (r->skipped || r->failed)
		m->active = false;
}

/* Two-sided 95% Student t quantile. */
static double t975(int df)
{
	static const double t[] = {
		0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
		2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
		2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
		2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};

	if (df < 1)
		return NAN;
	return df <= 30 ? t[df] : 1.96 + 2.4 / df;
}

static double row_time(const struct bench_result *r)
{
	return r->real_time;
}

/*
 * Mean log ratio of each complete A B, B A cycle: rounds 2j and 2j+1.
 * Consecutive rounds are correlated (drift slower than a round) and each
 * side runs first in one of the two, so single rounds are not the
 * independent samples a t interval assumes: of 60 A/A trials on the
 * quiet build VM a per-round t test rejected 9 (15%) at 5%, one per cycle
 * 4 (6.7%) (results/detection-power/README.md).
 * Returns the number of cycles written over x.
 */
static int cycles(double *x, const int *rd, int cnt)
{
	int n = 0;

	for (int i = 0; i + 1 < cnt; i++)
		if (rd[i] % 2 == 0 && rd[i + 1] == rd[i] + 1)
			x[n++] = (x[i] + x[i + 1]) / 2;
	return n;
}

/*
 * Relative half-width of the 95% CI the set has reached: with axes, of
 * each member's time over member 0's (paired by round, on the log scale:
 * rounds share their drift; one sample per A B, B A cycle); alone, of
 * the mean time.  NAN if unknown.
 */
static double set_ci(struct member *m, int n)
{
	double worst = 0;

	for (int k = n > 1 ? 1 : 0; k < n; k++) {
		int cnt = 0, nk = *m[k].nres, n0 = *m[0].nres;
		double x[nk > 0 ? nk : 1];
		int rd[nk > 0 ? nk : 1];

		for (int i = 0; i < nk; i++) {
			const struct bench_result *b = &(*m[k].res)[i];

			if (b->skipped || b->failed || !(row_time(b) > 0))
				continue;
			if (n == 1) {
				x[cnt++] = row_time(b);
				continue;
			}
			for (int j = 0; j < n0; j++) {
				const struct bench_result *a = &(*m[0].res)[j];

				if (a->round == b->round && !a->skipped &&
				    !a->failed && row_time(a) > 0) {
					rd[cnt] = b->round;
					x[cnt++] =
						log(row_time(b) / row_time(a));
				}
			}
		}
		if (n > 1)
			cnt = cycles(x, rd, cnt);
		if (cnt < 2)
			return NAN;
		struct stats s;

		stats_compute(x, (size_t)cnt, &s);
		double hw = t975(cnt - 1) * s.stddev / sqrt(cnt);
		double rel = n == 1 ? hw / s.mean : expm1(hw);

		if (!(rel <= worst))
			worst = rel;
	}
	return worst;
}

uint64_t bench_run_t0;

int bench_run_set(const struct bench_instance *const *members, int n,
		  struct bench_result **res, int *nres, int *block)
{
	const struct bench_instance *in0 = members[0];
	struct member m[n];
	int reps = set_reps(in0), active = 0, round = 0, rounds = 0, rc = 0;
	double precision = inst_precision(in0), budget = inst_budget(in0);
	uint64_t t0 = bench_now_ns();
	const char *stop = "rounds";
	double ci = NAN;

	if (precision > 0 && reps < 5)
		reps = 5; /* fewer pairs cannot give a useful interval */
	for (int k = 0; k < n; k++) {
		struct bench_run run;
		struct bench_state st;
		char why[BENCH_MAX_REASON];

		m[k] = (struct member){.in = members[k],
				       .res = &res[k],
				       .nres = &nres[k],
				       .active = true};
		run_reset(&run);
		state_init(&st, members[k], &run, 0, 0);
		if (check_reqs(&st, why, sizeof(why))) {
			struct bench_result *r =
				new_result(m[k].res, m[k].nres, members[k]);

			r->skipped = true;
			snprintf(r->reason, sizeof(r->reason), "%s", why);
			m[k].active = false;
		}
		active += m[k].active;
	}
	/*
	 * Warm-up per set, not per family: a 4096-page grow touches guest
	 * memory no smaller instance did (its first run took 1.03 s, later
	 * ones 0.09 s, after a per-family warm-up).
	 */
	if (active && !in0->def->no_warmup) {
		for (int k = 0; k < n; k++)
			if (m[k].active)
				warm_member(&m[k]);
	}
	for (; active; round++) {
		for (int i = 0; i < n; i++) {
			/* A B, B A, A B ...: order hits both sides alike. */
			struct member *mm = &m[round % 2 ? n - 1 - i : i];

			if (mm->active)
				run_block(mm, round, (*block)++);
		}
		rounds++;
		active = 0;
		for (int k = 0; k < n; k++)
			active += m[k].active;
		if (!active) {
			stop = "failed";
			break;
		}
		if (round + 1 < reps)
			continue;
		if (precision <= 0)
			break;
		double el = (double)(bench_now_ns() - t0) / 1e9;

		ci = set_ci(m, n);
		if (ci <= precision) {
			stop = "precision";
			break;
		}
		if (el >= budget) {
			stop = "budget";
			break;
		}
		if (bench_opts.run_budget > 0 &&
		    (double)(bench_now_ns() - bench_run_t0) / 1e9 >=
			    bench_opts.run_budget) {
			stop = "run-budget";
			break;
		}
		if (round + 1 >= 1000) {
			stop = "max-rounds";
			break;
		}
	}
	if (isnan(ci) && n)
		ci = set_ci(m, n);
	for (int k = 0; k < n; k++) {
		for (int i = 0; i < nres[k]; i++) {
			res[k][i].stop = stop;
			res[k][i].ci = ci;
			res[k][i].repetitions = rounds;
			if (res[k][i].failed)
				rc = -1;
		}
	}
	return rc;
}
