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

static int pair_by(struct rreport *r, const struct filt *fl, char *err,
		   size_t len)
{
	char *vals[2] = {NULL, NULL}, *colon;
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
	for (size_t i = 0; i < r->sa->nb; i++) {
		const struct rbench *a = &r->sa->b[i];
		const char *v = rbench_param(a, r->by_param);
		char *key;
		bool found = false;

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
		for (size_t j = 0; j < r->sa->nb && !found; j++) {
			const struct rbench *b = &r->sa->b[j];
			const char *w = rbench_param(b, r->by_param);
			char *k2;

			if (!w ||
			    strcmp(w, !strcmp(v, vals[0]) ? vals[1] : vals[0]))
				continue;
			k2 = strip_param(b->name, r->by_param, w);
			found = k2 && !strcmp(k2, key);
			free(k2);
			if (found && !strcmp(v, vals[0]) &&
			    push_pair(r, key, a, b)) {
				free(key);
				goto oom;
			}
		}
		if (!found &&
		    push_str(!strcmp(v, vals[0]) ? &r->only_a : &r->only_b,
			     !strcmp(v, vals[0]) ? &r->nonly_a : &r->nonly_b,
			     a->name)) {
			free(key);
			goto oom;
		}
		free(key);
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, len, "--by: %s", strerror(ENOMEM));
out:
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

static int compare_one(struct rcmp *c, const char *bench,
		       const struct rmetric *a, const struct rmetric *b,
		       double conf)
{
	struct rs_hl hl;
	struct rs_mwu u;

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
	c->change = c->med_a != 0 ? c->med_b / c->med_a - 1 : NAN;
	/* Ratios need positive values; otherwise report the difference. */
	c->ratio = all_positive(a) && all_positive(b);
	if (rs_hl_ci(a->v, a->n, b->v, b->n, conf, c->ratio, &hl) ||
	    rs_mwu(a->v, a->n, b->v, b->n, &u))
		return -1;
	c->est = c->ratio ? exp(hl.est) : hl.est;
	c->lo = c->ratio ? exp(hl.lo) : hl.lo;
	c->hi = c->ratio ? exp(hl.hi) : hl.hi;
	c->hl_exact = hl.exact;
	c->mwu_exact = u.exact;
	c->u1 = u.u1;
	c->p = u.p;
	return 0;
}

static int compare_pairs(struct rreport *r, const struct filt *fl)
{
	for (size_t i = 0; i < r->npairs; i++) {
		const struct rpair *pr = &r->pairs[i];

		for (size_t j = 0; j < pr->a->nm; j++) {
			const struct rmetric *ma = &pr->a->m[j], *mb;
			struct rcmp *q;

			mb = rbench_find_metric(pr->b, ma->name);
			if (!mb || !ma->n || !mb->n ||
			    !want_metric(fl, ma->name))
				continue;
			if (all_same(ma, mb)) {
				r->n_identical++;
				continue;
			}
			q = realloc(r->c, (r->nc + 1) * sizeof(*q));
			if (!q)
				return -1;
			r->c = q;
			if (compare_one(&r->c[r->nc], pr->key, ma, mb,
					1 - r->o.alpha))
				return -1;
			r->nc++;
		}
	}
	return 0;
}

static void verdicts(struct rreport *r)
{
	double *cost = malloc((r->nc + 1) * sizeof(*cost));

	for (size_t i = 0; i < r->nc; i++) {
		struct rcmp *c = &r->c[i];
		double up = c->ratio ? c->est - 1 : c->est;
		enum rdir d = c->ma->dir;

		if (up == 0)
			up = c->med_b - c->med_a;
		c->sig = c->q < r->o.alpha;
		if (c->sig && d == RDIR_NONE)
			c->verdict = 2;
		else if (c->sig)
			c->verdict = (up > 0) == (d == RDIR_LOWER) ? 1 : -1;
		r->n_worse += c->verdict == 1;
		r->n_better += c->verdict == -1;
		r->n_changed += c->verdict == 2;
		/* Cost ratio: > 1 means B is worse, whatever the direction. */
		if (cost && d != RDIR_NONE && c->ratio && c->med_a > 0 &&
		    c->med_b > 0)
			cost[r->n_geo++] = d == RDIR_LOWER
						   ? c->med_b / c->med_a
						   : c->med_a / c->med_b;
	}
	r->geomean = cost ? rs_geomean(cost, r->n_geo) : NAN;
	free(cost);
}

static int correct(struct rreport *r)
{
	double *p = malloc((r->nc + 1) * sizeof(*p));
	double *q = malloc((r->nc + 1) * sizeof(*q));
	int ret = -1;

	if (!p || !q)
		goto out;
	for (size_t i = 0; i < r->nc; i++)
		p[i] = r->c[i].p;
	if ((r->o.corr == RCORR_HOLM ? rs_holm : rs_bh)(p, r->nc, q))
		goto out;
	for (size_t i = 0; i < r->nc; i++)
		r->c[i].q = q[i];
	ret = 0;
out:
	free(p);
	free(q);
	return ret;
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
	if (!r->nc && !r->n_identical) {
		snprintf(err, len, "no metric to compare%s%s",
			 o->metric ? " matches --metric=" : "",
			 o->metric ? o->metric : "");
		goto out;
	}
	if (correct(r))
		goto oom;
	verdicts(r);
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
