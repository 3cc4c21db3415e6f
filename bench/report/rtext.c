// SPDX-License-Identifier: GPL-2.0
/*
 * Plain-text report: at most 72 columns (it goes into emails), the finding
 * first and the method last, colour only when asked (the command asks
 * when stdout is a terminal).  Formats what rreport_build computed.
 */
#include "report.h"
#include "rstats.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define RED   "\033[31m"
#define GREEN "\033[32m"
#define RESET "\033[0m"
#define WIDTH 72

/* Every line goes through here: wider ones wrap, never overflow. */
static void out(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void out(FILE *f, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!*buf)
		fputc('\n', f);
	else
		rfmt_hang(f, "", "    ", buf, WIDTH);
}

static void side(FILE *f, const char *tag, const struct rset *s)
{
	out(f, "%s: %s (%zu run%s)", tag, s->label, s->nruns,
	    s->nruns == 1 ? "" : "s");
}

static void header(FILE *f, const struct rreport *r)
{
	out(f, "hvobench compare");
	if (r->sa == r->sb) {
		side(f, "Run", r->sa);
		out(f, "A: %s   B: %s   (pairs differing only in %s)",
		    r->label_a, r->label_b, r->by_param);
	} else {
		side(f, "A", r->sa);
		side(f, "B", r->sb);
	}
	out(f, "%s", "");
}

void rtext_ci(char *buf, size_t len, const struct rcmp *c)
{
	char lo[32], hi[32];

	if (isnan(c->lo)) {
		snprintf(buf, len, "-");
		return;
	}
	if (c->ratio) {
		rfmt_ratio_ci(lo, hi, sizeof(lo), c->lo, c->hi);
	} else {
		rfmt_diff(lo, sizeof(lo), c->lo, c->ma->unit);
		rfmt_diff(hi, sizeof(hi), c->hi, c->ma->unit);
	}
	snprintf(buf, len, "[%s,%s]", lo, hi);
}

void rtext_change(char *buf, size_t len, const struct rcmp *c)
{
	if (isfinite(c->change))
		rfmt_pct(buf, len, c->change + 1);
	else
		rfmt_diff(buf, len, c->med_b - c->med_a, c->ma->unit);
}

/* One ranked row: the name alone when it does not fit beside numbers. */
static void find_row(FILE *f, const struct rcmp *c)
{
	char a[32], b[32], ch[32], ci[80], q[16], nums[256];

	rfmt_value(a, sizeof(a), c->med_a, c->ma->unit);
	rfmt_value(b, sizeof(b), c->med_b, c->ma->unit);
	rtext_change(ch, sizeof(ch), c);
	rtext_ci(ci, sizeof(ci), c);
	rfmt_p(q, sizeof(q), c->q);
	snprintf(nums, sizeof(nums), "%9s %9s %8s %-19s %s%s", a, b, ch, ci, q,
		 c->noise ? " ~" : "");
	if (strlen(c->bench) <= 16 && !strcmp(c->ma->name, "real_time")) {
		out(f, "%-16s %s", c->bench, nums);
		return;
	}
	if (strcmp(c->ma->name, "real_time"))
		out(f, "%s [%s]", c->bench, c->ma->name);
	else
		out(f, "%s", c->bench);
	out(f, "%-16s %s", "", nums);
}

static void family_line(FILE *f, const struct rreport *r)
{
	char left[512] = "";
	size_t off = 0, tested = r->excl[RX_NONE];

	for (int x = RX_NONE + 1; x < RX_COUNT; x++) {
		int w;

		if (!r->excl[x])
			continue;
		w = snprintf(left + off, sizeof(left) - off, "%s%zu %s",
			     off ? "; " : "", r->excl[x], rexcl_name(x));
		if (w > 0 && (size_t)w < sizeof(left) - off)
			off += (size_t)w;
	}
	out(f,
	    "Primary metric (real_time unless a benchmark declares another): "
	    "%zu comparison%s, %zu tested with %s correction within it%s%s.",
	    r->n_primary, r->n_primary == 1 ? "" : "s", tested,
	    rcorr_name(r->o.corr), *left ? "; left out: " : "", left);
}

/* Ranked rows: the headline stays within 30 lines, the report 20 rows. */
#define FIND_HEADLINE 6
#define FIND_REPORT   20

static void finding(FILE *f, const struct rreport *r, size_t max)
{
	size_t shown = r->nfind < max ? r->nfind : max;

	if (r->find_tested && !r->nfind)
		out(f, "Finding: no significant change of a primary metric.");
	else if (r->find_tested)
		out(f,
		    "Finding: %zu significant change%s of a primary metric, "
		    "largest first (%zu worse, %zu better):",
		    r->nfind, r->nfind == 1 ? "" : "s", r->n_worse,
		    r->n_better);
	else if (r->nfind)
		out(f, "Finding: nothing tested (one run a side).  Largest "
		       "changes of a primary metric, with within-run CIs:");
	else
		out(f, "Finding: no primary metric could be compared.");
	if (shown) {
		out(f, "%-16s %9s %9s %8s %-19s %s", "benchmark", r->label_a,
		    r->label_b, "change", "95% CI", "q");
		for (size_t i = 0; i < shown; i++)
			find_row(f, &r->c[r->find[i]]);
	}
	if (r->nfind > shown)
		out(f, "... and %zu more in the details below.",
		    r->nfind - shown);
	if (r->n_control)
		out(f,
		    "Controls: largest |change| among %zu control row%s: "
		    "%.1f%% (%s); changes below it are marked ~ (within "
		    "the noise floor).",
		    r->n_control, r->n_control == 1 ? "" : "s", r->noise * 100,
		    r->noise_bench);
	else
		out(f, "Controls: no control rows marked in these results: "
		       "the noise floor is not measured.");
	family_line(f, r);
	out(f, "%s", "");
}

static void warnings(FILE *f, const struct rreport *r)
{
	if (!r->nwarn)
		return;
	out(f, "Warnings:");
	for (size_t i = 0; i < r->nwarn; i++) {
		char line[2048];

		snprintf(line, sizeof(line), "- %s", r->warn[i]);
		rfmt_hang(f, "  ", "    ", line, WIDTH);
	}
	out(f, "%s", "");
}

/* Why a row is not in its family, in a word or two. */
static const char *tag(const struct rcmp *c)
{
	static const char *const why[RX_COUNT] = {
		[RX_N1] = " n=1",	   [RX_UNREACHABLE] = " n<min",
		[RX_DERIVED] = " derived", [RX_CONSTANT] = " constant",
		[RX_ONE_RUN] = " 1 run",   [RX_NOSPREAD] = " no spread",
	};

	if (c->excl)
		return why[c->excl];
	return c->primary ? "" : " 2nd";
}

static void row(FILE *f, const struct rreport *r, const struct rcmp *c)
{
	char ma[32], mb[32], ch[32], ib[80], p[16], q[16], name[16];
	char sa[16], sb[16];
	const char *v = rfmt_verdict(c->verdict), *col = "";
	enum runit u = c->ma->unit;

	if (strlen(c->ma->name) > 12) {
		out(f, "  %s%s", c->ma->name, c->primary ? "" : " [secondary]");
		name[0] = '\0';
	} else {
		snprintf(name, sizeof(name), "%s", c->ma->name);
	}
	rfmt_value(ma, sizeof(ma), c->med_a, u);
	rfmt_value(mb, sizeof(mb), c->med_b, u);
	rtext_change(ch, sizeof(ch), c);
	rtext_ci(ib, sizeof(ib), c);
	out(f, "  %-12s med  %9s -> %-9s %7s %s%s", name, ma, mb, ch, ib,
	    c->noise ? " ~" : "");
	rfmt_pct(sa, sizeof(sa), 1 + c->cv_a);
	rfmt_pct(sb, sizeof(sb), 1 + c->cv_b);
	rfmt_p(p, sizeof(p), c->p);
	rfmt_p(q, sizeof(q), c->q);
	if (r->o.color && c->verdict == 1)
		col = RED;
	else if (r->o.color && c->verdict == -1)
		col = GREEN;
	out(f, "  %-12s cv %s/%s n=%zu/%zu p=%s q=%s%s%s%s%s%s%s", "",
	    isnan(c->cv_a) ? "-" : sa + 1, isnan(c->cv_b) ? "-" : sb + 1, c->na,
	    c->nb, p, q, tag(c), col, c->sig ? " *" : "", *v ? " " : "", v,
	    *col ? RESET : "");
	if (c->conf < 1 - r->o.alpha - 1e-9)
		out(f, "  %-12s CI covers %.0f%%, not %g%%, at this n", "",
		    c->conf * 100, (1 - r->o.alpha) * 100);
	if (c->runs_a > 1 || c->runs_b > 1)
		out(f, "  %-12s runs %zu/%zu: per-run medians, Welch", "",
		    c->runs_a, c->runs_b);
}

/* Row labels (e.g. the pool family's regime) under a benchmark's name. */
static void labels(FILE *f, const struct rpair *p)
{
	char buf[1024], line[1100];

	if (!p->a->nlabels && !p->b->nlabels)
		return;
	rbench_labels_str(p->a, buf, sizeof(buf));
	snprintf(line, sizeof(line), "label A: %s", *buf ? buf : "-");
	rfmt_hang(f, "  ", "           ", line, WIDTH);
	rbench_labels_str(p->b, buf, sizeof(buf));
	snprintf(line, sizeof(line), "label B: %s", *buf ? buf : "-");
	rfmt_hang(f, "  ", "           ", line, WIDTH);
}

static void names(FILE *f, const char *title, char **v, size_t n)
{
	if (!n)
		return;
	out(f, "%s (%zu):", title, n);
	for (size_t i = 0; i < n; i++)
		rfmt_wrap(f, "  ", v[i], WIDTH);
	out(f, "%s", "");
}

static void skipped(FILE *f, const char *tag, const struct rset *s)
{
	if (!s->nskip)
		return;
	out(f, "Skipped in %s (%zu):", tag, s->nskip);
	for (size_t i = 0; i < s->nskip; i++) {
		char line[1024];

		snprintf(line, sizeof(line), "%s: %s", s->skip[i].name,
			 s->skip[i].reason);
		rfmt_hang(f, "  ", "    ", line, WIDTH);
	}
	out(f, "%s", "");
}

static void details(FILE *f, const struct rreport *r)
{
	const char *last = NULL;

	out(f,
	    "Details: median A -> B, change, %g%% CI; cv = spread per side; "
	    "* = q < %g within the metric's family; 2nd = secondary "
	    "metric (its own family); ~ = within the noise floor; left "
	    "out of the families: n=1, n<min (p cannot reach alpha), "
	    "derived (a rate from the time), constant, 1 run (a side, "
	    "between A and B), no spread (between runs).",
	    (1 - r->o.alpha) * 100, r->o.alpha);
	out(f, "%s", "");
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];

		if (!c->shown)
			continue;
		if (!last || strcmp(last, c->bench)) {
			if (last)
				out(f, "%s", "");
			out(f, "%s%s", c->bench,
			    c->control ? " [control]" : "");
			labels(f, &r->pairs[c->pair]);
			last = c->bench;
		}
		row(f, r, c);
	}
	if (last)
		out(f, "%s", "");
}

static void plots(FILE *f, const struct rreport *r)
{
	if (!r->nplots)
		return;
	out(f, "Plots (%zu, .png and .svg in this folder):", r->nplots);
	for (size_t i = 0; i < r->nplots; i++) {
		char line[1024];

		snprintf(line, sizeof(line), "%s: %s", r->plots[i],
			 r->plot_titles[i]);
		rfmt_hang(f, "  ", "    ", line, WIDTH);
	}
	out(f, "%s", "");
}

static void method(FILE *f, const struct rreport *r)
{
	out(f,
	    "Method: change = median(B) / median(A) - 1.  Within one run "
	    "(--by): %g%% Hodges-Lehmann interval of the ratio B/A (shift "
	    "of log values; a difference B-A where values can be <= 0) "
	    "and a two-sided Mann-Whitney U test, exact (permutation, "
	    "ties included) up to %d values, else normal with tie "
	    "correction.  Several runs a side: the run is the unit - "
	    "Welch's t test and interval on the per-run medians (of "
	    "logs).  One run a side between A and B: not tested.  "
	    "Multiplicity: %s within one family per primary metric, and "
	    "one per secondary metric; rows with n=1, n too small to "
	    "reach %g, rates derived from the time and constant metrics "
	    "are left out of the families.",
	    (1 - r->o.alpha) * 100, RS_EXACT_MAX_N, rcorr_name(r->o.corr),
	    r->o.alpha);
}

/* The first screen: who, the finding, the controls (make bench). */
void rtext_headline(FILE *f, const struct rreport *r)
{
	header(f, r);
	finding(f, r, FIND_HEADLINE);
}

void rtext_print(FILE *f, const struct rreport *r)
{
	header(f, r);
	finding(f, r, FIND_REPORT);
	warnings(f, r);
	details(f, r);
	names(f, r->sa == r->sb ? "Only with A" : "Only in A", r->only_a,
	      r->nonly_a);
	names(f, r->sa == r->sb ? "Only with B" : "Only in B", r->only_b,
	      r->nonly_b);
	if (r->sa == r->sb) {
		skipped(f, "the run", r->sa);
	} else {
		skipped(f, "A", r->sa);
		skipped(f, "B", r->sb);
	}
	plots(f, r);
	renv_print(f, r, false);
	method(f, r);
}
