// SPDX-License-Identifier: GPL-2.0
/*
 * N-way report: each column after the first is compared with the first by
 * rreport_build (the same test and interval as `compare A B`); this file
 * collects the cells, corrects every tested cell of the table as one
 * family (a table of k columns makes k - 1 times the comparisons of one
 * column: correcting per column would let the false marks grow with k),
 * and lays them out: text within 72 columns for up to four sets (one line
 * of medians and changes per benchmark, one of intervals), Markdown as one
 * wide table.
 */
#include "rnway.h"
#include "rstats.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "^name$" with regex characters escaped: the one metric compared. */
static void exact_regex(char *buf, size_t len, const char *name)
{
	size_t k = 0;

	if (len < 4)
		return;
	buf[k++] = '^';
	for (const char *c = name; *c && k + 3 < len; c++) {
		if (strchr(".[]()*+?^$|\\{}", *c))
			buf[k++] = '\\';
		buf[k++] = *c;
	}
	buf[k++] = '$';
	buf[k] = '\0';
}

/* The metric of a benchmark's row: the one asked for, else its primary. */
static const char *metric_of(const struct rnway *w, const struct rbench *b)
{
	if (w->metric)
		return w->metric;
	return b->primary ? b->primary : "real_time";
}

static int add_names(struct rnway *w, const struct rset *s,
		     const regex_t *filter)
{
	for (size_t i = 0; i < s->nb; i++) {
		if (!rbench_find_metric(&s->b[i], metric_of(w, &s->b[i])) ||
		    (filter && regexec(filter, s->b[i].name, 0, NULL, 0)))
			continue;
		char **n = realloc(w->bench, (w->nbench + 1) * sizeof(*n));

		if (!n)
			return -1;
		w->bench = n;
		n[w->nbench] = s->b[i].name;
		w->nbench++;
	}
	return 0;
}

/* The metric shown for bench: from the first set that has it. */
static const char *row_metric(const struct rnway *w, const char *bench)
{
	for (size_t j = 0; j < w->ncols; j++) {
		const struct rbench *b = rset_find(w->sets[j], bench);

		if (b)
			return metric_of(w, b);
	}
	return "real_time";
}

/* Column j's comparison with column 0 for bench, if it was made. */
static const struct rcmp *cmp_of(const struct rnway *w, size_t j,
				 const char *bench)
{
	const struct rreport *r = &w->vs[j - 1];
	const char *m = row_metric(w, bench);

	for (size_t i = 0; i < r->nc; i++)
		if (!strcmp(r->c[i].bench, bench) &&
		    !strcmp(r->c[i].ma->name, m))
			return &r->c[i];
	return NULL;
}

/* Every tested cell of the table in one family, corrected together. */
static int correct_table(struct rnway *w)
{
	size_t cols = w->ncols - 1, n = w->nbench * cols, k = 0;
	double *p = malloc((n + 1) * sizeof(*p));
	double *q = malloc((n + 1) * sizeof(*q));
	size_t *at = malloc((n + 1) * sizeof(*at));
	int ret = -1;

	w->q = malloc((n + 1) * sizeof(*w->q));
	if (!p || !q || !at || !w->q)
		goto out;
	for (size_t i = 0; i < w->nbench; i++)
		for (size_t j = 1; j < w->ncols; j++) {
			const struct rcmp *c = cmp_of(w, j, w->bench[i]);

			w->q[i * cols + j - 1] = NAN;
			if (c && rcmp_tested(c)) {
				p[k] = c->p;
				at[k++] = i * cols + j - 1;
			}
		}
	if (k && (w->o.corr == RCORR_HOLM ? rs_holm : rs_bh)(p, k, q))
		goto out;
	for (size_t m = 0; m < k; m++) {
		w->q[at[m]] = q[m];
		w->nsig += q[m] < w->o.alpha;
	}
	w->ntested = k;
	ret = 0;
out:
	free(p);
	free(q);
	free(at);
	return ret;
}

int rnway_build(struct rnway *w, const struct rset *const *sets, size_t n,
		const char *metric, const struct ropts *o, char *err,
		size_t len)
{
	char re[512];
	regex_t filter;
	size_t k = 0;

	memset(w, 0, sizeof(*w));
	w->sets = sets;
	w->ncols = n;
	w->metric = metric;
	w->o = *o;
	if (metric) {
		exact_regex(re, sizeof(re), metric);
		w->o.metric = re;
	}
	w->vs = calloc(n > 1 ? n - 1 : 1, sizeof(*w->vs));
	if (!w->vs)
		goto oom;
	for (size_t j = 1; j < n; j++)
		if (rreport_build(&w->vs[j - 1], sets[0], sets[j], &w->o, err,
				  len)) {
			size_t used = strlen(err);

			snprintf(err + used, len - used, " (%s against %s)",
				 sets[j]->label, sets[0]->label);
			goto fail;
		}
	/* rreport_build accepted the filter: it compiles. */
	if (o->filter && regcomp(&filter, o->filter, REG_EXTENDED | REG_NOSUB))
		goto oom;
	for (size_t j = 0; j < n; j++)
		if (add_names(w, sets[j], o->filter ? &filter : NULL)) {
			if (o->filter)
				regfree(&filter);
			goto oom;
		}
	if (o->filter)
		regfree(&filter);
	qsort(w->bench, w->nbench, sizeof(*w->bench), cmp_str);
	for (size_t i = 0; i < w->nbench; i++)
		if (!k || strcmp(w->bench[k - 1], w->bench[i]))
			w->bench[k++] = w->bench[i];
	w->nbench = k;
	w->o.metric = NULL; /* re is gone after return */
	if (correct_table(w))
		goto oom;
	return 0;
oom:
	snprintf(err, len, "out of memory");
fail:
	rnway_free(w);
	return -1;
}

void rnway_free(struct rnway *w)
{
	for (size_t j = 1; w->vs && j < w->ncols; j++)
		rreport_free(&w->vs[j - 1]);
	free(w->vs);
	free(w->bench);
	free(w->q);
	memset(w, 0, sizeof(*w));
}

/* Column j's median of the metric for bench; NaN when it has none. */
static double median_of(const struct rnway *w, size_t j, const char *bench,
			enum runit *unit)
{
	const struct rbench *b = rset_find(w->sets[j], bench);
	const struct rmetric *m =
		b ? rbench_find_metric(b, row_metric(w, bench)) : NULL;

	if (!m || !m->n)
		return NAN;
	*unit = m->unit;
	return rs_median(m->v, m->n);
}

/* Change with its table-wide mark, and the interval, of bench i in column
 * j. */
static void cells(const struct rnway *w, size_t i, size_t j, char *chg,
		  char *ci, size_t len)
{
	const struct rcmp *c = cmp_of(w, j, w->bench[i]);

	snprintf(chg, len, "-");
	ci[0] = '\0';
	if (!c)
		return;
	rtext_change(chg, len - 1, c);
	rtext_ci(ci, len, c);
	if (!strcmp(ci, "-"))
		ci[0] = '\0';
	if (w->q[i * (w->ncols - 1) + j - 1] < w->o.alpha)
		strcat(chg, "*");
}

static void text_header(FILE *f, const struct rnway *w)
{
	char line[1024];

	fprintf(f, "hvobench compare: %s, %zu sets\n",
		w->metric ? w->metric : "primary metrics", w->ncols);
	for (size_t j = 0; j < w->ncols; j++) {
		snprintf(line, sizeof(line), "%c: %s (%zu run%s)",
			 (int)('A' + j), w->sets[j]->label, w->sets[j]->nruns,
			 w->sets[j]->nruns == 1 ? "" : "s");
		rfmt_wrap(f, "", line, 72);
	}
	snprintf(line, sizeof(line),
		 "Each column: median; after A, the change against A "
		 "(median/median(A) - 1) and below it its %g%% CI, each "
		 "column compared with A as by `hvobench compare A X` (with "
		 "several runs a set, the run is the unit; with one run a "
		 "side no CI or test); * = significant at %g after %s "
		 "correction over the whole table (the family: last line).",
		 100 * (1 - w->o.alpha), w->o.alpha, rcorr_name(w->o.corr));
	fprintf(f, "\n");
	rfmt_wrap(f, "", line, 72);
	fprintf(f, "\n%11s", "A");
	for (size_t j = 1; j < w->ncols; j++)
		fprintf(f, " %9c %8s", (int)('A' + j), "");
	fprintf(f, "\n%11s", "median");
	for (size_t j = 1; j < w->ncols; j++)
		fprintf(f, " %9s %8s", "median", "change");
	fprintf(f, "\n");
}

/* The multiplicity family, said exactly: which cells were corrected. */
static void family_line(char *buf, size_t len, const struct rnway *w)
{
	size_t cells = w->nbench * (w->ncols - 1);

	snprintf(buf, len,
		 "Corrected as one family (%s): the %zu tested cells of "
		 "this table's %zu (%zu benchmark%s x %zu column%s against "
		 "A); %zu significant at %g.",
		 rcorr_name(w->o.corr), w->ntested, cells, w->nbench,
		 w->nbench == 1 ? "" : "s", w->ncols - 1,
		 w->ncols == 2 ? "" : "s", w->nsig, w->o.alpha);
}

static void markdown(FILE *f, const struct rnway *w)
{
	char v[32], chg[96], ci[96], line[256];
	enum runit u = RU_NONE;

	fprintf(f,
		"**%s**: median per set; change against %s with its %g%% "
		"CI; * = significant at %g after %s correction over the "
		"whole table.\n\n",
		w->metric ? w->metric : "primary metrics", w->sets[0]->label,
		100 * (1 - w->o.alpha), w->o.alpha, rcorr_name(w->o.corr));
	fprintf(f, "| benchmark | %s |", w->sets[0]->label);
	for (size_t j = 1; j < w->ncols; j++)
		fprintf(f, " %s | change | CI |", w->sets[j]->label);
	fprintf(f, "\n|---|---:|");
	for (size_t j = 1; j < w->ncols; j++)
		fprintf(f, "---:|---:|---|");
	fprintf(f, "\n");
	for (size_t i = 0; i < w->nbench; i++) {
		const char *m = row_metric(w, w->bench[i]);

		fprintf(f, "| `%s`%s%s%s |", w->bench[i],
			strcmp(m, "real_time") ? " [" : "",
			strcmp(m, "real_time") ? m : "",
			strcmp(m, "real_time") ? "]" : "");
		for (size_t j = 0; j < w->ncols; j++) {
			double med = median_of(w, j, w->bench[i], &u);

			rfmt_value(v, sizeof(v), med, u);
			if (!j) {
				fprintf(f, " %s |", v);
				continue;
			}
			cells(w, i, j, chg, ci, sizeof(chg));
			fprintf(f, " %s | %s | %s |", v, chg, ci);
		}
		fprintf(f, "\n");
	}
	family_line(line, sizeof(line), w);
	fprintf(f, "\n%s\n", line);
}

void rnway_print(FILE *f, const struct rnway *w, bool markdown_fmt)
{
	char v[32], chg[96], ci[96], line[256];
	enum runit u = RU_NONE;

	if (markdown_fmt) {
		markdown(f, w);
		return;
	}
	text_header(f, w);
	for (size_t i = 0; i < w->nbench; i++) {
		char name[80];
		bool any_ci = false;

		/* Names are escaped at load; long ones are cut, not wrapped. */
		const char *m = row_metric(w, w->bench[i]);

		if (strcmp(m, "real_time"))
			snprintf(name, sizeof(name), "%s [%s]", w->bench[i], m);
		else
			snprintf(name, sizeof(name), "%s", w->bench[i]);
		if (strlen(name) > 72)
			strcpy(name + 69, "...");
		fprintf(f, "%s\n", name);
		for (size_t j = 0; j < w->ncols; j++) {
			double med = median_of(w, j, w->bench[i], &u);

			rfmt_value(v, sizeof(v), med, u);
			if (!j) {
				fprintf(f, "%11s", v);
				continue;
			}
			cells(w, i, j, chg, ci, sizeof(chg));
			any_ci |= ci[0] != '\0';
			fprintf(f, " %9s %8s", v, chg);
		}
		fprintf(f, "\n");
		if (!any_ci)
			continue;
		fprintf(f, "%11s", "");
		for (size_t j = 1; j < w->ncols; j++) {
			cells(w, i, j, chg, ci, sizeof(chg));
			fprintf(f, " %18s", ci);
		}
		fprintf(f, "\n");
	}
	family_line(line, sizeof(line), w);
	fprintf(f, "\n");
	rfmt_wrap(f, "", line, 72);
}
