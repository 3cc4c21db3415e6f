// SPDX-License-Identifier: GPL-2.0
/*
 * Pair benchmarks (A vs B, or two values of one parameter within a set),
 * compare every metric they share, and correct for multiple comparisons.
 */
#include "report.h"
#include "rstats.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

struct filt {
	bool has_bench;
	regex_t bench;
	regex_t *metric;
	size_t nmetric;
};

static void filt_free(struct filt *fl)
{
	if (fl->has_bench)
		regfree(&fl->bench);
	for (size_t i = 0; i < fl->nmetric; i++)
		regfree(&fl->metric[i]);
	free(fl->metric);
}

static int filt_init(struct filt *fl, const struct ropts *o, char *err,
		     size_t len)
{
	char *list = NULL, *tok, *save = NULL;
	int rc;

	memset(fl, 0, sizeof(*fl));
	if (o->filter) {
		rc = regcomp(&fl->bench, o->filter, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char m[128];

			regerror(rc, &fl->bench, m, sizeof(m));
			snprintf(err, len, "--filter=%s: %s", o->filter, m);
			return -1;
		}
		fl->has_bench = true;
	}
	if (!o->metric)
		return 0;
	list = strdup(o->metric);
	fl->metric = calloc(strlen(o->metric) + 1, sizeof(*fl->metric));
	if (!list || !fl->metric) {
		snprintf(err, len, "--metric: %s", strerror(ENOMEM));
		goto fail;
	}
	/* Each element names whole metrics: anchored at both ends. */
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char pat[512];

		snprintf(pat, sizeof(pat), "^(%s)$", tok);
		rc = regcomp(&fl->metric[fl->nmetric], pat,
			     REG_EXTENDED | REG_NOSUB);
		if (rc) {
			snprintf(err, len, "--metric=%s: bad pattern \"%s\"",
				 o->metric, tok);
			goto fail;
		}
		fl->nmetric++;
	}
	if (!fl->nmetric) {
		snprintf(err, len, "--metric=: no metric named");
		goto fail;
	}
	free(list);
	return 0;
fail:
	free(list);
	filt_free(fl);
	return -1;
}

static bool want_bench(const struct filt *fl, const char *name)
{
	return !fl->has_bench || !regexec(&fl->bench, name, 0, NULL, 0);
}

static bool want_metric(const struct filt *fl, const char *name)
{
	if (!fl->nmetric)
		return true;
	for (size_t i = 0; i < fl->nmetric; i++)
		if (!regexec(&fl->metric[i], name, 0, NULL, 0))
			return true;
	return false;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **q = realloc(*v, (*n + 1) * sizeof(**v));

	if (!q)
		return -1;
	*v = q;
	q[*n] = strdup(s);
	if (!q[*n])
		return -1;
	(*n)++;
	return 0;
}

static int push_pair(struct rreport *r, const char *key, const struct rbench *a,
		     const struct rbench *b)
{
	struct rpair *q = realloc(r->pairs, (r->npairs + 1) * sizeof(*q));

	if (!q)
		return -1;
	r->pairs = q;
	q[r->npairs] = (struct rpair){strdup(key), a, b};
	if (!q[r->npairs].key)
		return -1;
	r->npairs++;
	return 0;
}

static int pair_ab(struct rreport *r, const struct filt *fl)
{
	for (size_t i = 0; i < r->sa->nb; i++) {
		const struct rbench *a = &r->sa->b[i];
		const struct rbench *b = rset_find(r->sb, a->name);

		if (!want_bench(fl, a->name))
			continue;
		if (b ? push_pair(r, a->name, a, b)
		      : push_str(&r->only_a, &r->nonly_a, a->name))
			return -1;
	}
	for (size_t i = 0; i < r->sb->nb; i++) {
		const struct rbench *b = &r->sb->b[i];

		if (want_bench(fl, b->name) && !rset_find(r->sa, b->name) &&
		    push_str(&r->only_b, &r->nonly_b, b->name))
			return -1;
	}
	return 0;
}

/* The name without its "param:value" component: the pairing key. */
static char *strip_param(const char *name, const char *param, const char *val)
{
	size_t pl = strlen(param), vl = strlen(val);
	char *key = strdup(name), *p = key;

	while (p && (p = strstr(p, param))) {
		bool start = p == key || p[-1] == '/';
		char *end = p + pl + 1 + vl;

		if (start && p[pl] == ':' && !strncmp(p + pl + 1, val, vl) &&
		    (*end == '/' || !*end)) {
			if (p > key && !*end)
				p--; /* drop the slash before a last part */
			else if (*end == '/')
				end++;
			memmove(p, end, strlen(end) + 1);
			return key;
		}
		p++;
	}
	return key;
}

/* Order two values: off/on style pairs put the "off" one first. */
static void order_vals(char *v[2])
{
	static const char *const first[] = {"off",   "0",   "no",
					    "false", "pmd", NULL};

	for (int i = 0; first[i]; i++) {
		if (!strcmp(v[1], first[i])) {
			char *t = v[0];

			v[0] = v[1];
			v[1] = t;
			return;
		}
	}
}

static int by_values(struct rreport *r, char *vals[2], char *err, size_t len)
{
	const char *p = r->by_param;
	size_t nv = 0;
	char seen[4][128];

	for (size_t i = 0; i < r->sa->nb; i++) {
		const char *v = rbench_param(&r->sa->b[i], p);
		size_t j = 0;

		if (!v)
			continue;
		while (j < nv && j < 4 && strcmp(seen[j], v))
			j++;
		if (j < nv)
			continue;
		if (nv < 4)
			snprintf(seen[nv], sizeof(seen[nv]), "%s", v);
		nv++;
	}
	if (!nv) {
		snprintf(err, len, "--by=%s: no benchmark has this parameter",
			 p);
		return -1;
	}
	if (nv == 1) {
		snprintf(err, len,
			 "--by=%s: every benchmark has %s=%s; nothing to pair",
			 p, p, seen[0]);
		return -1;
	}
	if (nv != 2) {
		snprintf(err, len,
			 "--by=%s: the parameter has %zu values (%s,%s%s%s%s); "
			 "name two as --by=%s:X,Y",
			 p, nv, seen[0], seen[1], nv > 2 ? "," : "",
			 nv > 2 ? seen[2] : "", nv > 3 ? ",..." : "", p);
		return -1;
	}
	vals[0] = strdup(seen[0]);
	vals[1] = strdup(seen[1]);
	if (!vals[0] || !vals[1]) {
		snprintf(err, len, "--by: %s", strerror(ENOMEM));
		return -1;
	}
	order_vals(vals);
	return 0;
}

/* A benchmark with the --by parameter, under its pairing key. */
struct keyed {
	char *key;
	const struct rbench *b;
	int side; /* 0: the first value (A), 1: the second (B) */
};

static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	return c ? c : a->side - b->side;
}

/* Pairs in the order of the file (their A benchmark), as without --by. */
static int cmp_pair(const void *x, const void *y)
{
	const struct rpair *a = x, *b = y;

	return (a->a > b->a) - (a->a < b->a);
}

/* Sort by key, then walk: O(n log n) however many benchmarks. */
static int pair_sorted(struct rreport *r, struct keyed *k, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && !strcmp(k[j].key, k[i].key))
			j++;
		if (j - i >= 2 && k[i].side == 0 && k[i + 1].side == 1) {
			if (push_pair(r, k[i].key, k[i].b, k[i + 1].b))
				return -1;
		} else {
			for (size_t m = i; m < j; m++)
				if (push_str(k[m].side ? &r->only_b
						       : &r->only_a,
					     k[m].side ? &r->nonly_b
						       : &r->nonly_a,
					     k[m].b->name))
					return -1;
		}
		i = j;
	}
	return 0;
}

static int pair_by(struct rreport *r, const struct filt *fl, char *err,
		   size_t len)
{
	char *vals[2] = {NULL, NULL}, *colon;
	struct keyed *k = NULL;
	size_t nk = 0;
	int ret = -1;

	r->by_param = strdup(r->o.by);
	if (!r->by_param)
		goto oom;
	colon = strchr(r->by_param, ':');
	if (colon) {
		char *comma = strchr(colon + 1, ',');

		*colon = '\0';
		if (!comma || comma == colon + 1 || !comma[1] ||
		    strchr(comma + 1, ',')) {
			snprintf(err, len,
				 "--by=%s: expected PARAM or PARAM:A,B",
				 r->o.by);
			goto out;
		}
		*comma = '\0';
		vals[0] = strdup(colon + 1);
		vals[1] = strdup(comma + 1);
		if (!vals[0] || !vals[1])
			goto oom;
	} else if (by_values(r, vals, err, len)) {
		goto out;
	}
	if (!*r->by_param) {
		snprintf(err, len, "--by=%s: empty parameter name", r->o.by);
		goto out;
	}
	if (!strcmp(vals[0], vals[1])) {
		snprintf(err, len, "--by=%s: the two values must differ",
			 r->o.by);
		goto out;
	}
	if (asprintf(&r->label_a, "%s:%s", r->by_param, vals[0]) < 0 ||
	    asprintf(&r->label_b, "%s:%s", r->by_param, vals[1]) < 0) {
		r->label_a = r->label_b = NULL;
		goto oom;
	}
	k = calloc(r->sa->nb + 1, sizeof(*k));
	if (!k)
		goto oom;
	for (size_t i = 0; i < r->sa->nb; i++) {
		const struct rbench *a = &r->sa->b[i];
		const char *v = rbench_param(a, r->by_param);
		char *key;

		if (!v) {
			r->n_noparam++;
			continue;
		}
		if (strcmp(v, vals[0]) && strcmp(v, vals[1]))
			continue;
		key = strip_param(a->name, r->by_param, v);
		if (!key)
			goto oom;
		if (!want_bench(fl, key)) {
			free(key);
			continue;
		}
		k[nk++] = (struct keyed){key, a, !!strcmp(v, vals[0])};
	}
	if (nk)
		qsort(k, nk, sizeof(*k), cmp_keyed);
	if (pair_sorted(r, k, nk))
		goto oom;
	if (r->npairs)
		qsort(r->pairs, r->npairs, sizeof(*r->pairs), cmp_pair);
	ret = 0;
	goto out;
oom:
	snprintf(err, len, "--by: %s", strerror(ENOMEM));
out:
	for (size_t i = 0; i < nk; i++)
		free(k[i].key);
	free(k);
	free(vals[0]);
	free(vals[1]);
	return ret;
}

static bool all_same(const struct rmetric *a, const struct rmetric *b)
{
	double v = a->v[0];

	for (size_t i = 0; i < a->n; i++)
		if (a->v[i] != v)
			return false;
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i] != v)
			return false;
	return true;
}

static bool all_positive(const struct rmetric *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (!(m->v[i] > 0))
			return false;
	return true;
}

/* Each side constant (but not the same constant): nothing to test. */
static bool each_constant(const struct rmetric *a, const struct rmetric *b)
{
	for (size_t i = 1; i < a->n; i++)
		if (a->v[i] != a->v[0])
			return false;
	for (size_t i = 1; i < b->n; i++)
		if (b->v[i] != b->v[0])
			return false;
	return true;
}

/* Rates that the harness computes from the time: 1/time again. */
static bool derived(const char *name)
{
	return !strcmp(name, "items_per_second") ||
	       !strcmp(name, "bytes_per_second");
}

static double cv(const double *v, size_t n)
{
	double m = rs_mean(v, n), s = 0;

	if (n < 2 || !(m != 0))
		return NAN;
	for (size_t i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return sqrt(s / (double)(n - 1)) / fabs(m);
}

/*
 * Runs (result files) a metric's values came from.  Values are appended
 * in load order, so run indices never decrease along v.
 */
static size_t runs_of(const struct rmetric *m)
{
	size_t k = m->n ? 1 : 0;

	for (size_t i = 1; i < m->n; i++)
		k += m->run[i] != m->run[i - 1];
	return k;
}

/* Median of each run's values (of logs for ratios) into out. */
static size_t run_medians(const struct rmetric *m, bool logs, double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n;) {
		size_t j = i;

		while (j < m->n && m->run[j] == m->run[i])
			j++;
		out[k] = rs_median(m->v + i, j - i);
		if (logs)
			out[k] = log(out[k]);
		k++;
		i = j;
	}
	return k;
}

/* The two-level test: Welch on per-run medians, the run as the unit. */
static int test_runs(struct rcmp *c, double conf)
{
	double *ra = malloc(c->runs_a * sizeof(*ra));
	double *rb = malloc(c->runs_b * sizeof(*rb));
	struct rs_welch w;
	int ret = -1;

	if (!ra || !rb)
		goto out;
	run_medians(c->ma, c->ratio, ra);
	run_medians(c->mb, c->ratio, rb);
	if (rs_welch(ra, c->runs_a, rb, c->runs_b, conf, &w))
		goto out;
	c->est = c->ratio ? exp(w.est) : w.est;
	c->lo = c->ratio ? exp(w.lo) : w.lo;
	c->hi = c->ratio ? exp(w.hi) : w.hi;
	c->p = w.p;
	c->conf = conf;
	if (isnan(w.p))
		c->excl = RX_NOSPREAD;
	ret = 0;
out:
	free(ra);
	free(rb);
	return ret;
}

/* Mann-Whitney and Hodges-Lehmann on the repetitions themselves. */
static int test_within(struct rcmp *c, double alpha)
{
	const struct rmetric *a = c->ma, *b = c->mb;
	struct rs_hl hl;
	struct rs_mwu u;

	if (rs_hl_ci(a->v, a->n, b->v, b->n, 1 - alpha, c->ratio, &hl) ||
	    rs_mwu(a->v, a->n, b->v, b->n, &u))
		return -1;
	c->est = c->ratio ? exp(hl.est) : hl.est;
	c->lo = c->ratio ? exp(hl.lo) : hl.lo;
	c->hi = c->ratio ? exp(hl.hi) : hl.hi;
	c->conf = hl.conf;
	c->hl_exact = hl.exact;
	c->mwu_exact = u.exact;
	c->u1 = u.u1;
	c->p = u.p;
	if (!c->excl && rs_mwu_min_p(a->n, b->n) >= alpha)
		c->excl = RX_UNREACHABLE;
	return 0;
}

static int compare_one(const struct rreport *r, struct rcmp *c,
		       const char *bench, const struct rmetric *a,
		       const struct rmetric *b)
{
	bool shared = r->sa == r->sb;

	memset(c, 0, sizeof(*c));
	c->bench = bench;
	c->ma = a;
	c->mb = b;
	c->na = a->n;
	c->nb = b->n;
	c->med_a = rs_median(a->v, a->n);
	c->med_b = rs_median(b->v, b->n);
	c->mean_a = rs_mean(a->v, a->n);
	c->mean_b = rs_mean(b->v, b->n);
	c->cv_a = cv(a->v, a->n);
	c->cv_b = cv(b->v, b->n);
	c->change = c->med_a != 0 ? c->med_b / c->med_a - 1 : NAN;
	c->est = c->lo = c->hi = c->p = c->q = c->conf = NAN;
	c->runs_a = runs_of(a);
	c->runs_b = runs_of(b);
	/* Ratios need positive values; otherwise report the difference. */
	c->ratio = all_positive(a) && all_positive(b);
	c->test = RT_NONE;
	if (a->n < 2 || b->n < 2) {
		c->excl = RX_N1;
		return 0;
	}
	if (each_constant(a, b)) {
		c->excl = RX_CONSTANT;
		return 0;
	}
	if (derived(a->name))
		c->excl = RX_DERIVED;
	/*
	 * Repetitions of one run say nothing about the next run: between
	 * runs only the run is a sample.  --by inside one run compares
	 * values that shared it, so the repetitions are the samples there.
	 */
	if (c->runs_a >= 2 && c->runs_b >= 2) {
		c->test = RT_RUNS;
		return test_runs(c, 1 - r->o.alpha);
	}
	c->test = shared && c->runs_a == 1 && c->runs_b == 1 &&
				  a->run[0] == b->run[0]
			  ? RT_WITHIN
			  : RT_NONE;
	if (c->test == RT_NONE && !c->excl)
		c->excl = RX_ONE_RUN;
	if (test_within(c, r->o.alpha))
		return -1;
	if (c->test == RT_NONE)
		c->p = NAN; /* within-run p is no evidence between runs */
	return 0;
}

static const char *primary_of(const struct rpair *p)
{
	return p->a->primary   ? p->a->primary
	       : p->b->primary ? p->b->primary
			       : "real_time";
}

static int compare_pairs(struct rreport *r, const struct filt *fl)
{
	size_t cap = 0;

	for (size_t i = 0; i < r->npairs; i++) {
		const struct rpair *pr = &r->pairs[i];

		for (size_t j = 0; j < pr->a->nm; j++) {
			const struct rmetric *ma = &pr->a->m[j], *mb;
			struct rcmp *c;

			mb = rbench_find_metric(pr->b, ma->name);
			if (!mb || !ma->n || !mb->n)
				continue;
			if (all_same(ma, mb)) {
				r->n_identical += want_metric(fl, ma->name);
				continue;
			}
			if (r->nc == cap) {
				cap = cap ? cap * 2 : 64;
				c = realloc(r->c, cap * sizeof(*c));
				if (!c)
					return -1;
				r->c = c;
			}
			c = &r->c[r->nc];
			if (compare_one(r, c, pr->key, ma, mb))
				return -1;
			/* Every metric is tested; --metric only displays. */
			c->shown = want_metric(fl, ma->name);
			c->pair = i;
			c->primary = !strcmp(ma->name, primary_of(pr));
			c->drop_a =
				pr->a->rows > ma->n ? pr->a->rows - ma->n : 0;
			c->drop_b =
				pr->b->rows > mb->n ? pr->b->rows - mb->n : 0;
			r->nc++;
		}
	}
	return 0;
}

/* Family order: primary ones first, then by metric name. */
static const struct rcmp *fam_base;

static int cmp_fam(const void *x, const void *y)
{
	const struct rcmp *a = &fam_base[*(const size_t *)x];
	const struct rcmp *b = &fam_base[*(const size_t *)y];

	if (a->primary != b->primary)
		return b->primary - a->primary;
	return strcmp(a->ma->name, b->ma->name);
}

bool rcmp_tested(const struct rcmp *c)
{
	return c->test != RT_NONE && c->excl == RX_NONE;
}

/* Correct one family (idx[0..n)) and record it. */
static int correct_one(struct rreport *r, const size_t *idx, size_t n)
{
	double *p = malloc(n * sizeof(*p)), *q = malloc(n * sizeof(*q));
	struct rfamily *f;
	int ret = -1;

	f = realloc(r->fam, (r->nfam + 1) * sizeof(*f));
	if (!p || !q || !f)
		goto out;
	r->fam = f;
	f = &r->fam[r->nfam++];
	*f = (struct rfamily){r->c[idx[0]].ma->name, r->c[idx[0]].primary, n,
			      0};
	for (size_t i = 0; i < n; i++)
		p[i] = r->c[idx[i]].p;
	if ((r->o.corr == RCORR_HOLM ? rs_holm : rs_bh)(p, n, q))
		goto out;
	for (size_t i = 0; i < n; i++) {
		r->c[idx[i]].q = q[i];
		r->c[idx[i]].sig = q[i] < r->o.alpha;
		f->n_sig += r->c[idx[i]].sig;
	}
	ret = 0;
out:
	free(p);
	free(q);
	return ret;
}

/*
 * One family per primary metric (real_time unless a benchmark declares
 * another) and one per secondary metric: which metrics are displayed
 * never changes the verdict on the primary ones.
 */
static int correct(struct rreport *r)
{
	size_t *idx = malloc((r->nc + 1) * sizeof(*idx)), n = 0;
	int ret = -1;

	if (!idx)
		return -1;
	for (size_t i = 0; i < r->nc; i++)
		if (rcmp_tested(&r->c[i]))
			idx[n++] = i;
	fam_base = r->c;
	if (n)
		qsort(idx, n, sizeof(*idx), cmp_fam);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && !cmp_fam(&idx[i], &idx[j]))
			j++;
		if (correct_one(r, idx + i, j - i))
			goto out;
		i = j;
	}
	ret = 0;
out:
	free(idx);
	return ret;
}

static void verdicts(struct rreport *r)
{
	for (size_t i = 0; i < r->nc; i++) {
		struct rcmp *c = &r->c[i];
		double up = c->ratio ? c->est - 1 : c->est;
		enum rdir d = c->ma->dir;

		if (up == 0 || isnan(up))
			up = c->med_b - c->med_a;
		if (c->sig && d == RDIR_NONE)
			c->verdict = 2;
		else if (c->sig)
			c->verdict = (up > 0) == (d == RDIR_LOWER) ? 1 : -1;
		if (!c->primary)
			continue;
		r->n_primary++;
		r->excl[c->excl]++;
		r->n_worse += c->verdict == 1;
		r->n_better += c->verdict == -1;
		r->n_changed += c->verdict == 2;
	}
}

static bool any_shown(const struct rreport *r)
{
	for (size_t i = 0; i < r->nc; i++)
		if (r->c[i].shown)
			return true;
	return false;
}

int rreport_build(struct rreport *r, const struct rset *a, const struct rset *b,
		  const struct ropts *o, char *err, size_t len)
{
	struct filt fl;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->o = *o;
	r->sa = a;
	r->sb = b ? b : a;
	if (filt_init(&fl, o, err, len))
		return -1;
	if (o->by) {
		if (pair_by(r, &fl, err, len))
			goto out;
	} else {
		r->label_a = strdup("A");
		r->label_b = strdup("B");
		if (!r->label_a || !r->label_b || pair_ab(r, &fl))
			goto oom;
	}
	if (!r->npairs) {
		if (o->by)
			snprintf(err, len,
				 "no benchmarks differ only in %s=%s/%s%s",
				 r->by_param, strchr(r->label_a, ':') + 1,
				 strchr(r->label_b, ':') + 1,
				 o->filter ? " (after --filter)" : "");
		else
			snprintf(err, len,
				 "no common benchmarks between %s and %s%s",
				 a->label, b->label,
				 o->filter ? " (after --filter)" : "");
		goto out;
	}
	if (compare_pairs(r, &fl))
		goto oom;
	if (!r->n_identical && !any_shown(r)) {
		snprintf(err, len, "no metric to compare%s%s",
			 o->metric ? " matches --metric=" : "",
			 o->metric ? o->metric : "");
		goto out;
	}
	if (correct(r))
		goto oom;
	verdicts(r);
	if (rreport_finding(r) || rreport_warnings(r))
		goto oom;
	ret = 0;
	goto out;
oom:
	snprintf(err, len, "comparing: %s", strerror(ENOMEM));
out:
	filt_free(&fl);
	/* Messages quote names and paths: keep them one line. */
	for (char *p = err; ret && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (ret)
		rreport_free(r);
	return ret;
}

void rreport_free(struct rreport *r)
{
	for (size_t i = 0; i < r->nwarn; i++)
		free(r->warn[i]);
	free(r->warn);
	for (size_t i = 0; i < r->nplots; i++) {
		free(r->plots[i]);
		free(r->plot_titles[i]);
	}
	free(r->plots);
	free(r->plot_titles);
	free(r->fam);
	free(r->find);
	for (size_t i = 0; i < r->npairs; i++)
		free(r->pairs[i].key);
	free(r->pairs);
	for (size_t i = 0; i < r->nonly_a; i++)
		free(r->only_a[i]);
	for (size_t i = 0; i < r->nonly_b; i++)
		free(r->only_b[i]);
	free(r->only_a);
	free(r->only_b);
	free(r->c);
	free(r->label_a);
	free(r->label_b);
	free(r->by_param);
	memset(r, 0, sizeof(*r));
}
