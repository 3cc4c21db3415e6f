// SPDX-License-Identifier: GPL-2.0
/*
 * Markdown report: the same content as the text, as tables, with every
 * plot linked.  Formats what rreport_build computed.
 */
#include "report.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* A name as inline code: backticks and table bars cannot break out. */
static void code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; *s; s++) {
		if (*s == '`')
			fputc('\'', f);
		else if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
	fputc('`', f);
}

/* Plain text in a table cell. */
static void cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
}

static void finding(FILE *f, const struct rreport *r)
{
	fprintf(f, "### Finding\n\n");
	if (r->find_tested)
		fprintf(f,
			"%zu significant change%s of a primary metric "
			"(%zu worse, %zu better), largest first.\n\n",
			r->nfind, r->nfind == 1 ? "" : "s", r->n_worse,
			r->n_better);
	else if (r->nfind)
		fprintf(f, "Nothing tested (one run a side): the largest "
			   "changes of a primary metric, with within-run "
			   "CIs.\n\n");
	else
		fprintf(f, "No primary metric could be compared.\n\n");
	if (r->nfind)
		fprintf(f,
			"| benchmark | metric | %s | %s | change | 95%% CI "
			"| q | |\n|---|---|---:|---:|---:|---|---:|---|\n",
			r->label_a, r->label_b);
	for (size_t i = 0; i < r->nfind; i++) {
		const struct rcmp *c = &r->c[r->find[i]];
		char a[32], b[32], ch[32], ci[80], q[16];

		rfmt_value(a, sizeof(a), c->med_a, c->ma->unit);
		rfmt_value(b, sizeof(b), c->med_b, c->ma->unit);
		rtext_change(ch, sizeof(ch), c);
		rtext_ci(ci, sizeof(ci), c);
		rfmt_p(q, sizeof(q), c->q);
		fprintf(f, "| ");
		code(f, c->bench);
		fprintf(f, " | %s | %s | %s | %s | %s | %s | %s |\n",
			c->ma->name, a, b, ch, ci, q,
			c->noise ? "within the noise floor" : "");
	}
	if (r->nfind)
		fprintf(f, "\n");
	if (r->n_control) {
		fprintf(f,
			"Controls: the largest |change| among %zu control "
			"row%s is **%.1f%%** (",
			r->n_control, r->n_control == 1 ? "" : "s",
			r->noise * 100);
		code(f, r->noise_bench);
		fprintf(f, "); smaller changes are within the noise "
			   "floor.\n\n");
	} else {
		fprintf(f, "Controls: no control rows marked in these "
			   "results: the noise floor is not measured.\n\n");
	}
	fprintf(f,
		"Primary metric: %zu comparisons, %zu tested with %s "
		"correction within it",
		r->n_primary, r->excl[RX_NONE], rcorr_name(r->o.corr));
	for (int x = RX_NONE + 1; x < RX_COUNT; x++)
		if (r->excl[x])
			fprintf(f, "; %zu %s", r->excl[x], rexcl_name(x));
	fprintf(f, ".\n\n");
}

static void row(FILE *f, const struct rcmp *c)
{
	char v[2][32], ch[32], ci[80], p[16], q[16], sa[16], sb[16];
	enum runit u = c->ma->unit;

	rfmt_value(v[0], sizeof(v[0]), c->med_a, u);
	rfmt_value(v[1], sizeof(v[1]), c->med_b, u);
	rtext_change(ch, sizeof(ch), c);
	rtext_ci(ci, sizeof(ci), c);
	rfmt_p(p, sizeof(p), c->p);
	rfmt_p(q, sizeof(q), c->q);
	rfmt_pct(sa, sizeof(sa), 1 + c->cv_a);
	rfmt_pct(sb, sizeof(sb), 1 + c->cv_b);
	fprintf(f, "| ");
	code(f, c->bench);
	fprintf(f,
		" | %s%s | %zu/%zu | %s | %s | %s | %s | %s/%s | %s | %s "
		"| %s%s%s%s |\n",
		c->ma->name, c->primary ? "" : " (2nd)", c->na, c->nb, v[0],
		v[1], ch, ci, isnan(c->cv_a) ? "-" : sa + 1,
		isnan(c->cv_b) ? "-" : sb + 1, p, q, c->sig ? "**" : "",
		rfmt_verdict(c->verdict), c->sig ? "**" : "",
		c->excl ? rexcl_name(c->excl) : "");
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
		fprintf(f, "| ");
		code(f, p->key);
		fprintf(f, " | ");
		cell(f, a);
		fprintf(f, " | ");
		cell(f, b);
		fprintf(f, " |\n");
	}
	if (any)
		fprintf(f, "\n");
}

static void list(FILE *f, const char *title, char **v, size_t n)
{
	if (!n)
		return;
	fprintf(f, "### %s (%zu)\n\n", title, n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "- ");
		code(f, v[i]);
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}

static void skipped(FILE *f, const char *tag, const struct rset *s)
{
	if (!s->nskip)
		return;
	fprintf(f, "### Skipped in %s (%zu)\n\n", tag, s->nskip);
	for (size_t i = 0; i < s->nskip; i++) {
		fprintf(f, "- ");
		code(f, s->skip[i].name);
		fprintf(f, ": %s\n", s->skip[i].reason);
	}
	fprintf(f, "\n");
}

static void plots(FILE *f, const struct rreport *r)
{
	if (!r->nplots)
		return;
	fprintf(f, "### Plots\n\n");
	for (size_t i = 0; i < r->nplots; i++)
		fprintf(f, "- [%s](%s.png) ([svg](%s.svg)): %s\n", r->plots[i],
			r->plots[i], r->plots[i], r->plot_titles[i]);
	fprintf(f, "\n");
}

void rmd_print(FILE *f, const struct rreport *r)
{
	fprintf(f, "## hvobench compare\n\n");
	if (r->sa == r->sb) {
		fprintf(f, "- Run: ");
		code(f, r->sa->label);
		fprintf(f, " (%zu run%s)\n", r->sa->nruns,
			r->sa->nruns == 1 ? "" : "s");
		fprintf(f,
			"- A = `%s`, B = `%s` (pairs differing only in "
			"`%s`)\n\n",
			r->label_a, r->label_b, r->by_param);
	} else {
		fprintf(f, "- A: ");
		code(f, r->sa->label);
		fprintf(f, " (%zu run%s)\n- B: ", r->sa->nruns,
			r->sa->nruns == 1 ? "" : "s");
		code(f, r->sb->label);
		fprintf(f, " (%zu run%s)\n\n", r->sb->nruns,
			r->sb->nruns == 1 ? "" : "s");
	}
	finding(f, r);
	for (size_t i = 0; i < r->nwarn; i++)
		fprintf(f, "%s> warning: %s\n", i ? ">\n" : "", r->warn[i]);
	if (r->nwarn)
		fprintf(f, "\n");
	fprintf(f, "### Details\n\n");
	fprintf(f, "| benchmark | metric | n A/B | median A | median B | "
		   "change | CI | cv A/B | p | q | verdict |\n");
	fprintf(f, "|---|---|---|---:|---:|---:|---|---|---:|---:|---|\n");
	for (size_t i = 0; i < r->nc; i++)
		if (r->c[i].shown)
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
	plots(f, r);
	renv_print(f, r, true);
	fprintf(f,
		"### Method\n\nchange = median(B)/median(A) - 1.  Within one "
		"run (`--by`): %g%% Hodges-Lehmann interval of the ratio B/A "
		"(log values; difference B-A where values can be <= 0) and "
		"a two-sided Mann-Whitney U test, exact with ties for small "
		"samples.  Several runs a side: Welch's t on per-run medians "
		"(the run is the unit).  One run a side between A and B: "
		"not tested.  q: %s-adjusted within one family per primary "
		"metric and one per secondary metric; **bold** = q < %g.\n",
		(1 - r->o.alpha) * 100, rcorr_name(r->o.corr), r->o.alpha);
}
