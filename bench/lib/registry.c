// SPDX-License-Identifier: GPL-2.0
/* Registered benchmarks and extensions, and their expansion to instances. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static struct reg {
	const struct bench_def *def;
	const char *name;
} defs[MAX_BENCH];
static int ndefs;
static const struct bench_ext *exts[MAX_EXT];
static int nexts;

void bench_register(const struct bench_def *def, const char *id)
{
	if (ndefs == MAX_BENCH)
		return;
	defs[ndefs].def = def;
	defs[ndefs++].name = def->name ? def->name : id;
}

/* Kept sorted by priority, stable for equal ones. */
void bench_ext_register(const struct bench_ext *ext)
{
	int i;

	if (nexts == MAX_EXT)
		return;
	for (i = nexts; i > 0 && exts[i - 1]->priority > ext->priority; i--)
		exts[i] = exts[i - 1];
	exts[i] = ext;
	nexts++;
}

int bench_count(void)
{
	return ndefs;
}

const struct bench_def *bench_at(int i)
{
	return defs[i].def;
}

const char *bench_name_at(int i)
{
	return defs[i].name;
}

int bench_ext_count(void)
{
	return nexts;
}

const struct bench_ext *bench_ext_at(int i)
{
	return exts[i];
}

static int cmp_def(const void *a, const void *b)
{
	const struct reg *x = a, *y = b;

	if (x->def->order != y->def->order)
		return x->def->order < y->def->order ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Stable order whatever the link order: by order, name, params as declared. */
int bench_instances(struct bench_instance **out, int *n, char *err, size_t len)
{
	struct bench_instance *v = NULL;
	int cnt = 0, cap = 0;

	qsort(defs, (size_t)ndefs, sizeof(defs[0]), cmp_def);
	for (int d = 0; d < ndefs; d++) {
		const struct bench_def *def = defs[d].def;
		static struct param_axis axis[BENCH_MAX_PARAMS];
		int np = 0, total = 1;

		for (; np < BENCH_MAX_PARAMS && def->params[np].name; np++) {
			if (param_expand(def->params[np].name,
					 def->params[np].spec, &axis[np], err,
					 len))
				goto fail;
			total *= axis[np].n;
		}
		for (int k = 0; k < total; k++) {
			if (cnt == cap) {
				cap = cap ? cap * 2 : 64;
				void *nv = realloc(v, (size_t)cap * sizeof(*v));

				if (!nv) {
					snprintf(err, len, "out of memory");
					goto fail;
				}
				v = nv;
			}
			struct bench_instance *in = &v[cnt++];
			int rest = k, off;

			memset(in, 0, sizeof(*in));
			in->def = def;
			in->family = defs[d].name;
			in->family_index = d;
			in->instance_index = k;
			in->nparams = np;
			in->threads = 1;
			/* Last parameter varies fastest. */
			for (int p = np - 1; p >= 0; p--) {
				int idx = rest % axis[p].n;

				rest /= axis[p].n;
				in->pname[p] = def->params[p].name;
				/* Instances outlive the axes: keep a copy. */
				in->pvalue[p] = strdup(axis[p].value[idx]);
				if (!in->pvalue[p]) {
					snprintf(err, len, "out of memory");
					goto fail;
				}
			}
			off = snprintf(in->name, sizeof(in->name), "%s",
				       in->family);
			for (int p = 0; p < np; p++) {
				off += snprintf(in->name + off,
						sizeof(in->name) - (size_t)off,
						"/%s:%s", in->pname[p],
						in->pvalue[p]);
				if (!strcmp(in->pname[p], "threads"))
					in->threads = atoi(in->pvalue[p]);
			}
			if (in->threads < 1 || in->threads > 1024) {
				snprintf(err, len,
					 "%s: threads must be 1..1024",
					 in->name);
				goto fail;
			}
		}
	}
	*out = v;
	*n = cnt;
	return 0;
fail:
	free(v);
	return -1;
}
