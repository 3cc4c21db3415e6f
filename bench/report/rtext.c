// SPDX-License-Identifier: GPL-2.0
/*
 * Plain-text report: at most 72 columns (it goes into emails), a layout
 * that does not depend on the data beyond line count, colour only when
 * asked (the command asks when stdout is a terminal).
 */
#include "report.h"

#include <math.h>
#include <string.h>

#define RED   "\033[31m"
#define GREEN "\033[32m"
#define RESET "\033[0m"

static void side(FILE *f, const char *tag, const struct rset *s)
{
	char line[1024];

	snprintf(line, sizeof(line), "%s: %s (%zu run%s)", tag, s->label,
		 s->nruns, s->nruns == 1 ? "" : "s");
	rfmt_wrap(f, "", line, 72);
}

static void header(FILE *f, const struct rreport *r)
{
	char m[1024];

	fprintf(f, "hvobench compare\n");
	if (r->sa == r->sb) {
		side(f, "Run", r->sa);
		fprintf(f, "A: %s   B: %s   (pairs differing only in %s)\n",
			r->label_a, r->label_b, r->by_param);
	} else {
		side(f, "A", r->sa);
		side(f, "B", r->sb);
	}
	fprintf(f, "\n");
	snprintf(m, sizeof(m),
		 "Method: change = median(B) / median(A) - 1.  CI: %g%% "
		 "Hodges-Lehmann interval of the ratio B/A (shift of log "
		 "values; a difference B-A where values can be <= 0).  "
		 "p: Mann-Whitney U, two-sided (exact for small samples "
		 "without ties, else normal with tie correction).  "
		 "* = significant at %g after %s correction over %zu "
		 "comparisons.",
		 (1 - r->o.alpha) * 100, r->o.alpha, rcorr_name(r->o.corr),
		 r->nc);
	rfmt_wrap(f, "", m, 72);
	fprintf(f, "\n");
}

static void summary(FILE *f, const struct rreport *r)
{
	char m[512];

	if (r->n_geo)
		snprintf(m, sizeof(m),
			 "Summary: geometric mean of cost ratios %.4f (> 1: B "
			 "worse; B/A for times, A/B for rates) over %zu "
			 "metric%s.  Significant: %zu worse, %zu better, %zu "
			 "changed (no direction) of %zu comparisons.",
			 r->geomean, r->n_geo, r->n_geo == 1 ? "" : "s",
			 r->n_worse, r->n_better, r->n_changed, r->nc);
	else
		snprintf(m, sizeof(m),
			 "Summary: no directional metric to average.  "
			 "Significant: %zu worse, %zu better, %zu changed of "
			 "%zu comparisons.",
			 r->n_worse, r->n_better, r->n_changed, r->nc);
	rfmt_wrap(f, "", m, 72);
	fprintf(f, "\n");
}

static void warnings(FILE *f, const struct rreport *r)
{
	char **w;
	size_t n = rreport_warnings(r, &w);

	if (!n)
		return;
	fprintf(f, "Warnings:\n");
	for (size_t i = 0; i < n; i++) {
		char line[1024];

		snprintf(line, sizeof(line), "- %s", w[i]);
		rfmt_hang(f, "  ", "    ", line, 72);
	}
	fprintf(f, "\n");
	rreport_warnings_free(w, n);
}

static void ci(char *buf, size_t len, const struct rcmp *c)
{
	char lo[32], hi[32];

	if (c->ratio) {
		rfmt_ratio_ci(lo, hi, sizeof(lo), c->lo, c->hi);
	} else {
		rfmt_diff(lo, sizeof(lo), c->lo, c->ma->unit);
		rfmt_diff(hi, sizeof(hi), c->hi, c->ma->unit);
	}
	snprintf(buf, len, "[%s,%s]", lo, hi);
}

static void row(FILE *f, const struct rreport *r, const struct rcmp *c)
{
	char ma[32], mb[32], ch[32], ib[80], p[16], name[16];
	const char *v = rfmt_verdict(c->verdict), *col = "";
	enum runit u = c->ma->unit;

	if (strlen(c->ma->name) > 12) {
		fprintf(f, "  %s\n", c->ma->name);
		name[0] = '\0';
	} else {
		snprintf(name, sizeof(name), "%s", c->ma->name);
	}
	rfmt_value(ma, sizeof(ma), c->med_a, u);
	rfmt_value(mb, sizeof(mb), c->med_b, u);
	if (isfinite(c->change))
		rfmt_pct(ch, sizeof(ch), c->change + 1);
	else
		rfmt_diff(ch, sizeof(ch), c->med_b - c->med_a, u);
	ci(ib, sizeof(ib), c);
	fprintf(f, "  %-12s med  %9s -> %-9s %7s %s\n", name, ma, mb, ch, ib);
	rfmt_value(ma, sizeof(ma), c->mean_a, u);
	rfmt_value(mb, sizeof(mb), c->mean_b, u);
	rfmt_p(p, sizeof(p), c->p);
	if (r->o.color && c->verdict == 1)
		col = RED;
	else if (r->o.color && c->verdict == -1)
		col = GREEN;
	fprintf(f, "  %-12s mean %9s -> %-9s n=%zu/%zu p=%s%s%s%s%s%s\n", "",
		ma, mb, c->na, c->nb, p, col, c->sig ? " *" : "", *v ? " " : "",
		v, *col ? RESET : "");
}

/* Row labels (e.g. the pool family's regime) under a benchmark's name. */
static void labels(FILE *f, const struct rreport *r, const char *key)
{
	for (size_t i = 0; i < r->npairs; i++) {
		const struct rpair *p = &r->pairs[i];
		char buf[1024], line[1100];

		if (strcmp(p->key, key) || (!p->a->nlabels && !p->b->nlabels))
			continue;
		rbench_labels_str(p->a, buf, sizeof(buf));
		snprintf(line, sizeof(line), "label A: %s", *buf ? buf : "-");
		rfmt_hang(f, "  ", "           ", line, 72);
		rbench_labels_str(p->b, buf, sizeof(buf));
		snprintf(line, sizeof(line), "label B: %s", *buf ? buf : "-");
		rfmt_hang(f, "  ", "           ", line, 72);
		return;
	}
}

static void names(FILE *f, const char *title, char **v, size_t n)
{
	if (!n)
		return;
	fprintf(f, "%s (%zu):\n", title, n);
	for (size_t i = 0; i < n; i++)
		rfmt_wrap(f, "  ", v[i], 72);
	fprintf(f, "\n");
}

static void skipped(FILE *f, const char *tag, const struct rset *s)
{
	if (!s->nskip)
		return;
	fprintf(f, "Skipped in %s (%zu):\n", tag, s->nskip);
	for (size_t i = 0; i < s->nskip; i++) {
		char line[1024];

		snprintf(line, sizeof(line), "%s: %s", s->skip[i].name,
			 s->skip[i].reason);
		rfmt_hang(f, "  ", "    ", line, 72);
	}
	fprintf(f, "\n");
}

void rtext_print(FILE *f, const struct rreport *r)
{
	const char *last = NULL;
	char ta[96], tb[96];

	header(f, r);
	renv_print(f, r, false);
	summary(f, r);
	warnings(f, r);
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];

		if (!last || strcmp(last, c->bench)) {
			if (last)
				fprintf(f, "\n");
			rfmt_wrap(f, "", c->bench, 72);
			labels(f, r, c->bench);
			last = c->bench;
		}
		row(f, r, c);
	}
	if (last)
		fprintf(f, "\n");
	if (r->sa == r->sb) {
		snprintf(ta, sizeof(ta), "Only with %s", r->label_a);
		snprintf(tb, sizeof(tb), "Only with %s", r->label_b);
	} else {
		snprintf(ta, sizeof(ta), "Only in A");
		snprintf(tb, sizeof(tb), "Only in B");
	}
	names(f, ta, r->only_a, r->nonly_a);
	names(f, tb, r->only_b, r->nonly_b);
	if (r->sa == r->sb) {
		skipped(f, "the run", r->sa);
	} else {
		skipped(f, "A", r->sa);
		skipped(f, "B", r->sb);
	}
}
