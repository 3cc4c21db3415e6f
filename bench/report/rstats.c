// SPDX-License-Identifier: GPL-2.0
/* Two-sample statistics: Mann-Whitney U, Hodges-Lehmann, Holm, BH. */
#include "rstats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exact U distribution only while the table stays small. */
#define EXACT_MAX_SMALL 8
#define EXACT_MAX_CELLS 50000000.0

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

void rs_sort(double *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_double);
}

double rs_quantile_sorted(const double *s, size_t n, double q)
{
	double h, f;
	size_t i;

	if (!n)
		return NAN;
	h = (double)(n - 1) * q;
	i = (size_t)floor(h);
	if (i + 1 >= n)
		return s[n - 1];
	f = h - (double)i;
	return s[i] + f * (s[i + 1] - s[i]);
}

double rs_median(const double *v, size_t n)
{
	double *c, m;

	if (!n)
		return NAN;
	c = malloc(n * sizeof(*c));
	if (!c)
		return NAN;
	memcpy(c, v, n * sizeof(*c));
	rs_sort(c, n);
	m = rs_quantile_sorted(c, n, 0.5);
	free(c);
	return m;
}

double rs_mean(const double *v, size_t n)
{
	double m = 0;

	if (!n)
		return NAN;
	/* Running mean: no overflow for large values. */
	for (size_t i = 0; i < n; i++)
		m += (v[i] - m) / (double)(i + 1);
	return m;
}

double rs_norm_sf(double z)
{
	return 0.5 * erfc(z / M_SQRT2);
}

double rs_norm_isf(double p)
{
	double lo = -40, hi = 40;

	/* Bisection: slow but exact to double precision and dependency-free. */
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (rs_norm_sf(mid) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/*
 * Counts of the null distribution of U for sample sizes m (small) and n:
 * cnt[k] = number of arrangements with U = k, k = 0..m*n.  Recurrence on
 * the largest element: it belongs to the m side (adds n') or not.
 */
static double *mwu_counts(size_t m, size_t n)
{
	size_t len = m * n + 1;
	double *f = calloc((m + 1) * len, sizeof(*f));

	if (!f)
		return NULL;
	for (size_t j = 0; j <= m; j++)
		f[j * len] = 1; /* n' = 0: U is 0 */
	for (size_t np = 1; np <= n; np++) {
		for (size_t j = 1; j <= m; j++) {
			double *cur = f + j * len, *low = f + (j - 1) * len;

			for (size_t k = j * np; k >= np && k != (size_t)-1; k--)
				cur[k] += low[k - np];
		}
	}
	memmove(f, f + m * len, len * sizeof(*f));
	return f;
}

static bool exact_ok(size_t na, size_t nb, bool ties)
{
	size_t m = na < nb ? na : nb, n = na < nb ? nb : na;

	if (ties || m > EXACT_MAX_SMALL)
		return false;
	return (double)m * (double)m * (double)n * (double)n < EXACT_MAX_CELLS;
}

struct ranked {
	double v;
	int side;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v,
			  &((const struct ranked *)y)->v);
}

/* Rank sum of a (average ranks) and the tie term sum(t^3 - t). */
static int rank_sum(const double *a, size_t na, const double *b, size_t nb,
		    double *ra, double *tie)
{
	size_t n = na + nb, i = 0;
	struct ranked *r = malloc(n * sizeof(*r));

	if (!r)
		return -1;
	for (size_t k = 0; k < na; k++)
		r[k] = (struct ranked){a[k], 0};
	for (size_t k = 0; k < nb; k++)
		r[na + k] = (struct ranked){b[k], 1};
	qsort(r, n, sizeof(*r), cmp_ranked);
	*ra = 0;
	*tie = 0;
	while (i < n) {
		size_t j = i;
		double avg, t;

		while (j + 1 < n && r[j + 1].v == r[i].v)
			j++;
		avg = ((double)i + (double)j) / 2 + 1;
		t = (double)(j - i + 1);
		*tie += t * t * t - t;
		for (size_t k = i; k <= j; k++)
			if (r[k].side == 0)
				*ra += avg;
		i = j + 1;
	}
	free(r);
	return 0;
}

/* sd of U under the null with tie correction (as scipy). */
static double mwu_sd(size_t na, size_t nb, double tie)
{
	double n1 = (double)na, n2 = (double)nb, n = n1 + n2;

	return sqrt(n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1))));
}

int rs_mwu(const double *a, size_t na, const double *b, size_t nb,
	   struct rs_mwu *out)
{
	double ra, tie, u1, u, mu = (double)na * (double)nb / 2;

	if (!na || !nb) {
		errno = EINVAL;
		return -1;
	}
	if (rank_sum(a, na, b, nb, &ra, &tie))
		return -1;
	u1 = ra - (double)na * ((double)na + 1) / 2;
	u = fmax(u1, (double)na * (double)nb - u1);
	out->u1 = u1;
	out->exact = exact_ok(na, nb, tie > 0);
	if (out->exact) {
		size_t m = na < nb ? na : nb, n = na < nb ? nb : na;
		double *cnt = mwu_counts(m, n), tot = 0, tail = 0;

		if (!cnt)
			return -1;
		for (size_t k = 0; k <= m * n; k++) {
			tot += cnt[k];
			if ((double)k >= u)
				tail += cnt[k];
		}
		free(cnt);
		out->p = 2 * tail / tot;
	} else {
		double sd = mwu_sd(na, nb, tie);

		/* All values equal: no evidence at all. */
		out->p = sd > 0 ? 2 * rs_norm_sf((u - mu - 0.5) / sd) : 1;
	}
	if (out->p > 1)
		out->p = 1;
	return 0;
}

double rs_mwu_min_p(size_t na, size_t nb)
{
	double *a = malloc((na + nb + 1) * sizeof(*a)), p = 1;
	struct rs_mwu r;

	if (!a || !na || !nb)
		goto out;
	/* Complete separation gives the most extreme U. */
	for (size_t i = 0; i < na + nb; i++)
		a[i] = (double)i;
	if (!rs_mwu(a, na, a + na, nb, &r))
		p = r.p;
out:
	free(a);
	return p;
}

int rs_hl_ci(const double *a, size_t na, const double *b, size_t nb,
	     double conf, bool logscale, struct rs_hl *out)
{
	size_t mn = na * nb, k, q = 0;
	double *d = NULL, ra, tie, alpha = 1 - conf;
	int ret = -1;

	if (!na || !nb || !(conf > 0 && conf < 1)) {
		errno = EINVAL;
		return -1;
	}
	d = malloc(mn * sizeof(*d));
	if (!d)
		goto out;
	for (size_t i = 0; i < na; i++) {
		for (size_t j = 0; j < nb; j++) {
			double x =
				logscale ? log(b[j]) - log(a[i]) : b[j] - a[i];
			d[i * nb + j] = x;
		}
	}
	rs_sort(d, mn);
	out->est = rs_quantile_sorted(d, mn, 0.5);
	if (rank_sum(a, na, b, nb, &ra, &tie))
		goto out;
	out->exact = exact_ok(na, nb, tie > 0);
	if (out->exact) {
		size_t m = na < nb ? na : nb, n = na < nb ? nb : na;
		double *cnt = mwu_counts(m, n), tot = 0, cum = 0;

		if (!cnt)
			goto out;
		for (size_t i = 0; i <= mn; i++)
			tot += cnt[i];
		/* R's qwilcox(alpha/2): smallest q with P(U <= q) >= a/2. */
		for (q = 0; q <= mn; q++) {
			cum += cnt[q];
			if (cum / tot >= alpha / 2 * (1 - 1e-12))
				break;
		}
		free(cnt);
		k = q ? q : 1;
	} else {
		double c = (double)mn / 2 -
			   rs_norm_isf(alpha / 2) * mwu_sd(na, nb, tie);

		k = c >= 1 ? (size_t)floor(c) : 1;
	}
	if (k > mn)
		k = mn;
	out->lo = d[k - 1];
	out->hi = d[mn - k];
	ret = 0;
out:
	free(d);
	return ret;
}

struct pidx {
	double p;
	size_t i;
};

static int cmp_pidx(const void *x, const void *y)
{
	const struct pidx *a = x, *b = y;

	if (a->p != b->p)
		return (a->p > b->p) - (a->p < b->p);
	return (a->i > b->i) - (a->i < b->i);
}

static struct pidx *sorted_p(const double *p, size_t n)
{
	struct pidx *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = (struct pidx){p[i], i};
	qsort(s, n, sizeof(*s), cmp_pidx);
	return s;
}

int rs_holm(const double *p, size_t n, double *adj)
{
	struct pidx *s = sorted_p(p, n);
	double run = 0;

	if (!s)
		return -1;
	for (size_t r = 0; r < n; r++) {
		double v = (double)(n - r) * s[r].p;

		run = fmax(run, fmin(v, 1));
		adj[s[r].i] = run;
	}
	free(s);
	return 0;
}

int rs_bh(const double *p, size_t n, double *adj)
{
	struct pidx *s = sorted_p(p, n);
	double run = 1;

	if (!s)
		return -1;
	for (size_t r = n; r-- > 0;) {
		double v = (double)n / (double)(r + 1) * s[r].p;

		run = fmin(run, v);
		adj[s[r].i] = run;
	}
	free(s);
	return 0;
}

double rs_geomean(const double *v, size_t n)
{
	double s = 0;
	size_t c = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i] > 0 && isfinite(v[i])) {
			s += log(v[i]);
			c++;
		}
	}
	return c ? exp(s / (double)c) : NAN;
}
