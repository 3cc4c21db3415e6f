// SPDX-License-Identifier: GPL-2.0
/* Registered benchmarks and extensions, and their expansion to instances. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static struct reg {
	const struct bench_def *def;
	const char *name;
	const char *id; /* BENCH_REGISTER's identifier: unique per program */
} defs[MAX_BENCH];
static int ndefs;
static const struct bench_ext *exts[MAX_EXT];
static int nexts;
static const struct bench_axis *axes[MAX_AXES];
static int naxes;

void bench_axis_register(const struct bench_axis *axis)
{
	if (naxes < MAX_AXES)
		axes[naxes++] = axis;
}

int bench_axis_count(void)
{
	return naxes;
}

const struct bench_axis *bench_axis_at(int i)
{
	return axes[i];
}

int bench_axis_find(const char *name)
{
	for (int i = 0; i < naxes; i++)
		if (!strcmp(axes[i]->name, name))
			return i;
	return -1;
}

uint64_t inst_iterations(const struct bench_instance *in)
{
	return in->args && in->args->iterations ? in->args->iterations
						: in->def->iterations;
}

double inst_min_time(const struct bench_instance *in)
{
	return in->args && in->args->min_time > 0 ? in->args->min_time
						  : in->def->min_time;
}

int inst_repetitions(const struct bench_instance *in)
{
	return in->args && in->args->repetitions ? in->args->repetitions
						 : in->def->repetitions;
}

/* --precision wins; an explicit --repetitions fixes the rounds instead. */
double inst_precision(const struct bench_instance *in)
{
	if (bench_opts.precision > 0)
		return bench_opts.precision;
	if (bench_opts.repetitions)
		return 0;
	return in->args ? in->args->precision : 0;
}

double inst_budget(const struct bench_instance *in)
{
	if (bench_opts.budget > 0)
		return bench_opts.budget;
	return in->args && in->args->budget > 0 ? in->args->budget : 20;
}

void bench_register(const struct bench_def *def, const char *id)
{
	if (ndefs == MAX_BENCH)
		return;
	defs[ndefs].def = def;
	defs[ndefs].id = id;
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

	int c;

	if (x->def->order != y->def->order)
		return x->def->order < y->def->order ? -1 : 1;
	c = strcmp(x->name, y->name);
	/*
	 * Registrations may share a name (pool/grow has one per argument
	 * range); qsort is not stable, so the identifier decides.
	 */
	return c ? c : strcmp(x->id, y->id);
}

/* The spec of parameter p: the suite's if it names it, else the def's. */
static const char *param_spec(const struct bench_def *def,
			      const struct bench_args *a, int p)
{
	for (int i = 0; a && i < BENCH_MAX_PARAMS && a->params[i].name; i++)
		if (!strcmp(a->params[i].name, def->params[p].name))
			return a->params[i].spec;
	return def->params[p].spec;
}

/* "size:4K/map:private" matches the instance's values. */
static bool control_matches(const struct bench_instance *in, const char *when)
{
	const char *p = when;

	while (p && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		bool hit = false;

		for (int i = 0; i < in->nparams && !hit; i++) {
			size_t k = strlen(in->pname[i]);

			hit = n == k + 1 + strlen(in->pvalue[i]) &&
			      !strncmp(p, in->pname[i], k) && p[k] == ':' &&
			      !strncmp(p + k + 1, in->pvalue[i], n - k - 1);
		}
		if (!hit)
			return false;
		p = slash ? slash + 1 : NULL;
	}
	return true;
}

bool bench_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Fill in name, threads, axes, control; 0 or -1 with err. */
static int name_instance(struct bench_instance *in, char *err, size_t len)
{
	int off = snprintf(in->name, sizeof(in->name), "%s", in->family);

	for (int p = 0; p < in->nparams; p++) {
		off += snprintf(in->name + off, sizeof(in->name) - (size_t)off,
				"/%s:%s", in->pname[p], in->pvalue[p]);
		if (!strcmp(in->pname[p], "threads"))
			in->threads = atoi(in->pvalue[p]);
		if (bench_axis_find(in->pname[p]) >= 0 && in->naxes < MAX_AXES)
			in->axis_param[in->naxes++] = p;
	}
	if (in->threads < 1 || in->threads > 1024) {
		snprintf(err, len, "%s: threads must be 1..1024", in->name);
		return -1;
	}
	if (in->def->control.axis && control_matches(in, in->def->control.when))
		in->control_for = in->def->control.axis;
	return 0;
}

static bool seen_before(const struct bench_instance *v, int from, int to,
			const char *name)
{
	for (int i = from; i < to; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

/*
 * Stable order whatever the link order: by order, name, then the suite
 * argument sets and params as declared.  With a suite selected, only its
 * argument sets expand; a name already made by this definition is kept
 * once.
 */
int bench_instances(struct bench_instance **out, int *n, char *err, size_t len)
{
	struct bench_instance *v = NULL;
	int cnt = 0, cap = 0;

	qsort(defs, (size_t)ndefs, sizeof(defs[0]), cmp_def);
	for (int d = 0; d < ndefs; d++) {
		const struct bench_def *def = defs[d].def;
		int first = cnt, nsets = 0, np = 0;

		while (nsets < BENCH_MAX_ARGS && def->args[nsets].suite)
			nsets++;
		while (np < BENCH_MAX_PARAMS && def->params[np].name)
			np++;
		for (int a = 0; a < (nsets ? nsets : 1); a++) {
			const struct bench_args *args =
				nsets ? &def->args[a] : NULL;
			const char *suites = args	   ? args->suite
					     : def->suites ? def->suites
							   : "quick,full";
			static struct param_axis axis[BENCH_MAX_PARAMS];
			int total = 1;

			if (args && bench_opts.suite &&
			    !bench_word_in(suites, bench_opts.suite))
				continue;
			for (int p = 0; p < np; p++) {
				if (param_expand(def->params[p].name,
						 param_spec(def, args, p),
						 &axis[p], err, len))
					goto fail;
				total *= axis[p].n;
			}
			for (int k = 0; k < total; k++) {
				if (cnt == cap) {
					cap = cap ? cap * 2 : 64;
					void *nv = realloc(
						v, (size_t)cap * sizeof(*v));

					if (!nv) {
						snprintf(err, len,
							 "out of memory");
						goto fail;
					}
					v = nv;
				}
				struct bench_instance *in = &v[cnt];
				int rest = k;

				memset(in, 0, sizeof(*in));
				in->def = def;
				in->family = defs[d].name;
				in->family_index = d;
				in->instance_index = cnt - first;
				in->nparams = np;
				in->threads = 1;
				in->args = args;
				in->suites = suites;
				/* Last parameter varies fastest. */
				for (int p = np - 1; p >= 0; p--) {
					int idx = rest % axis[p].n;

					rest /= axis[p].n;
					in->pname[p] = def->params[p].name;
					/* Instances outlive the axes: copy. */
					in->pvalue[p] =
						strdup(axis[p].value[idx]);
					if (!in->pvalue[p]) {
						snprintf(err, len,
							 "out of memory");
						goto fail;
					}
				}
				if (name_instance(in, err, len))
					goto fail;
				if (!seen_before(v, first, cnt, in->name))
					cnt++;
				else
					for (int p = 0; p < np; p++)
						free((char *)in->pvalue[p]);
			}
		}
	}
	*out = v;
	*n = cnt;
	return 0;
fail:
	bench_instances_free(v, cnt);
	return -1;
}

void bench_instances_free(struct bench_instance *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int p = 0; p < v[i].nparams; p++)
			free((char *)v[i].pvalue[p]);
	free(v);
}
