// SPDX-License-Identifier: GPL-2.0
/* Machine-readable report (top-level key "hvobench_report", not a result). */
#include "report.h"
#include "rjw.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* JSON has no NaN: undefined values become null. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *side(const struct rset *s, const char *label)
{
	json_t *o = json_pack("{s:s,s:s,s:[]}", "label", label, "path",
			      s->label, "runs"),
	       *sk = json_array();

	for (size_t i = 0; o && i < s->nruns; i++)
		json_array_append_new(json_object_get(o, "runs"),
				      json_string(s->runs[i].path));
	for (size_t i = 0; sk && i < s->nskip; i++)
		json_array_append_new(sk, json_pack("{s:s,s:s}", "name",
						    s->skip[i].name, "reason",
						    s->skip[i].reason));
	json_object_set_new(o, "skipped", sk);
	return o;
}

static json_t *strings(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static const char *dir_name(enum rdir d)
{
	return d == RDIR_LOWER ? "lower" : d == RDIR_HIGHER ? "higher" : "none";
}

/* One comparison, as one compact object (json_dumps' bytes, rjw.h). */
static void cmp(struct rjw *w, const struct rcmp *c)
{
	rjw_open(w);
	rjw_key(w, "benchmark");
	rjw_str(w, c->bench);
	rjw_key(w, "metric");
	rjw_str(w, c->ma->name);
	rjw_key(w, "better");
	rjw_str(w, dir_name(c->ma->dir));
	rjw_key(w, "unit");
	rjw_str(w, c->ma->unit == RU_NS	     ? "ns"
		   : c->ma->unit == RU_PER_S ? "1/s"
					     : "");
	rjw_key(w, "n_a");
	rjw_int(w, (long long)c->na);
	rjw_key(w, "n_b");
	rjw_int(w, (long long)c->nb);
	rjw_key(w, "median_a");
	rjw_real(w, c->med_a);
	rjw_key(w, "median_b");
	rjw_real(w, c->med_b);
	rjw_key(w, "mean_a");
	rjw_real(w, c->mean_a);
	rjw_key(w, "mean_b");
	rjw_real(w, c->mean_b);
	rjw_key(w, "change");
	rjw_real(w, c->change);
	rjw_key(w, "interval");
	rjw_str(w, c->ratio ? "ratio" : "difference");
	rjw_key(w, "estimate");
	rjw_real(w, c->est);
	rjw_key(w, "ci_low");
	rjw_real(w, c->lo);
	rjw_key(w, "ci_high");
	rjw_real(w, c->hi);
	rjw_key(w, "ci_exact");
	rjw_bool(w, c->hl_exact);
	rjw_key(w, "u");
	rjw_real(w, c->u1);
	rjw_key(w, "p");
	rjw_real(w, c->p);
	rjw_key(w, "p_exact");
	rjw_bool(w, c->mwu_exact);
	rjw_key(w, "q");
	rjw_real(w, c->q);
	rjw_key(w, "significant");
	rjw_bool(w, c->sig);
	rjw_key(w, "primary");
	rjw_bool(w, c->primary);
	rjw_key(w, "control");
	rjw_bool(w, c->control);
	rjw_key(w, "within_noise_floor");
	rjw_bool(w, c->noise);
	rjw_key(w, "test");
	rjw_str(w, c->test == RT_WITHIN ? "within-run"
		   : c->test == RT_RUNS ? "between-runs"
					: "none");
	rjw_key(w, "in_family");
	rjw_bool(w, !c->excl && c->test != RT_NONE);
	if (c->excl) {
		rjw_key(w, "left_out");
		rjw_str(w, rexcl_name(c->excl));
	}
	rjw_key(w, "ci_coverage");
	rjw_real(w, c->conf);
	rjw_key(w, "cv_a");
	rjw_real(w, c->cv_a);
	rjw_key(w, "cv_b");
	rjw_real(w, c->cv_b);
	rjw_key(w, "runs_a");
	rjw_int(w, (long long)c->runs_a);
	rjw_key(w, "runs_b");
	rjw_int(w, (long long)c->runs_b);
	rjw_key(w, "rows_dropped_a");
	rjw_int(w, (long long)c->drop_a);
	rjw_key(w, "rows_dropped_b");
	rjw_int(w, (long long)c->drop_b);
	rjw_key(w, "verdict");
	rjw_str(w, rfmt_verdict(c->verdict));
	rjw_close(w);
}

static json_t *label_list(const struct rbench *b)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < b->nlabels; i++)
		json_array_append_new(a, json_pack("{s:s,s:I}", "label",
						   b->labels[i].text, "rows",
						   (json_int_t)b->labels[i].n));
	return a;
}

/* Row labels per paired benchmark (e.g. the pool family's regime). */
static json_t *labels(const struct rreport *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->npairs; i++) {
		const struct rpair *p = &r->pairs[i];

		if (!p->a->nlabels && !p->b->nlabels)
			continue;
		json_array_append_new(
			a, json_pack("{s:s,s:o,s:o}", "benchmark", p->key, "a",
				     label_list(p->a), "b", label_list(p->b)));
	}
	return a;
}

static json_t *families(const struct rreport *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nfam; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:b,s:I,s:I}", "metric",
				     r->fam[i].metric, "primary",
				     r->fam[i].primary, "tested",
				     (json_int_t)r->fam[i].m, "significant",
				     (json_int_t)r->fam[i].n_sig));
	return a;
}

static json_t *left_out(const struct rreport *r)
{
	json_t *o = json_object();

	for (int x = RX_NONE + 1; o && x < RX_COUNT; x++)
		if (r->excl[x])
			json_object_set_new(
				o, rexcl_name(x),
				json_integer((json_int_t)r->excl[x]));
	return o;
}

static json_t *finding(const struct rreport *r)
{
	return json_pack("{s:b,s:o,s:I,s:s?}", "tested", r->find_tested,
			 "noise_floor", num(r->noise), "control_rows",
			 (json_int_t)r->n_control, "noise_floor_benchmark",
			 r->noise_bench);
}

/*
 * Print obj without its closing brace: the big arrays that follow are
 * written one comparison at a time, never built as one tree (a million
 * rows make a hundred thousand comparisons).
 */
static int open_obj(FILE *f, json_t *obj, int indent)
{
	char *s = json_dumps(obj, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	size_t n;

	if (!s)
		return -1;
	n = strlen(s);
	while (n && s[n - 1] != '}')
		n--;
	if (n)
		n--; /* the brace, and the line break before it */
	while (n && strchr(" \n", s[n - 1]))
		n--;
	/* An empty object prints "{}": no member to follow with a comma. */
	fprintf(f, "%.*s%s", (int)n, s, json_object_size(obj) ? "," : "");
	fprintf(f, "\n%*s", indent, "");
	free(s);
	return 0;
}

static int cmp_array(FILE *f, const char *key, const struct rreport *r,
		     const size_t *idx, size_t n, bool shown_only)
{
	struct rjw w = {0};
	bool first = true;

	fprintf(f, "\"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		const struct rcmp *c = &r->c[idx ? idx[i] : i];

		if (shown_only && !c->shown)
			continue;
		w.len = 0;
		rjw_raw(&w, first ? "\n    " : ",\n    ", first ? 5 : 6);
		first = false;
		cmp(&w, c);
		if (w.oom || fwrite(w.buf, 1, w.len, f) != w.len)
			break;
	}
	free(w.buf);
	fprintf(f, "%s]", first ? "" : "\n  ");
	return w.oom || ferror(f) ? -1 : 0;
}

static json_t *plot_list(const struct rreport *r)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < r->nplots; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "name",
						   r->plots[i], "title",
						   r->plot_titles[i]));
	return a;
}

int rjson_print(FILE *f, const struct rreport *r)
{
	json_t *root = json_object(), *fnd = NULL;
	int ret = -1;

	if (!root)
		goto out;
	json_object_set_new(root, "hvobench_report", json_integer(1));
	json_object_set_new(root, "a", side(r->sa, r->label_a));
	json_object_set_new(root, "b", side(r->sb, r->label_b));
	if (r->by_param)
		json_object_set_new(root, "by", json_string(r->by_param));
	json_object_set_new(
		root, "method",
		json_pack("{s:s,s:s,s:s,s:f,s:f}", "change",
			  "median(B)/median(A)-1", "interval",
			  "within one run: Hodges-Lehmann on log values "
			  "(ratio B/A; difference B-A when values can be "
			  "<= 0); several runs a side: Welch t on per-run "
			  "medians",
			  "test",
			  "within one run: Mann-Whitney U two-sided, exact "
			  "with ties for small n; several runs a side: "
			  "Welch t on per-run medians; one run a side "
			  "between A and B: none",
			  "confidence", 1 - r->o.alpha, "alpha", r->o.alpha));
	json_object_set_new(root, "correction",
			    json_string(rcorr_name(r->o.corr)));
	json_object_set_new(root, "environment", renv_json(r));
	json_object_set_new(root, "summary",
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}",
				      "comparisons", (json_int_t)r->nc,
				      "primary", (json_int_t)r->n_primary,
				      "worse", (json_int_t)r->n_worse, "better",
				      (json_int_t)r->n_better, "changed",
				      (json_int_t)r->n_changed, "identical",
				      (json_int_t)r->n_identical,
				      "primary_left_out", left_out(r)));
	json_object_set_new(root, "families", families(r));
	json_object_set_new(root, "warnings", strings(r->warn, r->nwarn));
	json_object_set_new(root, "plots", plot_list(r));
	json_object_set_new(root, "labels", labels(r));
	json_object_set_new(root, "only_a", strings(r->only_a, r->nonly_a));
	json_object_set_new(root, "only_b", strings(r->only_b, r->nonly_b));
	fnd = finding(r);
	if (!fnd || open_obj(f, root, 2))
		goto out;
	fprintf(f, "\"finding\": ");
	if (open_obj(f, fnd, 4) ||
	    cmp_array(f, "rows", r, r->find, r->nfind, false))
		goto out;
	fprintf(f, "\n  },\n  ");
	if (cmp_array(f, "comparisons", r, NULL, r->nc, true))
		goto out;
	fprintf(f, "\n}\n");
	ret = ferror(f) ? -1 : 0;
out:
	json_decref(fnd);
	json_decref(root);
	return ret;
}
