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

/* Sample-size groups (na, nb) of comparisons with few samples. */
static int small_n(const struct rreport *r, char ***w, size_t *n)
{
	for (size_t i = 0; i < r->nc; i++) {
		size_t na = r->c[i].na, nb = r->c[i].nb, cnt = 0;
		bool first = true;
		double pmin, bound;

		if (na >= FEW_SAMPLES && nb >= FEW_SAMPLES)
			continue;
		for (size_t j = 0; j < r->nc; j++) {
			if (r->c[j].na == na && r->c[j].nb == nb) {
				first &= j >= i;
				cnt++;
			}
		}
		if (!first)
			continue;
		pmin = rs_mwu_min_p(na, nb);
		/* Holm's first step tests the smallest p at alpha/m. */
		bound = r->o.corr == RCORR_HOLM ? pmin * (double)r->nc : pmin;
		if (bound >= r->o.alpha) {
			if (add(w, n,
				fmt("%zu comparison%s with n=%zu/%zu: the "
				    "smallest possible p is %.3g, so %s can "
				    "never be significant at %g%s; run more "
				    "repetitions",
				    cnt, cnt == 1 ? "" : "s", na, nb, pmin,
				    cnt == 1 ? "it" : "they", r->o.alpha,
				    r->o.corr == RCORR_HOLM
					    ? " after Holm correction"
					    : "")))
				return -1;
		} else if (add(w, n,
			       fmt("%zu comparison%s with n=%zu/%zu (< %d "
				   "per side): the test has little power; "
				   "smallest possible p is %.3g",
				   cnt, cnt == 1 ? "" : "s", na, nb,
				   FEW_SAMPLES, pmin))) {
			return -1;
		}
	}
	return 0;
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

size_t rreport_warnings(const struct rreport *r, char ***out)
{
	char **w = NULL;
	size_t n = 0;

	*out = NULL;
	if (small_n(r, &w, &n) || regime_mix(r, &w, &n))
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
			    "key%s (%s%s): their samples are pooled",
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
out:
	*out = w;
	return n;
}

void rreport_warnings_free(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}
