// SPDX-License-Identifier: GPL-2.0
/* Warnings about what a report can and cannot say, shared by renderers. */
#include "report.h"
#include "rstats.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Below this many samples per side a rank test says little. */
#define FEW_SAMPLES 5

static int add(char ***w, size_t *n, char *s)
{
	char **q;

	if (!s)
		return -1;
	q = realloc(*w, (*n + 1) * sizeof(*q));
	if (!q) {
		free(s);
		return -1;
	}
	*w = q;
	q[(*n)++] = s;
	return 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, f);
	rc = vasprintf(&s, f, ap);
	va_end(ap);
	return rc < 0 ? NULL : s;
}

/* Sample-size groups (na, nb) of primary comparisons with few samples. */
struct nn {
	size_t na, nb;
	double conf;
};

static int cmp_nn(const void *x, const void *y)
{
	const struct nn *a = x, *b = y;

	if (a->na != b->na)
		return (a->na > b->na) - (a->na < b->na);
	return (a->nb > b->nb) - (a->nb < b->nb);
}

static int small_n_group(const struct rreport *r, const struct nn *g,
			 size_t cnt, char ***w, size_t *n)
{
	double pmin = rs_mwu_min_p(g->na, g->nb);
	char conf[96] = "";

	if (g->conf < 1 - r->o.alpha - 1e-9)
		snprintf(conf, sizeof(conf),
			 "; their %g%% CIs cover only %.0f%%",
			 (1 - r->o.alpha) * 100, g->conf * 100);
	if (pmin >= r->o.alpha)
		return add(w, n,
			   fmt("%zu comparison%s with n=%zu/%zu: the smallest "
			       "possible p is %.3g, so %s can never be "
			       "significant at %g (left out of the family)%s; "
			       "run more repetitions",
			       cnt, cnt == 1 ? "" : "s", g->na, g->nb, pmin,
			       cnt == 1 ? "it" : "they", r->o.alpha, conf));
	return add(w, n,
		   fmt("%zu comparison%s with n=%zu/%zu (< %d per side): the "
		       "test has little power; smallest possible p is %.3g%s",
		       cnt, cnt == 1 ? "" : "s", g->na, g->nb, FEW_SAMPLES,
		       pmin, conf));
}

static int small_n(const struct rreport *r, char ***w, size_t *n)
{
	struct nn *v = malloc((r->nc + 1) * sizeof(*v));
	size_t k = 0;
	int ret = -1;

	if (!v)
		return -1;
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];

		if (c->primary && c->test == RT_WITHIN &&
		    (c->na < FEW_SAMPLES || c->nb < FEW_SAMPLES))
			v[k++] = (struct nn){c->na, c->nb, c->conf};
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp_nn);
	for (size_t i = 0; i < k;) {
		size_t j = i + 1;

		while (j < k && !cmp_nn(&v[i], &v[j]))
			j++;
		if (small_n_group(r, &v[i], j - i, w, n))
			goto out;
		i = j;
	}
	ret = 0;
out:
	free(v);
	return ret;
}

/* Benchmarks of s with error rows (listed with the skipped). */
static bool *with_errors(const struct rset *s)
{
	bool *e = calloc(s->nb + 1, sizeof(*e));

	for (size_t i = 0; e && i < s->nskip; i++) {
		const struct rbench *b = rset_find(s, s->skip[i].name);

		if (b)
			e[b - s->b] = true;
	}
	return e;
}

/*
 * A side lost rows of a benchmark (errors, partial repetitions without
 * items): its rates then average a different subset than the other's.
 */
static int dropped(const struct rreport *r, char ***w, size_t *n)
{
	bool *ea = with_errors(r->sa), *eb = with_errors(r->sb);
	size_t cnt = 0;
	char ex[512] = "";
	int ret = -1;

	if (!ea || !eb)
		goto out;
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];
		const struct rpair *p = &r->pairs[c->pair];
		bool err = ea[p->a - r->sa->b] || eb[p->b - r->sb->b];

		if (!c->shown && !c->primary)
			continue;
		if (!c->drop_a && !c->drop_b && !err)
			continue;
		if (!cnt++)
			snprintf(ex, sizeof(ex),
				 "%s %s: from %zu of %zu rows in %s, %zu of "
				 "%zu in %s%s",
				 c->bench, c->ma->name, c->na, p->a->rows,
				 r->label_a, c->nb, p->b->rows, r->label_b,
				 err ? ", and error rows" : "");
	}
	ret = cnt ? add(w, n,
			fmt("%zu comparison%s use rows that a side dropped "
			    "(errors, or rows without the metric), so the "
			    "sides average different subsets (e.g. %s)",
			    cnt, cnt == 1 ? "" : "s", ex))
		  : 0;
out:
	free(ea);
	free(eb);
	return ret;
}

/* One run a side: the test that would be needed cannot be done. */
static int one_run(const struct rreport *r, char ***w, size_t *n)
{
	char floor[160] = "";

	if (!r->excl[RX_ONE_RUN])
		return 0;
	if (r->n_control)
		snprintf(floor, sizeof(floor),
			 "; the control rows moved by up to %.1f%%",
			 r->noise * 100);
	return add(w, n,
		   fmt("%zu primary comparison%s had fewer than 2 runs a "
		       "side: the between-run variance is unknown, so "
		       "repetitions of one run cannot show a difference "
		       "between runs and none is called significant (CIs "
		       "shown are within-run only)%s; measure 3 or more "
		       "runs a side, or compare within one run with --by",
		       r->excl[RX_ONE_RUN], r->excl[RX_ONE_RUN] == 1 ? "" : "s",
		       floor));
}

/* one is an element of the comma-separated list. */
static bool in_list(const char *list, const char *one)
{
	const char *p = list;

	while (*p) {
		size_t k = strcspn(p, ",");

		if (k == strlen(one) && !strncmp(p, one, k))
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

/*
 * The regime= values of a benchmark's labels (the pool family's HVO
 * regime), comma-joined in first-seen order; "" when it has none.
 */
static void regimes(const struct rbench *b, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < b->nlabels; i++) {
		const char *v = strstr(b->labels[i].text, "regime=");
		char one[64];
		int w;

		if (!v)
			continue;
		v += strlen("regime=");
		snprintf(one, sizeof(one), "%.*s", (int)strcspn(v, " "), v);
		if (in_list(buf, one))
			continue;
		w = snprintf(buf + off, len - off, "%s%s", off ? "," : "", one);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
}

/*
 * A and B ran in different HVO regimes (first PMD splits vs already
 * split), or one side pools rows of several: the ratio mixes regimes.
 * hvo-off on one side is what --by=hvo compares, not a mismatch.
 */
static int regime_mix(const struct rreport *r, char ***w, size_t *n)
{
	size_t ndiff = 0, npool = 0;
	char ediff[512] = "", epool[512] = "";

	for (size_t i = 0; i < r->npairs; i++) {
		const struct rpair *p = &r->pairs[i];
		char ra[128], rb[128];

		regimes(p->a, ra, sizeof(ra));
		regimes(p->b, rb, sizeof(rb));
		if (strchr(ra, ',') || strchr(rb, ',')) {
			if (!npool++)
				snprintf(epool, sizeof(epool), "%s: A %s, B %s",
					 p->key, ra, rb);
		} else if (*ra && *rb && strcmp(ra, "hvo-off") &&
			   strcmp(rb, "hvo-off") && strcmp(ra, rb)) {
			if (!ndiff++)
				snprintf(ediff, sizeof(ediff), "%s: A %s, B %s",
					 p->key, ra, rb);
		}
	}
	if (ndiff && add(w, n,
			 fmt("%zu benchmark%s ran in different HVO regimes in "
			     "A and B (e.g. %s): not like for like",
			     ndiff, ndiff == 1 ? "" : "s", ediff)))
		return -1;
	if (npool && add(w, n,
			 fmt("%zu benchmark%s pool rows of more than one "
			     "HVO regime on one side (e.g. %s)",
			     npool, npool == 1 ? "" : "s", epool)))
		return -1;
	return 0;
}

/*
 * Metrics of the tlbsim plugin (bench/tlbsim, counters "sim:..."): a TLB
 * model driven by a QEMU guest's accesses, so say what they are wherever
 * the report is read.
 */
static int simulated(const struct rreport *r, char ***w, size_t *n)
{
	size_t cnt = 0;
	const char *ex = NULL;

	for (size_t i = 0; i < r->nc; i++)
		if (!strncmp(r->c[i].ma->name, "sim:", 4) && r->c[i].shown &&
		    !cnt++)
			ex = r->c[i].ma->name;
	return cnt ? add(w, n,
			 fmt("%zu comparison%s of metrics named sim:... (e.g. "
			     "%s) are SIMULATED, not measured: counts of the "
			     "tlbsim QEMU plugin, whose TLB models (named in "
			     "the metric) ran on the memory accesses of real "
			     "kernel execution in a TCG guest "
			     "(bench/tlbsim/README.md)",
			     cnt, cnt == 1 ? "" : "s", ex))
		   : 0;
}

int rreport_warnings(struct rreport *r)
{
	char **w = NULL;
	size_t n = 0;
	int ret = -1;

	if (simulated(r, &w, &n) || one_run(r, &w, &n) || small_n(r, &w, &n) ||
	    regime_mix(r, &w, &n) || dropped(r, &w, &n))
		goto out;
	for (int side = 0; side < 2; side++) {
		const struct rset *s = side ? r->sb : r->sa;
		char names[256];
		size_t k;

		if (side && r->sb == r->sa)
			break;
		k = renv_varying(s, names, sizeof(names));
		if (k &&
		    add(&w, &n,
			fmt("the %zu runs of %s differ in %zu environment "
			    "key%s (%s%s)",
			    s->nruns,
			    r->sa == r->sb ? "the set"
			    : side	   ? "B"
					   : "A",
			    k, k == 1 ? "" : "s", names, k > 3 ? ", ..." : "")))
			goto out;
	}
	if (r->n_noparam &&
	    add(&w, &n,
		fmt("%zu benchmark%s without a %s parameter not compared",
		    r->n_noparam, r->n_noparam == 1 ? "" : "s", r->by_param)))
		goto out;
	if (r->n_identical &&
	    add(&w, &n,
		fmt("%zu metric%s identical and constant on both sides "
		    "(not listed)",
		    r->n_identical, r->n_identical == 1 ? "" : "s")))
		goto out;
	ret = 0;
out:
	r->warn = w;
	r->nwarn = n;
	return ret;
}
