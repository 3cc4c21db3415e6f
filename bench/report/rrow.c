// SPDX-License-Identifier: GPL-2.0
/* One row of benchmarks[]: its samples of every metric. */
#include "report.h"
#include "rjson.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Google Benchmark's own fields: everything else numeric is a counter. */
static const char *const gb_fields[] = {
	"name",
	"family_index",
	"per_family_instance_index",
	"run_name",
	"run_type",
	"repetitions",
	"repetition_index",
	"threads",
	"iterations",
	"real_time",
	"cpu_time",
	"time_unit",
	"items_per_second",
	"bytes_per_second",
	"aggregate_name",
	"aggregate_unit",
	"label",
	"error_occurred",
	"error_message",
	"hvobench",
	"big_o",
	"rms",
	"complexity",
	NULL,
};

bool rrow_gb_field(const char *k)
{
	/* Most keys of a row are these: first letters first. */
	for (int i = 0; gb_fields[i]; i++)
		if (gb_fields[i][0] == k[0] && !strcmp(gb_fields[i], k))
			return true;
	return false;
}

double rrow_unit_ns(const char *u)
{
	if (!u || !strcmp(u, "ns"))
		return 1;
	if (!strcmp(u, "us"))
		return 1e3;
	if (!strcmp(u, "ms"))
		return 1e6;
	if (!strcmp(u, "s"))
		return 1e9;
	return 0;
}

/* Direction of a user counter from its name; unknown is honest. */
static enum rdir guess_dir(const char *name, enum runit *u)
{
	*u = RU_NONE;
	if (strstr(name, "per_second") || strstr(name, "/s")) {
		*u = RU_PER_S;
		return RDIR_HIGHER;
	}
	if (strstr(name, "_ns") || strstr(name, "latency")) {
		*u = RU_NS;
		return RDIR_LOWER;
	}
	return RDIR_NONE;
}

static int add(struct rbench *b, const char *name, enum rdir dir, enum runit u,
	       double v, char *err, size_t len)
{
	struct rmetric *m;

	if (!isfinite(v)) {
		snprintf(err, len, "%s: %s is not a finite number", b->name,
			 name);
		return -1;
	}
	m = rbench_metric(b, name, dir, u);
	if (!m || rmetric_add(m, v, b->cur_run)) {
		snprintf(err, len, "%s: %s", b->name, strerror(ENOMEM));
		return -1;
	}
	return 0;
}

/* Parameters from hvobench.params, else from "key:value" name parts. */
static int set_params(struct rbench *b, const struct rj *params)
{
	char *copy, *tok, *save = NULL;
	const char *k;
	const struct rj *v;

	if (b->params || b->nparams)
		return 0;
	if (rj_is_obj(params)) {
		b->params = calloc(params->n + 1, sizeof(*b->params));
		if (!b->params)
			return -1;
		rj_object_foreach (params, k, v) {
			struct rkv *kv = &b->params[b->nparams];
			char num[32];
			const char *s = rj_str(v);

			if (!s && rj_is_num(v)) {
				snprintf(num, sizeof(num), "%g", rj_num(v));
				s = num;
			}
			if (!s)
				continue;
			kv->key = rsafe_dup(k);
			kv->val = rsafe_dup(s);
			if (!kv->key || !kv->val)
				return -1;
			b->nparams++;
		}
		return 0;
	}
	copy = strdup(b->name);
	b->params = calloc(strlen(b->name) / 2 + 2, sizeof(*b->params));
	if (!copy || !b->params) {
		free(copy);
		return -1;
	}
	for (tok = strtok_r(copy, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		char *c = strchr(tok, ':');

		if (!c || c == tok)
			continue;
		*c = '\0';
		b->params[b->nparams].key = strdup(tok);
		b->params[b->nparams].val = strdup(c + 1);
		if (!b->params[b->nparams].key || !b->params[b->nparams].val) {
			free(copy);
			return -1;
		}
		b->nparams++;
	}
	free(copy);
	return 0;
}

static int add_hist(struct rbench *b, const char *hname, const struct rj *h,
		    char *err, size_t len)
{
	static const char *const pct[] = {"p50", "p99", NULL};
	const struct rj *buckets = rj_get(h, "buckets"), *bk;
	struct rhist tmp = {0}, *pool;
	char mname[256];
	size_t i;
	int ret = -1;

	if (!rj_is_obj(h))
		return 0;
	pool = rbench_hist(b, hname);
	if (!pool)
		goto oom;
	rj_array_foreach (buckets, i, bk) {
		double lo = rj_num(rj_at(bk, 0));
		double hi = rj_num(rj_at(bk, 1));
		double c = rj_num(rj_at(bk, 2));

		if (rj_len(bk) != 3 || !isfinite(lo) || !isfinite(hi) ||
		    !isfinite(c) || c < 0 || hi < lo) {
			snprintf(err, len, "%s: hist %s: bad bucket %zu",
				 b->name, hname, i);
			goto out;
		}
		if (rhist_add(pool, lo, hi, c) || rhist_add(&tmp, lo, hi, c))
			goto oom;
	}
	rhist_finish(&tmp);
	for (int p = 0; pct[p]; p++) {
		const struct rj *given = rj_get(h, pct[p]);
		double v = rj_is_num(given)
				   ? rj_num(given)
				   : rhist_quantile(&tmp, p ? 0.99 : 0.5);

		if (!rj_is_num(given) && !tmp.n)
			continue; /* an empty histogram has no percentiles */
		snprintf(mname, sizeof(mname), "lat:%s:%s", hname, pct[p]);
		if (add(b, mname, RDIR_LOWER, RU_NS, v, err, len))
			goto out;
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, len, "%s: %s", b->name, strerror(ENOMEM));
out:
	free(tmp.b);
	return ret;
}

/* Kernel counters: per item (page, fault) when known, else per iteration. */
static int add_counters(struct rbench *b, const struct rj *ctrs, char *err,
			size_t len)
{
	const char *k;
	const struct rj *c;

	rj_object_foreach (ctrs, k, c) {
		static const char *const pref[] = {"per_item", "per_iter",
						   "value", NULL};
		char mname[256];

		for (int i = 0; pref[i]; i++) {
			const struct rj *v = rj_get(c, pref[i]);

			/* Unavailable counters carry no number: not data. */
			if (!rj_is_num(v))
				continue;
			snprintf(mname, sizeof(mname), "%s%s", k,
				 i == 0	  ? "/item"
				 : i == 1 ? "/iter"
					  : "");
			if (add(b, mname, RDIR_NONE, RU_NONE, rj_num(v), err,
				len))
				return -1;
			break;
		}
	}
	return 0;
}

/* Pad a vmstat metric with the zeros the writer left out, up to n rows. */
static int vm_pad(const struct rbench *b, struct rmetric *m, size_t n)
{
	while (m->n < n)
		if (rmetric_add(m, 0, b->vm_run[m->n]))
			return -1;
	return 0;
}

/*
 * vmstat deltas cover a whole repetition, whose iteration count differs
 * between instances (and between HVO off and on): normalize per item
 * (page, fault) when the row has items, else per iteration.  Writers list
 * non-zero deltas only, so a key missing from a row that has the object
 * is a zero.
 */
static int add_vmstat(struct rbench *b, const struct rj *vm, double iters,
		      double items, char *err, size_t len)
{
	double div = items > 0 ? items : iters > 0 ? iters : 1;
	const char *unit = items > 0 ? "/item" : iters > 0 ? "/iter" : "";
	const char *k;
	const struct rj *v;

	uint32_t *q;

	if (!rj_is_obj(vm))
		return 0;
	/* The run of every vmstat row, for the zeros padded in later. */
	q = realloc(b->vm_run, (b->vm_rows + 1) * sizeof(*q));
	if (!q)
		goto oom;
	b->vm_run = q;
	q[b->vm_rows] = b->cur_run;
	rj_object_foreach (vm, k, v) {
		char mname[256];
		struct rmetric *m;

		if (!rj_is_num(v))
			continue;
		snprintf(mname, sizeof(mname), "vmstat:%s%s", k, unit);
		m = rbench_metric(b, mname, RDIR_NONE, RU_NONE);
		if (!m || vm_pad(b, m, b->vm_rows))
			goto oom;
		if (add(b, mname, RDIR_NONE, RU_NONE, rj_num(v) / div, err,
			len))
			return -1;
	}
	b->vm_rows++;
	for (size_t i = 0; i < b->nm; i++)
		if (!strncmp(b->m[i].name, "vmstat:", 7) &&
		    vm_pad(b, &b->m[i], b->vm_rows))
			goto oom;
	return 0;
oom:
	snprintf(err, len, "%s: %s", b->name, strerror(ENOMEM));
	return -1;
}

static int add_hvobench(struct rbench *b, const struct rj *row,
			const struct rj *hv, char *err, size_t len)
{
	const struct rj *hists = rj_get(hv, "hist"), *h;
	const char *k;

	rj_object_foreach (hists, k, h) {
		if (add_hist(b, k, h, err, len))
			return -1;
	}
	if (add_counters(b, rj_get(hv, "counters"), err, len))
		return -1;
	return add_vmstat(b, rj_get(hv, "vmstat_delta"),
			  rj_num(rj_get(row, "iterations")),
			  rj_num(rj_get(hv, "items")), err, len);
}

static int time_metric(struct rbench *b, const struct rj *row, const char *f,
		       double scale, char *err, size_t len)
{
	const struct rj *v = rj_get(row, f);

	if (!rj_is_num(v)) {
		snprintf(err, len, "%s: %s missing or not a number", b->name,
			 f);
		return -1;
	}
	if (rj_num(v) < 0) {
		snprintf(err, len, "%s: %s is negative (%g)", b->name, f,
			 rj_num(v));
		return -1;
	}
	return add(b, f, RDIR_LOWER, RU_NS, rj_num(v) * scale, err, len);
}

/*
 * What the runner marks (bench/SCHEMA.md): control rows of an axis, and
 * a declared primary metric.  Files without them are read as before.
 */
static int row_marks(struct rbench *b, const struct rj *hv)
{
	const char *c = rj_str(rj_get(hv, "control_for"));
	const char *p = rj_str(rj_get(hv, "primary"));

	if (c && *c && !b->control_for && !(b->control_for = rsafe_dup(c)))
		return -1;
	if (p && *p && !b->primary && !(b->primary = rsafe_dup(p)))
		return -1;
	return 0;
}

/* A row that is not data: listed with the skipped, with its reason. */
static int skip_row(struct rset *s, const char *name, const char *why,
		    char *err, size_t len)
{
	if (!rset_add_skip(s, name, why))
		return 0;
	snprintf(err, len, "%s: %s", name, strerror(errno));
	return -1;
}

int rrow_add(struct rset *s, const struct rj *row, size_t idx, char *err,
	     size_t len)
{
	const char *name, *rt, *k, *label;
	struct rbench *b;
	double scale;
	const struct rj *v;

	if (!rj_is_obj(row)) {
		snprintf(err, len, "benchmarks[%zu] is not an object", idx);
		return -1;
	}
	name = rj_str(rj_get(row, "name"));
	if (!name || !*name) {
		snprintf(err, len, "benchmarks[%zu] has no name", idx);
		return -1;
	}
	rt = rj_str(rj_get(row, "run_type"));
	/* Aggregates are recomputed from the iteration rows. */
	if ((rt && strcmp(rt, "iteration")) || rj_get(row, "aggregate_name"))
		return 0;
	if (rj_is_true(rj_get(row, "error_occurred"))) {
		const char *m = rj_str(rj_get(row, "error_message"));

		return skip_row(s, name, m ? m : "error_occurred", err, len);
	}
	/* compare.py's sorting fixtures carry rows without any time. */
	if (!rj_get(row, "real_time") && !rj_get(row, "cpu_time"))
		return skip_row(s, name, "row has no real_time or cpu_time",
				err, len);
	scale = rrow_unit_ns(rj_str(rj_get(row, "time_unit")));
	if (!scale) {
		snprintf(err, len, "%s: unknown time_unit", name);
		return -1;
	}
	b = rset_bench(s, name);
	if (!b || set_params(b, rj_get(rj_get(row, "hvobench"), "params")) ||
	    row_marks(b, rj_get(row, "hvobench"))) {
		snprintf(err, len, "%s: %s", name, strerror(ENOMEM));
		return -1;
	}
	b->cur_run = s->nruns ? (uint32_t)(s->nruns - 1) : 0;
	if (time_metric(b, row, "real_time", scale, err, len) ||
	    time_metric(b, row, "cpu_time", scale, err, len))
		return -1;
	b->rows++;
	rj_object_foreach (row, k, v) {
		enum runit u = RU_PER_S;
		enum rdir d = RDIR_HIGHER;
		bool gb;

		if (!rj_is_num(v) || !strcmp(k, "real_time") ||
		    !strcmp(k, "cpu_time"))
			continue;
		gb = rrow_gb_field(k);
		if (gb && strcmp(k, "items_per_second") &&
		    strcmp(k, "bytes_per_second"))
			continue;
		if (!gb)
			d = guess_dir(k, &u);
		if (add(b, k, d, u, rj_num(v), err, len))
			return -1;
	}
	label = rj_str(rj_get(row, "label"));
	if (label && *label && rbench_label(b, label)) {
		snprintf(err, len, "%s: %s", name, strerror(ENOMEM));
		return -1;
	}
	v = rj_get(row, "hvobench");
	if (rj_is_obj(v) && add_hvobench(b, row, v, err, len))
		return -1;
	return 0;
}
