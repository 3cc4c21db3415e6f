// SPDX-License-Identifier: GPL-2.0
/* Machine-readable report (top-level key "hvobench_report", not a result). */
#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>

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

int rjson_print(FILE *f, const struct rreport *r)
{
	json_t *root = json_object(), *arr = json_array(), *w;
	char **warn;
	size_t nw = rreport_warnings(r, &warn);
	int ret = -1;

	if (!root || !arr)
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
			  "Hodges-Lehmann on log values (ratio B/A); "
			  "difference B-A when values can be <= 0",
			  "test", "Mann-Whitney U two-sided", "confidence",
			  1 - r->o.alpha, "alpha", r->o.alpha));
	json_object_set_new(root, "correction",
			    json_string(rcorr_name(r->o.corr)));
	json_object_set_new(root, "environment", renv_json(r));
	json_object_set_new(root, "summary",
			    json_pack("{s:o,s:I,s:I,s:I,s:I,s:I,s:I}",
				      "geomean_cost", num(r->geomean),
				      "geomean_over", (json_int_t)r->n_geo,
				      "comparisons", (json_int_t)r->nc, "worse",
				      (json_int_t)r->n_worse, "better",
				      (json_int_t)r->n_better, "changed",
				      (json_int_t)r->n_changed, "identical",
				      (json_int_t)r->n_identical));
	w = strings(warn, nw);
	json_object_set_new(root, "warnings", w);
	for (size_t i = 0; i < r->nc; i++)
		json_array_append_new(arr, cmp(&r->c[i]));
	json_object_set_new(root, "comparisons", arr);
	arr = NULL;
	json_object_set_new(root, "labels", labels(r));
	json_object_set_new(root, "only_a", strings(r->only_a, r->nonly_a));
	json_object_set_new(root, "only_b", strings(r->only_b, r->nonly_b));
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10)))
		goto out;
	fputc('\n', f);
	ret = 0;
out:
	json_decref(arr);
	json_decref(root);
	rreport_warnings_free(warn, nw);
	return ret;
}
