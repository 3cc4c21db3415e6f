// SPDX-License-Identifier: GPL-2.0
/* Containers of the report: sets of benchmarks, metrics, histograms. */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Grow *p (of *cap elements of size sz) to hold n; 0 or -1. */
static int grow(void *p, size_t *cap, size_t n, size_t sz)
{
	void **pp = p, *q;
	size_t c = *cap ? *cap : 4;

	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	q = realloc(*pp, c * sz);
	if (!q)
		return -1;
	memset((char *)q + *cap * sz, 0, (c - *cap) * sz);
	*pp = q;
	*cap = c;
	return 0;
}

/* FNV-1a: the benchmark index is a hash of names, not a list scan. */
static size_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* Slot of name in the index: its entry, or the empty one to fill. */
static size_t *slot(const struct rset *s, const char *name)
{
	size_t i = hash_str(name) & (s->htcap - 1);

	while (s->ht[i] && strcmp(s->b[s->ht[i] - 1].name, name))
		i = (i + 1) & (s->htcap - 1);
	return &s->ht[i];
}

/* Keep the index at most half full; entries are index + 1. */
static int rehash(struct rset *s)
{
	size_t cap = s->htcap ? s->htcap * 2 : 64, old = s->htcap;
	size_t *ht = calloc(cap, sizeof(*ht)), *prev = s->ht;

	if (!ht)
		return -1;
	s->ht = ht;
	s->htcap = cap;
	for (size_t i = 0; i < old; i++)
		if (prev[i])
			*slot(s, s->b[prev[i] - 1].name) = prev[i];
	free(prev);
	return 0;
}

struct rbench *rset_find(const struct rset *s, const char *name)
{
	size_t e = s->htcap ? *slot(s, name) : 0;

	return e ? &s->b[e - 1] : NULL;
}

/* Names are stored escaped (rsafe_dup), and looked up the same way. */
struct rbench *rset_bench(struct rset *s, const char *name)
{
	struct rbench *b = rsafe_clean(name) ? rset_find(s, name) : NULL;
	char *safe;

	if (b)
		return b; /* the common case: no copy */
	safe = rsafe_dup(name);
	b = safe ? rset_find(s, safe) : NULL;
	if (b || !safe)
		goto out;
	if ((s->nb + 1) * 2 > s->htcap && rehash(s))
		goto out;
	/* Pointers into s->b are valid until the next new benchmark. */
	if (grow(&s->b, &s->capb, s->nb + 1, sizeof(*s->b)))
		goto out;
	b = &s->b[s->nb];
	memset(b, 0, sizeof(*b));
	b->name = safe;
	safe = NULL;
	s->nb++;
	*slot(s, b->name) = s->nb;
out:
	free(safe);
	return b;
}

const struct rmetric *rbench_find_metric(const struct rbench *b,
					 const char *name)
{
	for (size_t i = 0; i < b->nm; i++)
		if (!strcmp(b->m[i].name, name))
			return &b->m[i];
	return NULL;
}

struct rmetric *rbench_metric(struct rbench *b, const char *name, enum rdir dir,
			      enum runit unit)
{
	char *safe = NULL;
	struct rmetric *m;

	/* Metric names come from JSON keys: stored escaped, found so. */
	if (!rsafe_clean(name)) {
		safe = rsafe_dup(name);
		if (!safe)
			return NULL;
		name = safe;
	}
	m = (struct rmetric *)rbench_find_metric(b, name);
	if (m)
		goto out;
	if (grow(&b->m, &b->capm, b->nm + 1, sizeof(*b->m)))
		goto out;
	m = &b->m[b->nm];
	m->name = safe ? safe : strdup(name);
	safe = NULL;
	if (!m->name) {
		m = NULL;
		goto out;
	}
	m->dir = dir;
	m->unit = unit;
	b->nm++;
out:
	free(safe);
	return m;
}

int rmetric_add(struct rmetric *m, double v, uint32_t run)
{
	size_t cap = m->cap;

	if (grow(&m->v, &m->cap, m->n + 1, sizeof(*m->v)))
		return -1;
	if (grow(&m->run, &cap, m->n + 1, sizeof(*m->run))) {
		m->cap = m->n; /* v grew, run did not: retry both next time */
		return -1;
	}
	m->v[m->n] = v;
	m->run[m->n++] = run;
	return 0;
}

struct rhist *rbench_hist(struct rbench *b, const char *name)
{
	struct rhist *h;
	void *q;

	for (size_t i = 0; i < b->nh; i++)
		if (!strcmp(b->h[i].name, name))
			return &b->h[i];
	q = realloc(b->h, (b->nh + 1) * sizeof(*b->h));
	if (!q)
		return NULL;
	b->h = q;
	h = &b->h[b->nh];
	memset(h, 0, sizeof(*h));
	h->name = rsafe_dup(name);
	if (!h->name)
		return NULL;
	b->nh++;
	return h;
}

int rhist_add(struct rhist *h, double lo, double hi, double count)
{
	if (grow(&h->b, &h->cap, h->n + 1, sizeof(*h->b)))
		return -1;
	h->b[h->n++] = (struct rbucket){lo, hi, count};
	return 0;
}

static int cmp_bucket(const void *x, const void *y)
{
	const struct rbucket *a = x, *b = y;

	if (a->lo != b->lo)
		return (a->lo > b->lo) - (a->lo < b->lo);
	return (a->hi > b->hi) - (a->hi < b->hi);
}

void rhist_finish(struct rhist *h)
{
	size_t w = 0;

	if (!h->n)
		return;
	qsort(h->b, h->n, sizeof(*h->b), cmp_bucket);
	for (size_t i = 1; i < h->n; i++) {
		if (h->b[i].lo == h->b[w].lo && h->b[i].hi == h->b[w].hi)
			h->b[w].count += h->b[i].count;
		else
			h->b[++w] = h->b[i];
	}
	h->n = w + 1;
}

double rhist_quantile(const struct rhist *h, double q)
{
	double tot = 0, cum = 0, want;

	for (size_t i = 0; i < h->n; i++)
		tot += h->b[i].count;
	if (!(tot > 0))
		return NAN;
	want = q * tot;
	for (size_t i = 0; i < h->n; i++) {
		const struct rbucket *b = &h->b[i];

		if (cum + b->count >= want && b->count > 0) {
			double f = (want - cum) / b->count;

			return b->lo + f * (b->hi - b->lo);
		}
		cum += b->count;
	}
	return h->b[h->n - 1].hi;
}

const char *rbench_param(const struct rbench *b, const char *key)
{
	for (size_t i = 0; i < b->nparams; i++)
		if (!strcmp(b->params[i].key, key))
			return b->params[i].val;
	return NULL;
}

int rbench_label(struct rbench *b, const char *text)
{
	void *q;

	for (size_t i = 0; i < b->nlabels; i++) {
		if (!strcmp(b->labels[i].text, text)) {
			b->labels[i].n++;
			return 0;
		}
	}
	q = realloc(b->labels, (b->nlabels + 1) * sizeof(*b->labels));
	if (!q)
		return -1;
	b->labels = q;
	b->labels[b->nlabels].text = rsafe_dup(text);
	b->labels[b->nlabels].n = 1;
	if (!b->labels[b->nlabels].text)
		return -1;
	b->nlabels++;
	return 0;
}

void rbench_labels_str(const struct rbench *b, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < b->nlabels && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s (%zu)",
				 i ? ", " : "", b->labels[i].text,
				 b->labels[i].n);

		if (w < 0)
			break;
		off += (size_t)w;
	}
}

int rset_add_skip(struct rset *s, const char *name, const char *reason)
{
	char *n = rsafe_dup(name), *r = rsafe_dup(reason);
	void *q;

	if (!n || !r)
		goto fail;
	/* The same skip from several runs is listed once. */
	for (size_t i = 0; i < s->nskip; i++) {
		if (!strcmp(s->skip[i].name, n) &&
		    !strcmp(s->skip[i].reason, r)) {
			free(n);
			free(r);
			return 0;
		}
	}
	q = realloc(s->skip, (s->nskip + 1) * sizeof(*s->skip));
	if (!q)
		goto fail;
	s->skip = q;
	s->skip[s->nskip++] = (struct rskip){n, r};
	return 0;
fail:
	free(n);
	free(r);
	return -1;
}

static void free_kv(struct rkv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

void rset_free(struct rset *s)
{
	for (size_t i = 0; i < s->nb; i++) {
		struct rbench *b = &s->b[i];

		free(b->name);
		free_kv(b->params, b->nparams);
		for (size_t j = 0; j < b->nm; j++) {
			free(b->m[j].name);
			free(b->m[j].v);
			free(b->m[j].run);
		}
		free(b->m);
		for (size_t j = 0; j < b->nh; j++) {
			free(b->h[j].name);
			free(b->h[j].b);
		}
		free(b->h);
		for (size_t j = 0; j < b->nlabels; j++)
			free(b->labels[j].text);
		free(b->labels);
		free(b->control_for);
		free(b->vm_run);
		free(b->primary);
	}
	free(s->b);
	free(s->ht);
	for (size_t i = 0; i < s->nruns; i++) {
		free(s->runs[i].path);
		free_kv(s->runs[i].env, s->runs[i].nenv);
	}
	free(s->runs);
	for (size_t i = 0; i < s->nskip; i++) {
		free(s->skip[i].name);
		free(s->skip[i].reason);
	}
	free(s->skip);
	free(s->label);
	memset(s, 0, sizeof(*s));
}
