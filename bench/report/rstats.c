// SPDX-License-Identifier: GPL-2.0
/* Two-sample statistics: Mann-Whitney U, Hodges-Lehmann, Holm, BH. */
#include "rstats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Doubles in an order-preserving unsigned integer form, and back. */
static uint64_t dkey(double x)
{
	uint64_t u;

	memcpy(&u, &x, sizeof(u));
	return u >> 63 ? ~u : u | (1ULL << 63);
}

static double dval(uint64_t k)
{
	uint64_t u = k >> 63 ? k & ~(1ULL << 63) : ~k;
	double x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* Sort key: -0.0 and +0.0 compare equal, as they do for <. */
static uint64_t skey(double x)
{
	return x == 0 ? dkey(0.0) : dkey(x);
}

/*
 * Stable: equal values keep their order, as with glibc's merge sort that
 * this replaces (its comparison callback was a tenth of a large compare).
 * Radix by bytes of skey, skipping bytes all values share; small arrays
 * by insertion.
 */
static void insertion_sort(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void rs_sort(double *v, size_t n)
{
	double *tmp = n < 64 ? NULL : malloc(n * sizeof(*tmp)), *from = v, *to;

	if (!tmp) {
		/* Small, or no memory for the radix: slow but in place. */
		insertion_sort(v, n);
		return;
	}
	to = tmp;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t cnt[256] = {0}, sum = 0;

		for (size_t i = 0; i < n; i++)
			cnt[skey(from[i]) >> shift & 0xff]++;
		if (cnt[skey(from[0]) >> shift & 0xff] == n)
			continue; /* one byte value: nothing to move */
		for (int d = 0; d < 256; d++) {
			size_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[cnt[skey(from[i]) >> shift & 0xff]++] = from[i];
		to = from;
		from = from == v ? tmp : v;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
	free(tmp);
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
 * The permutation distribution of the rank sum of the first sample, given
 * the ranks actually observed (average ranks for ties, doubled so that
 * they are integers): cnt[s] = number of ways na of the N ranks sum to s.
 * Without ties it is the classical exact distribution and depends on the
 * sizes only, so the last one is kept for the next call.
 */
struct rsdist {
	double *cnt;
	size_t smax;
	size_t na, n; /* cache key (untied only) */
};

static struct rsdist cache;

static int rank_dist(const long *r2, size_t n, size_t na, bool ties,
		     struct rsdist *out)
{
	size_t smax = 0, w;
	double *f;

	if (!ties && cache.cnt && cache.na == na && cache.n == n) {
		*out = cache;
		return 0;
	}
	for (size_t i = n - na; i < n; i++)
		smax += (size_t)r2[i]; /* r2 ascending: the top na */
	w = smax + 1;
	f = calloc((na + 1) * w, sizeof(*f));
	if (!f)
		return -1;
	f[0] = 1;
	for (size_t i = 0; i < n; i++) {
		size_t r = (size_t)r2[i];

		for (size_t j = (i + 1 < na ? i + 1 : na); j >= 1; j--) {
			double *cur = f + j * w, *low = f + (j - 1) * w;

			for (size_t s = smax; s >= r; s--)
				cur[s] += low[s - r];
		}
	}
	memmove(f, f + na * w, w * sizeof(*f));
	out->cnt = f;
	out->smax = smax;
	out->na = na;
	out->n = n;
	if (!ties) {
		free(cache.cnt);
		cache = *out;
	}
	return 0;
}

static void dist_done(struct rsdist *d)
{
	if (d->cnt != cache.cnt)
		free(d->cnt);
}

static bool exact_ok(size_t na, size_t nb)
{
	return na + nb <= RS_EXACT_MAX_N;
}

/*
 * Rank sum of a (average ranks), the tie term sum(t^3 - t) and, when r2
 * is given, the doubled ranks of all values in ascending order.
 */
static int rank_sum(const double *a, size_t na, const double *b, size_t nb,
		    double *ra, double *tie, long *r2)
{
	double *sa = malloc((na + nb) * sizeof(*sa)), *sb;
	size_t i = 0, j = 0, pos = 0;

	if (!sa)
		return -1;
	sb = sa + na;
	memcpy(sa, a, na * sizeof(*sa));
	memcpy(sb, b, nb * sizeof(*sb));
	rs_sort(sa, na);
	rs_sort(sb, nb);
	*ra = 0;
	*tie = 0;
	/* Merge the sorted sides; a group of equal values shares a rank. */
	while (i < na || j < nb) {
		double v =
			j >= nb || (i < na && sa[i] <= sb[j]) ? sa[i] : sb[j];
		size_t ti = 0, tj = 0;
		double avg, t;

		while (i + ti < na && sa[i + ti] == v)
			ti++;
		while (j + tj < nb && sb[j + tj] == v)
			tj++;
		t = (double)(ti + tj);
		avg = ((double)pos + (double)(pos + ti + tj - 1)) / 2 + 1;
		*tie += t * t * t - t;
		for (size_t k = 0; k < ti; k++)
			*ra += avg;
		for (size_t k = 0; r2 && k < ti + tj; k++)
			r2[pos + k] = (long)(2 * pos + ti + tj + 1);
		pos += ti + tj;
		i += ti;
		j += tj;
	}
	free(sa);
	return 0;
}

/* sd of U under the null with tie correction (as scipy). */
static double mwu_sd(size_t na, size_t nb, double tie)
{
	double n1 = (double)na, n2 = (double)nb, n = n1 + n2;

	return sqrt(n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1))));
}

/* Two-sided exact p: twice the smaller tail at the observed rank sum. */
static int exact_p(const double *a, size_t na, const double *b, size_t nb,
		   double ra, bool ties, double *p)
{
	size_t n = na + nb;
	long *r2 = malloc(n * sizeof(*r2));
	double dummy, tie, lo = 0, hi = 0, tot = 0;
	struct rsdist d;
	size_t obs = (size_t)llround(2 * ra);

	if (!r2 || rank_sum(a, na, b, nb, &dummy, &tie, r2) ||
	    rank_dist(r2, n, na, ties, &d)) {
		free(r2);
		return -1;
	}
	for (size_t s = 0; s <= d.smax; s++) {
		tot += d.cnt[s];
		lo += s <= obs ? d.cnt[s] : 0;
		hi += s >= obs ? d.cnt[s] : 0;
	}
	*p = fmin(1, 2 * fmin(lo, hi) / tot);
	dist_done(&d);
	free(r2);
	return 0;
}

int rs_mwu(const double *a, size_t na, const double *b, size_t nb,
	   struct rs_mwu *out)
{
	double ra, tie, u1, u, mu = (double)na * (double)nb / 2;

	if (!na || !nb) {
		errno = EINVAL;
		return -1;
	}
	if (rank_sum(a, na, b, nb, &ra, &tie, NULL))
		return -1;
	u1 = ra - (double)na * ((double)na + 1) / 2;
	u = fmax(u1, (double)na * (double)nb - u1);
	out->u1 = u1;
	out->exact = exact_ok(na, nb);
	if (out->exact) {
		if (exact_p(a, na, b, nb, ra, tie > 0, &out->p))
			return -1;
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

/* The differences b[j] - a[i] at or below t, and the nearest on each side. */
struct cut {
	uint64_t n;
	double below, above; /* valid when n > 0, n < na * nb */
};

/* Two pointers over sorted a and b: O(na + nb). */
static struct cut count_le(const double *a, size_t na, const double *b,
			   size_t nb, double t)
{
	struct cut c = {0};
	bool any_below = false, any_above = false;
	size_t j = 0;

	/* Rounding is monotone, so j only moves forward as a[i] grows. */
	for (size_t i = 0; i < na; i++) {
		while (j < nb && b[j] - a[i] <= t)
			j++;
		c.n += j;
		if (j && (!any_below || b[j - 1] - a[i] > c.below)) {
			c.below = b[j - 1] - a[i];
			any_below = true;
		}
		if (j < nb && (!any_above || b[j] - a[i] < c.above)) {
			c.above = b[j] - a[i];
			any_above = true;
		}
	}
	return c;
}

/*
 * The k-th difference is kept between two differences lo and hi; each
 * step counts the differences at or below a cut t and moves lo or hi to
 * the nearest difference on the far side of t, so every step removes
 * candidates.  A cut interpolates k's position between lo and hi (a
 * few steps on real data); after one that did not take half of the
 * candidates, the next halves the doubles between lo and hi, so there
 * are at most 64 of each whatever the values.
 */
double rs_kth_diff(const double *a, size_t na, const double *b, size_t nb,
		   uint64_t k)
{
	double lo = b[0] - a[na - 1], hi = b[nb - 1] - a[0], first = lo;
	uint64_t nlo = 0, nhi = (uint64_t)na * nb; /* below lo; <= hi */
	bool interpolate = true;

	while (lo < hi) {
		uint64_t kl = dkey(lo), kh = dkey(hi);
		double t = interpolate ? lo + (hi - lo) * ((double)(k - nlo) /
							   (double)(nhi - nlo))
				       : dval(kl + (kh - kl) / 2);
		uint64_t left = nhi - nlo;
		struct cut c;

		if (!(t >= lo && t < hi))
			t = lo; /* rounding, or hi - lo overflowed */
		c = count_le(a, na, b, nb, t);
		if (c.n >= k) {
			hi = c.below;
			nhi = c.n;
		} else {
			lo = c.above;
			nlo = c.n;
		}
		/* Halve next time unless this step took half the candidates. */
		interpolate = !interpolate || nhi - nlo <= left / 2;
	}
	/* A zero is -0.0 unless the smallest difference is +0.0 itself. */
	if (lo == 0)
		return first < 0 ? -0.0 : first;
	return lo;
}

/* Type-7 quantile q of all na*nb differences, by selection. */
static double diff_quantile(const double *a, size_t na, const double *b,
			    size_t nb, double q)
{
	uint64_t mn = (uint64_t)na * nb;
	double h = (double)(mn - 1) * q, f = h - floor(h);
	uint64_t i = (uint64_t)floor(h);
	double lo = rs_kth_diff(a, na, b, nb, i + 1);

	if (f == 0 || i + 1 >= mn)
		return lo;
	return lo + f * (rs_kth_diff(a, na, b, nb, i + 2) - lo);
}

static double *sorted_copy(const double *v, size_t n, bool logscale)
{
	double *c = malloc(n * sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++)
		c[i] = logscale ? log(v[i]) : v[i];
	rs_sort(c, n);
	return c;
}

int rs_hl_ci(const double *a, size_t na, const double *b, size_t nb,
	     double conf, bool logscale, struct rs_hl *out)
{
	uint64_t mn = (uint64_t)na * nb, k;
	double *sa = NULL, *sb = NULL, ra, tie, alpha = 1 - conf;
	int ret = -1;

	if (!na || !nb || !(conf > 0 && conf < 1)) {
		errno = EINVAL;
		return -1;
	}
	sa = sorted_copy(a, na, logscale);
	sb = sorted_copy(b, nb, logscale);
	if (!sa || !sb || rank_sum(a, na, b, nb, &ra, &tie, NULL))
		goto out;
	out->est = diff_quantile(sa, na, sb, nb, 0.5);
	out->exact = exact_ok(na, nb);
	out->conf = conf;
	if (out->exact) {
		/*
		 * R's qwilcox(alpha/2) on the untied distribution (R too
		 * ignores ties for the interval): the smallest q with
		 * P(U <= q) >= alpha/2, and the coverage it achieves.
		 */
		size_t n = na + nb, base = na * (na + 1);
		long *r2 = malloc(n * sizeof(*r2));
		double tot = 0, cum = 0, below = 0;
		struct rsdist d;
		uint64_t q;

		if (!r2)
			goto out;
		for (size_t i = 0; i < n; i++)
			r2[i] = (long)(2 * (i + 1));
		if (rank_dist(r2, n, na, false, &d)) {
			free(r2);
			goto out;
		}
		free(r2);
		/* Doubled rank sum s is U = (s - na(na+1)) / 2. */
		for (size_t s = base; s <= d.smax; s += 2)
			tot += d.cnt[s];
		for (q = 0; q <= mn; q++) {
			double c = d.cnt[base + 2 * q] / tot;

			if (cum + c >= alpha / 2 * (1 - 1e-12))
				break;
			cum += c;
		}
		k = q ? q : 1;
		/* Coverage of [d(k), d(mn+1-k)] is 1 - 2 P(U <= k-1). */
		for (uint64_t u = 0; u < k; u++)
			below += d.cnt[base + 2 * u] / tot;
		out->conf = 1 - 2 * below;
		dist_done(&d);
	} else {
		double c = (double)mn / 2 -
			   rs_norm_isf(alpha / 2) * mwu_sd(na, nb, tie);

		k = c >= 1 ? (uint64_t)floor(c) : 1;
	}
	if (k > mn)
		k = mn;
	out->lo = rs_kth_diff(sa, na, sb, nb, k);
	out->hi = rs_kth_diff(sa, na, sb, nb, mn + 1 - k);
	ret = 0;
out:
	free(sa);
	free(sb);
	return ret;
}

/* Regularized incomplete beta I_x(a, b), continued fraction (Lentz). */
static double betacf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;

	d = fabs(d) < tiny ? tiny : d;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= 10000; m++) {
		double m2 = 2.0 * m, aa, del;

		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		d = fabs(d) < tiny ? tiny : d;
		c = 1 + aa / c;
		c = fabs(c) < tiny ? tiny : c;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-16)
			break;
	}
	return h;
}

static double ibeta(double a, double b, double x)
{
	double lbt;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
	      b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lbt) * betacf(a, b, x) / a;
	return 1 - exp(lbt) * betacf(b, a, 1 - x) / b;
}

double rs_t_sf(double t, double df)
{
	double tail = 0.5 * ibeta(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? tail : 1 - tail;
}

double rs_t_isf(double p, double df)
{
	double lo = -1e3, hi = 1e3;

	/* Bisection, as rs_norm_isf: exact enough, no dependencies. */
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;

		if (rs_t_sf(mid, df) > p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void mean_var(const double *v, size_t n, double *mean, double *var)
{
	double m = 0, s = 0;

	/* Welford: stable for values close together. */
	for (size_t i = 0; i < n; i++) {
		double d = v[i] - m;

		m += d / (double)(i + 1);
		s += d * (v[i] - m);
	}
	*mean = m;
	*var = n > 1 ? s / (double)(n - 1) : NAN;
}

int rs_welch(const double *a, size_t na, const double *b, size_t nb,
	     double conf, struct rs_welch *out)
{
	double ma, va, mb, vb, se2, t;

	if (na < 2 || nb < 2 || !(conf > 0 && conf < 1)) {
		errno = EINVAL;
		return -1;
	}
	mean_var(a, na, &ma, &va);
	mean_var(b, nb, &mb, &vb);
	se2 = va / (double)na + vb / (double)nb;
	out->est = mb - ma;
	if (!(se2 > 0)) {
		/* No spread between units: nothing to infer from. */
		out->df = NAN;
		out->p = out->est == 0 ? 1 : NAN;
		out->lo = out->hi = out->est;
		return 0;
	}
	out->df = se2 * se2 /
		  (va * va / ((double)na * na * (double)(na - 1)) +
		   vb * vb / ((double)nb * nb * (double)(nb - 1)));
	t = out->est / sqrt(se2);
	out->p = fmin(1, 2 * rs_t_sf(fabs(t), out->df));
	t = rs_t_isf((1 - conf) / 2, out->df) * sqrt(se2);
	out->lo = out->est - t;
	out->hi = out->est + t;
	return 0;
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
