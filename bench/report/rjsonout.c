// SPDX-License-Identifier: GPL-2.0
/* Machine-readable report (top-level key "hvobench_report", not a result). */
#include "report.h"

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

static json_t *cmp(const struct rcmp *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "benchmark", json_string(c->bench));
	json_object_set_new(o, "metric", json_string(c->ma->name));
	json_object_set_new(o, "better", json_string(dir_name(c->ma->dir)));
	json_object_set_new(o, "unit",
			    json_string(c->ma->unit == RU_NS	  ? "ns"
					: c->ma->unit == RU_PER_S ? "1/s"
								  : ""));
	json_object_set_new(o, "n_a", json_integer((json_int_t)c->na));
	json_object_set_new(o, "n_b", json_integer((json_int_t)c->nb));
	json_object_set_new(o, "median_a", num(c->med_a));
	json_object_set_new(o, "median_b", num(c->med_b));
	json_object_set_new(o, "mean_a", num(c->mean_a));
	json_object_set_new(o, "mean_b", num(c->mean_b));
	json_object_set_new(o, "change", num(c->change));
	json_object_set_new(o, "interval",
			    json_string(c->ratio ? "ratio" : "difference"));
	json_object_set_new(o, "estimate", num(c->est));
	json_object_set_new(o, "ci_low", num(c->lo));
	json_object_set_new(o, "ci_high", num(c->hi));
	json_object_set_new(o, "ci_exact", json_boolean(c->hl_exact));
	json_object_set_new(o, "u", num(c->u1));
	json_object_set_new(o, "p", num(c->p));
	json_object_set_new(o, "p_exact", json_boolean(c->mwu_exact));
	json_object_set_new(o, "q", num(c->q));
	json_object_set_new(o, "significant", json_boolean(c->sig));
	json_object_set_new(o, "primary", json_boolean(c->primary));
	json_object_set_new(o, "control", json_boolean(c->control));
	json_object_set_new(o, "within_noise_floor", json_boolean(c->noise));
	json_object_set_new(o, "test",
			    json_string(c->test == RT_WITHIN ? "within-run"
					: c->test == RT_RUNS ? "between-runs"
							     : "none"));
	json_object_set_new(o, "in_family",
			    json_boolean(!c->excl && c->test != RT_NONE));
	if (c->excl)
		json_object_set_new(o, "left_out",
				    json_string(rexcl_name(c->excl)));
	json_object_set_new(o, "ci_coverage", num(c->conf));
	json_object_set_new(o, "cv_a", num(c->cv_a));
	json_object_set_new(o, "cv_b", num(c->cv_b));
	json_object_set_new(o, "runs_a", json_integer((json_int_t)c->runs_a));
	json_object_set_new(o, "runs_b", json_integer((json_int_t)c->runs_b));
	json_object_set_new(o, "rows_dropped_a",
			    json_integer((json_int_t)c->drop_a));
	json_object_set_new(o, "rows_dropped_b",
			    json_integer((json_int_t)c->drop_b));
	json_object_set_new(o, "verdict",
			    json_string(rfmt_verdict(c->verdict)));
	return o;
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
	bool first = true;

	fprintf(f, "\"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		const struct rcmp *c = &r->c[idx ? idx[i] : i];
		json_t *o;

		if (shown_only && !c->shown)
			continue;
		o = cmp(c);
		if (!o)
			return -1;
		fprintf(f, "%s\n    ", first ? "" : ",");
		first = false;
		if (json_dumpf(o, f, JSON_COMPACT | JSON_REAL_PRECISION(10))) {
			json_decref(o);
			return -1;
		}
		json_decref(o);
	}
	fprintf(f, "%s]", first ? "" : "\n  ");
	return ferror(f) ? -1 : 0;
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
