// SPDX-License-Identifier: GPL-2.0
/*
 * The environment of each run, flattened to "a.b.c" = "value", and the
 * diff printed at the top of a report: only keys whose values differ
 * between the sides (as MMTests flags differing command lines).
 */
#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Values that change on every run and say nothing about the setup (free
 * memory, free huge pages: the pool sizes themselves are kept).
 */
static const char *const volatile_keys[] = {
	"date",
	"load_avg",
	"timer_overhead_ns",
	"timestamp",
	"uptime",
	"uptime_s",
	"executable",
	"boot_id",
	"time",
	"safety_margin_bytes",
	"MemFree_bytes",
	"MemAvailable_bytes",
	"AnonHugePages_bytes",
	"HugePages_Free",
	"free_hugepages",
	NULL,
};

static bool is_volatile(const char *key)
{
	const char *last = strrchr(key, '.');

	last = last ? last + 1 : key;
	for (int i = 0; volatile_keys[i]; i++)
		if (!strcasecmp(last, volatile_keys[i]))
			return true;
	return false;
}

static int put(struct rrun *r, const char *key, const char *val)
{
	if (is_volatile(key))
		return 0;
	if (r->nenv == r->capenv) {
		size_t c = r->capenv ? r->capenv * 2 : 32;
		void *q = realloc(r->env, c * sizeof(*r->env));

		if (!q)
			return -1;
		r->env = q;
		r->capenv = c;
	}
	r->env[r->nenv].key = rsafe_dup(key);
	r->env[r->nenv].val = rsafe_dup(val);
	if (!r->env[r->nenv].key || !r->env[r->nenv].val)
		return -1;
	r->nenv++;
	return 0;
}

static bool all_scalars(json_t *a)
{
	size_t i;
	json_t *e;

	json_array_foreach (a, i, e)
		if (json_is_object(e) || json_is_array(e))
			return false;
	return true;
}

static int scalar_str(json_t *v, char *buf, size_t len)
{
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.6g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, len, "null");
	return 0;
}

static int flatten(struct rrun *r, const char *prefix, json_t *v)
{
	char key[512], buf[4096];

	if (json_is_object(v)) {
		const char *k;
		json_t *c;

		json_object_foreach (v, k, c) {
			snprintf(key, sizeof(key), "%s%s%s", prefix,
				 *prefix ? "." : "", k);
			if (flatten(r, key, c))
				return -1;
		}
		return 0;
	}
	if (json_is_array(v) && !all_scalars(v)) {
		size_t i;
		json_t *c;

		json_array_foreach (v, i, c) {
			snprintf(key, sizeof(key), "%s[%zu]", prefix, i);
			if (flatten(r, key, c))
				return -1;
		}
		return 0;
	}
	if (json_is_array(v)) {
		size_t i, off = 0;
		json_t *c;

		/* argv, flag lists: one value, space separated. */
		buf[0] = '\0';
		json_array_foreach (v, i, c) {
			char one[1024];

			scalar_str(c, one, sizeof(one));
			off += snprintf(buf + off,
					off < sizeof(buf) ? sizeof(buf) - off
							  : 0,
					"%s%s", i ? " " : "", one);
			if (off >= sizeof(buf))
				break;
		}
		return put(r, prefix, buf);
	}
	scalar_str(v, buf, sizeof(buf));
	return put(r, prefix, buf);
}

int renv_flatten(struct rrun *r, json_t *ctx)
{
	const char *k;
	json_t *c;

	/* Our additions drop the "hvobench." prefix: shorter lines. */
	json_object_foreach (ctx, k, c) {
		if (!strcmp(k, "hvobench") && json_is_object(c)) {
			if (flatten(r, "", c))
				return -1;
		} else if (flatten(r, k, c)) {
			return -1;
		}
	}
	return 0;
}

static const char *run_val(const struct rrun *r, const char *key)
{
	for (size_t i = 0; i < r->nenv; i++)
		if (!strcmp(r->env[i].key, key))
			return r->env[i].val;
	return NULL;
}

/* Distinct values of key over a set's runs, " | " separated. */
static char *side_vals(const struct rset *s, const char *key)
{
	size_t cap = 64, off = 0;
	char *out = calloc(1, cap);

	for (size_t i = 0; out && i < s->nruns; i++) {
		const char *v = run_val(&s->runs[i], key);
		bool seen = false;
		size_t need;

		v = v ? v : "(absent)";
		for (size_t j = 0; j < i && !seen; j++) {
			const char *w = run_val(&s->runs[j], key);

			seen = !strcmp(w ? w : "(absent)", v);
		}
		if (seen)
			continue;
		need = off + strlen(v) + 4;
		if (need > cap) {
			char *q = realloc(out, need * 2);

			if (!q) {
				free(out);
				return NULL;
			}
			out = q;
			cap = need * 2;
		}
		off += sprintf(out + off, "%s%s", off ? " | " : "", v);
	}
	return out;
}

/* A Markdown table cell in a code span: '|' would end the cell. */
static void md_code(FILE *f, const char *v)
{
	fputc('`', f);
	for (; *v; v++) {
		if (*v == '|')
			fputc('\\', f);
		fputc(*v == '`' ? '\'' : *v, f);
	}
	fputc('`', f);
}

/* Print "key: value" or key and wrapped value lines, within 72 columns. */
static void kv_line(FILE *f, bool md, const char *tag, const char *key,
		    const char *val)
{
	size_t klen = strlen(key) + strlen(tag);

	if (md) {
		fprintf(f, "| %s%s | ", tag, key);
		md_code(f, val);
		fprintf(f, " |\n");
		return;
	}
	if (klen + strlen(val) + 4 <= 72) {
		fprintf(f, "  %s%s: %s\n", tag, key, val);
		return;
	}
	fprintf(f, "  %s%s:\n", tag, key);
	rfmt_wrap(f, "      ", val, 72);
}

/* The few keys that describe a single run (--by): exact or suffix. */
static bool wanted_brief(const char *key)
{
	static const char *const exact[] = {"version", "suite", "host_name",
					    "num_cpus", NULL};
	static const char *const suffix[] = {
		"kernel.release",	    "kernel.cmdline",
		"cpu.model_name",	    "cpu.microcode",
		"hugetlb_optimize_vmemmap", "hardware_pmu.present",
		"hardware_pmu.why",	    "virtualization.virtualized",
		"systemd_detect_virt",	    "suite.version",
		"suite.build_type",	    NULL,
	};
	size_t kl = strlen(key);

	if (!strncmp(key, "user.", 5))
		return true;
	for (int i = 0; exact[i]; i++)
		if (!strcmp(key, exact[i]))
			return true;
	for (int i = 0; suffix[i]; i++) {
		size_t sl = strlen(suffix[i]);

		if (kl >= sl && !strcmp(key + kl - sl, suffix[i]) &&
		    (kl == sl || key[kl - sl - 1] == '.'))
			return true;
	}
	return false;
}

/* Keys in order of first appearance over both sides' runs. */
static void each_key(const struct rset *a, const struct rset *b,
		     void (*fn)(const char *key, void *arg), void *arg)
{
	const struct rset *sides[2] = {a, b};
	const char **keys = NULL;
	size_t n = 0, cap = 0;

	for (int s = 0; s < 2; s++) {
		if (!sides[s] || (s == 1 && sides[1] == sides[0]))
			continue;
		for (size_t i = 0; i < sides[s]->nruns; i++) {
			const struct rrun *r = &sides[s]->runs[i];

			for (size_t k = 0; k < r->nenv; k++) {
				size_t j = 0;

				while (j < n && strcmp(keys[j], r->env[k].key))
					j++;
				if (j < n)
					continue;
				if (n == cap) {
					size_t c = cap ? cap * 2 : 64;
					const char **q = realloc(
						keys, c * sizeof(*keys));

					if (!q)
						goto out;
					keys = q;
					cap = c;
				}
				keys[n++] = r->env[k].key;
			}
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		fn(keys[i], arg);
	free(keys);
}

/* A whole section recorded by one side only is summarized in one line. */
#define MAX_GROUPS 64
#define GROUP_MIN  3

struct group {
	char name[96];
	int side; /* 0: only in A, 1: only in B */
	size_t count;
	bool printed;
};

struct diff_arg {
	FILE *f;
	const struct rreport *r;
	bool md;
	size_t shown;
	struct group g[MAX_GROUPS];
	size_t ng;
};

static bool absent(const struct rset *s, const char *key)
{
	for (size_t i = 0; i < s->nruns; i++)
		if (run_val(&s->runs[i], key))
			return false;
	return true;
}

/* "topology.caches[0].level" -> "topology"; "env.cpu.x" -> "env.cpu". */
static void section(const char *key, char *buf, size_t len)
{
	size_t n = strcspn(key, ".[");

	if (!strncmp(key, "env.", 4))
		n = 4 + strcspn(key + 4, ".[");
	snprintf(buf, len, "%.*s", (int)n, key);
}

/* -1 when the key is recorded on both sides, else its side. */
static int only_side(const struct diff_arg *d, const char *key)
{
	bool a = absent(d->r->sa, key), b = absent(d->r->sb, key);

	return a == b ? -1 : a ? 1 : 0;
}

static struct group *group_of(struct diff_arg *d, const char *key, int side,
			      bool add)
{
	char sec[96];

	section(key, sec, sizeof(sec));
	for (size_t i = 0; i < d->ng; i++)
		if (d->g[i].side == side && !strcmp(d->g[i].name, sec))
			return &d->g[i];
	if (!add || d->ng == MAX_GROUPS)
		return NULL;
	snprintf(d->g[d->ng].name, sizeof(d->g[0].name), "%s", sec);
	d->g[d->ng].side = side;
	return &d->g[d->ng++];
}

static void count_key(const char *key, void *p)
{
	struct diff_arg *d = p;
	int side = only_side(d, key);
	struct group *g = side < 0 ? NULL : group_of(d, key, side, true);

	if (g)
		g->count++;
}

static void diff_key(const char *key, void *p)
{
	struct diff_arg *d = p;
	int side = only_side(d, key);
	struct group *g = side < 0 ? NULL : group_of(d, key, side, false);
	char *va, *vb;

	if (g && g->count >= GROUP_MIN) {
		if (!g->printed && d->md)
			fprintf(d->f, "| %s.* | %s | %s |\n", g->name,
				side ? "(absent)" : "recorded",
				side ? "recorded" : "(absent)");
		else if (!g->printed)
			fprintf(d->f, "  %s.*: %zu keys recorded in %s only\n",
				g->name, g->count, side ? "B" : "A");
		g->printed = true;
		d->shown++;
		return;
	}
	va = side_vals(d->r->sa, key);
	vb = side_vals(d->r->sb, key);
	if (va && vb && strcmp(va, vb)) {
		char both[8192];

		if (d->md) {
			fprintf(d->f, "| %s | ", key);
			md_code(d->f, va);
			fprintf(d->f, " | ");
			md_code(d->f, vb);
			fprintf(d->f, " |\n");
		} else if (strlen(key) + strlen(va) + strlen(vb) + 10 <= 72) {
			fprintf(d->f, "  %s: %s -> %s\n", key, va, vb);
		} else {
			fprintf(d->f, "  %s:\n", key);
			snprintf(both, sizeof(both), "A: %s", va);
			rfmt_hang(d->f, "    ", "       ", both, 72);
			snprintf(both, sizeof(both), "B: %s", vb);
			rfmt_hang(d->f, "    ", "       ", both, 72);
		}
		d->shown++;
	}
	free(va);
	free(vb);
}

static void brief_key(const char *key, void *p)
{
	struct diff_arg *d = p;
	char *v;

	if (!wanted_brief(key))
		return;
	v = side_vals(d->r->sa, key);
	if (v)
		kv_line(d->f, d->md, "", key, v);
	free(v);
	d->shown++;
}

void renv_print(FILE *f, const struct rreport *r, bool md)
{
	struct diff_arg d = {.f = f, .r = r, .md = md};

	if (r->sa == r->sb) {
		fprintf(f,
			md ? "### Environment (%zu run%s)\n\n"
			   : "Environment (%zu run%s; values of several "
			     "runs are | separated)\n",
			r->sa->nruns, r->sa->nruns == 1 ? "" : "s");
		if (md)
			fprintf(f, "| key | value |\n|---|---|\n");
		each_key(r->sa, NULL, brief_key, &d);
		if (!d.shown)
			fprintf(f, md ? "| (none recorded) | |\n"
				      : "  (none recorded)\n");
		fprintf(f, "\n");
		return;
	}
	fprintf(f, md ? "### Environment: keys that differ\n\n"
		      : "Environment: keys that differ (A -> B)\n");
	if (md)
		fprintf(f, "| key | A | B |\n|---|---|---|\n");
	each_key(r->sa, r->sb, count_key, &d);
	each_key(r->sa, r->sb, diff_key, &d);
	if (!d.shown)
		fprintf(f, md ? "| (none) | | |\n"
			      : "  (none: the recorded environments match)\n");
	fprintf(f, "\n");
}

struct json_arg {
	const struct rreport *r;
	json_t *out;
};

static void json_key(const char *key, void *p)
{
	struct json_arg *j = p;
	char *va = side_vals(j->r->sa, key), *vb = NULL;

	if (j->r->sa == j->r->sb) {
		if (va && wanted_brief(key))
			json_object_set_new(j->out, key, json_string(va));
	} else {
		vb = side_vals(j->r->sb, key);
		if (va && vb && strcmp(va, vb))
			json_array_append_new(j->out,
					      json_pack("{s:s,s:s,s:s}", "key",
							key, "a", va, "b", vb));
	}
	free(va);
	free(vb);
}

json_t *renv_json(const struct rreport *r)
{
	struct json_arg j = {r, NULL};

	j.out = r->sa == r->sb ? json_object() : json_array();
	if (j.out)
		each_key(r->sa, r->sb, json_key, &j);
	return j.out;
}

/*
 * Keys whose values differ between the runs of one set: pooling runs
 * from different setups would blur the comparison.  Writes up to three
 * key names into names; returns the count.
 */
size_t renv_varying(const struct rset *s, char *names, size_t len)
{
	size_t n = 0, off = 0;

	names[0] = '\0';
	for (size_t i = 0; i < s->nruns; i++) {
		const struct rrun *r = &s->runs[i];

		for (size_t k = 0; k < r->nenv; k++) {
			const char *key = r->env[k].key;
			bool first = true, differs = false;

			/* Count each key once: at its first run. */
			for (size_t j = 0; j < i && first; j++)
				first = !run_val(&s->runs[j], key);
			for (size_t j = 0; j < s->nruns && first && !differs;
			     j++) {
				const char *v = run_val(&s->runs[j], key);

				differs = !v || strcmp(v, r->env[k].val);
			}
			if (!first || !differs || !strcmp(key, "argv"))
				continue;
			if (n < 3 && off < len)
				off += snprintf(names + off, len - off, "%s%s",
						n ? ", " : "", key);
			n++;
		}
	}
	return n;
}
