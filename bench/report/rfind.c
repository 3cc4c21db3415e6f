// SPDX-License-Identifier: GPL-2.0
/*
 * The finding: the significant changes of each benchmark's primary metric,
 * largest first, and the noise floor measured by the control rows.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *rexcl_name(enum rexcl x)
{
	static const char *const names[RX_COUNT] = {
		[RX_NONE] = "tested",
		[RX_N1] = "n=1 on a side (no CI, no test)",
		[RX_UNREACHABLE] =
			"n too small for the exact test to reach alpha",
		[RX_DERIVED] = "derived from the time (a rate)",
		[RX_CONSTANT] = "constant on each side",
		[RX_ONE_RUN] = "one run a side: between-run variance unknown",
		[RX_NOSPREAD] = "per-run medians without spread",
	};

	return x < RX_COUNT ? names[x] : "?";
}

/* Size of an effect, whatever its direction: |log(B/A)| of medians. */
static double effect(const struct rcmp *c)
{
	double e = fabs(log1p(c->change));

	return isfinite(e) ? e : INFINITY;
}

static const struct rcmp *rank_base;

static int cmp_effect(const void *x, const void *y)
{
	double a = effect(&rank_base[*(const size_t *)x]);
	double b = effect(&rank_base[*(const size_t *)y]);

	if (a != b)
		return a < b ? 1 : -1;
	return (*(const size_t *)x > *(const size_t *)y) -
	       (*(const size_t *)x < *(const size_t *)y);
}

/* A control row of the axis compared (any marked one between A and B). */
static bool is_control(const struct rreport *r, const struct rpair *p)
{
	const char *ca = p->a->control_for, *cb = p->b->control_for;

	if (!r->by_param)
		return ca || cb;
	return (ca && !strcmp(ca, r->by_param)) ||
	       (cb && !strcmp(cb, r->by_param));
}

static void controls(struct rreport *r)
{
	r->noise = NAN;
	for (size_t i = 0; i < r->nc; i++) {
		struct rcmp *c = &r->c[i];
		c->control = is_control(r, &r->pairs[c->pair]);
		if (!c->control || !c->primary || c->excl == RX_N1 ||
		    !isfinite(c->change))
			continue;
		r->n_control++;
		if (isnan(r->noise) || fabs(c->change) > r->noise) {
			r->noise = fabs(c->change);
			r->noise_bench = c->bench;
		}
	}
	for (size_t i = 0; i < r->nc; i++) {
		struct rcmp *c = &r->c[i];

		c->noise = !c->control && r->n_control &&
			   fabs(c->change) < r->noise;
	}
}

int rreport_finding(struct rreport *r)
{
	bool any_tested = false;

	controls(r);
	r->find = malloc((r->nc + 1) * sizeof(*r->find));
	if (!r->find)
		return -1;
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];

		any_tested |=
			c->primary && c->test != RT_NONE && c->excl == RX_NONE;
	}
	/*
	 * Significant primary changes; when nothing could be tested (one
	 * run a side), the largest untested ones, which say so.
	 */
	r->find_tested = any_tested;
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];

		if (!c->primary || c->control)
			continue;
		if (any_tested ? c->sig : c->excl == RX_ONE_RUN)
			r->find[r->nfind++] = i;
	}
	rank_base = r->c;
	if (r->nfind)
		qsort(r->find, r->nfind, sizeof(*r->find), cmp_effect);
	return 0;
}
