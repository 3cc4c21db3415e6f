// SPDX-License-Identifier: GPL-2.0
/* Markdown report: the same content as the text, as tables. */
#include "report.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static void cell_ci(FILE *f, const struct rcmp *c)
{
	char lo[32], hi[32];

	if (c->ratio) {
		rfmt_ratio_ci(lo, hi, sizeof(lo), c->lo, c->hi);
	} else {
		rfmt_diff(lo, sizeof(lo), c->lo, c->ma->unit);
		rfmt_diff(hi, sizeof(hi), c->hi, c->ma->unit);
	}
	fprintf(f, " [%s, %s] |", lo, hi);
}

static void row(FILE *f, const struct rcmp *c)
{
	char v[4][32], ch[32], p[16], q[16];
	enum runit u = c->ma->unit;

	rfmt_value(v[0], sizeof(v[0]), c->med_a, u);
	rfmt_value(v[1], sizeof(v[1]), c->med_b, u);
	rfmt_value(v[2], sizeof(v[2]), c->mean_a, u);
	rfmt_value(v[3], sizeof(v[3]), c->mean_b, u);
	if (isfinite(c->change))
		rfmt_pct(ch, sizeof(ch), c->change + 1);
	else
		rfmt_diff(ch, sizeof(ch), c->med_b - c->med_a, u);
	rfmt_p(p, sizeof(p), c->p);
	rfmt_p(q, sizeof(q), c->q);
	fprintf(f, "| `%s` | %s | %zu/%zu | %s | %s | %s | %s | %s |", c->bench,
		c->ma->name, c->na, c->nb, v[0], v[1], v[2], v[3], ch);
	cell_ci(f, c);
	fprintf(f, " %s | %s | %s%s%s |\n", p, q, c->sig ? "**" : "",
		rfmt_verdict(c->verdict), c->sig ? "**" : "");
}

static void labels(FILE *f, const struct rreport *r)
{
	bool any = false;

	for (size_t i = 0; i < r->npairs; i++) {
		const struct rpair *p = &r->pairs[i];
		char a[1024], b[1024];

		if (!p->a->nlabels && !p->b->nlabels)
			continue;
		if (!any)
			fprintf(f, "### Row labels\n\n| benchmark | A | B |\n"
				   "|---|---|---|\n");
		any = true;
		rbench_labels_str(p->a, a, sizeof(a));
		rbench_labels_str(p->b, b, sizeof(b));
		fprintf(f, "| `%s` | %s | %s |\n", p->key, a, b);
	}
	if (any)
		fprintf(f, "\n");
}

static void list(FILE *f, const char *title, char **v, size_t n)
{
	if (!n)
		return;
	fprintf(f, "### %s (%zu)\n\n", title, n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "- `%s`\n", v[i]);
	fprintf(f, "\n");
}

static void skipped(FILE *f, const char *tag, const struct rset *s)
{
	if (!s->nskip)
		return;
	fprintf(f, "### Skipped in %s (%zu)\n\n", tag, s->nskip);
	for (size_t i = 0; i < s->nskip; i++)
		fprintf(f, "- `%s`: %s\n", s->skip[i].name, s->skip[i].reason);
	fprintf(f, "\n");
}

void rmd_print(FILE *f, const struct rreport *r)
{
	char **w;
	size_t nw = rreport_warnings(r, &w);

	fprintf(f, "## hvobench compare\n\n");
	if (r->sa == r->sb) {
		fprintf(f, "- Run: `%s` (%zu run%s)\n", r->sa->label,
			r->sa->nruns, r->sa->nruns == 1 ? "" : "s");
		fprintf(f,
			"- A = `%s`, B = `%s` (pairs differing only in `%s`)\n",
			r->label_a, r->label_b, r->by_param);
	} else {
		fprintf(f, "- A: `%s` (%zu run%s)\n", r->sa->label,
			r->sa->nruns, r->sa->nruns == 1 ? "" : "s");
		fprintf(f, "- B: `%s` (%zu run%s)\n", r->sb->label,
			r->sb->nruns, r->sb->nruns == 1 ? "" : "s");
	}
	fprintf(f,
		"- Method: change = median(B)/median(A) - 1; CI: %g%% "
		"Hodges-Lehmann interval of the ratio B/A (log values; "
		"difference B-A where values can be <= 0); p: two-sided "
		"Mann-Whitney U; q: %s-adjusted over %zu comparisons; "
		"**bold** = q < %g.\n\n",
		(1 - r->o.alpha) * 100, rcorr_name(r->o.corr), r->nc,
		r->o.alpha);
	renv_print(f, r, true);
	fprintf(f, "### Summary\n\n");
	if (r->n_geo)
		fprintf(f,
			"Geometric mean of cost ratios: **%.4f** (> 1: B "
			"worse) over %zu metrics.  ",
			r->geomean, r->n_geo);
	fprintf(f,
		"Significant: %zu worse, %zu better, %zu changed (no "
		"direction) of %zu comparisons.\n\n",
		r->n_worse, r->n_better, r->n_changed, r->nc);
	for (size_t i = 0; i < nw; i++)
		fprintf(f, "%s> warning: %s\n", i ? ">\n" : "", w[i]);
	if (nw)
		fprintf(f, "\n");
	rreport_warnings_free(w, nw);
	if (r->nc) {
		fprintf(f, "| benchmark | metric | n A/B | median A | "
			   "median B | mean A | mean B | change | CI | p | "
			   "q | verdict |\n");
		fprintf(f, "|---|---|---|---:|---:|---:|---:|---:|---|---:|"
			   "---:|---|\n");
	}
	for (size_t i = 0; i < r->nc; i++)
		row(f, &r->c[i]);
	fprintf(f, "\n");
	labels(f, r);
	list(f, r->sa == r->sb ? "Only with A" : "Only in A", r->only_a,
	     r->nonly_a);
	list(f, r->sa == r->sb ? "Only with B" : "Only in B", r->only_b,
	     r->nonly_b);
	skipped(f, "A", r->sa);
	if (r->sb != r->sa)
		skipped(f, "B", r->sb);
}
