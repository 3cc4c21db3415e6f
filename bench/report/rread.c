// SPDX-License-Identifier: GPL-2.0
/* Load result files (ours or Google Benchmark's) into a result set. */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Error lines quote input (names, JSON tokens): keep them one line. */
static int oneline(char *err)
{
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static int add_run(struct rset *s, const char *name, json_t *ctx)
{
	struct rrun *r;
	void *q = realloc(s->runs, (s->nruns + 1) * sizeof(*s->runs));

	if (!q)
		return -1;
	s->runs = q;
	r = &s->runs[s->nruns++];
	memset(r, 0, sizeof(*r));
	r->path = rsafe_dup(name);
	if (!r->path)
		return -1;
	return json_is_object(ctx) ? renv_flatten(r, ctx) : 0;
}

static int load_skipped(struct rset *s, json_t *root, const char *name,
			char *err, size_t len)
{
	json_t *sk = json_object_get(root, "hvobench_skipped"), *e;
	size_t i;

	if (!sk)
		return 0;
	if (!json_is_array(sk)) {
		snprintf(err, len, "%s: hvobench_skipped is not an array",
			 name);
		return -1;
	}
	json_array_foreach (sk, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		const char *why =
			json_string_value(json_object_get(e, "reason"));

		if (!n) {
			snprintf(err, len,
				 "%s: hvobench_skipped[%zu] has no name", name,
				 i);
			return -1;
		}
		if (rset_add_skip(s, n, why ? why : "(no reason given)")) {
			snprintf(err, len, "%s: %s", name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* One parsed document.  quiet_schema: in a directory, not-a-result is 1. */
static int load_doc(struct rset *s, json_t *root, const char *name,
		    bool quiet_schema, char *err, size_t len)
{
	json_t *rows, *row;
	size_t i;

	if (!json_is_object(root)) {
		snprintf(err, len,
			 "%s: not a benchmark result (top level is not an "
			 "object)",
			 name);
		return quiet_schema ? 1 : -1;
	}
	rows = json_object_get(root, "benchmarks");
	if (!json_is_array(rows)) {
		snprintf(err, len,
			 "%s: not a benchmark result (no \"benchmarks\" array)",
			 name);
		return quiet_schema ? 1 : -1;
	}
	if (add_run(s, name, json_object_get(root, "context"))) {
		snprintf(err, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	json_array_foreach (rows, i, row) {
		char e[RERR_LEN];

		if (rrow_add(s, row, i, e, sizeof(e))) {
			snprintf(err, len, "%s: %s", name, e);
			return -1;
		}
	}
	if (load_skipped(s, root, name, err, len))
		return -1;
	return 0;
}

/* Histograms pooled over every file: sorted and merged once, at the end. */
static int finish(struct rset *s, int ret)
{
	for (size_t b = 0; ret >= 0 && b < s->nb; b++)
		for (size_t h = 0; h < s->b[b].nh; h++)
			rhist_finish(&s->b[b].h[h]);
	return ret;
}

static int parse_error(const json_error_t *je, const char *name, char *err,
		       size_t len)
{
	if (je->position == 0 || strstr(je->text, "end of file")) {
		if (je->position == 0)
			snprintf(err, len, "%s: empty file", name);
		else
			snprintf(err, len, "%s: truncated JSON (line %d: %s)",
				 name, je->line, je->text);
	} else {
		/* NaN, Infinity and 1e999 are what broken writers produce. */
		bool nonfinite = strstr(je->text, "NaN") ||
				 strstr(je->text, "Infinity") ||
				 strstr(je->text, "overflow");

		snprintf(err, len, "%s:%d:%d: invalid JSON: %s%s", name,
			 je->line, je->column, je->text,
			 nonfinite ? " (NaN/inf values are not allowed)" : "");
	}
	return -1;
}

int rset_load_buf(struct rset *s, const char *buf, size_t size,
		  const char *name, char *err, size_t len)
{
	json_error_t je;
	json_t *root;
	int ret;

	if (!s->label)
		s->label = rsafe_dup(name);
	if (!s->label) {
		snprintf(err, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	root = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		parse_error(&je, name, err, len);
		return oneline(err);
	}
	ret = load_doc(s, root, name, false, err, len);
	json_decref(root);
	return ret < 0 ? oneline(err) : finish(s, ret);
}

static int load_file(struct rset *s, const char *path, bool in_dir, char *err,
		     size_t len)
{
	json_error_t je;
	struct stat st;
	json_t *root;
	int ret;

	if (stat(path, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_size == 0) {
		/* In a directory an empty file is not a result: skipped. */
		snprintf(err, len, "%s: empty file", path);
		return in_dir ? 1 : -1;
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		/* jansson reports open/read failures through errno. */
		if (strstr(je.text, "unable to open")) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			return -1;
		}
		parse_error(&je, path, err, len);
		return oneline(err);
	}
	ret = load_doc(s, root, path, in_dir, err, len);
	json_decref(root);
	return ret < 0 ? oneline(err) : ret;
}

struct flist {
	char **v;
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, struct flist *fl, char *err, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = -1;

	if (!d) {
		snprintf(err, len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d))) {
		size_t nl = strlen(de->d_name);
		struct stat st;
		char *p;
		void *q;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			goto oom;
		if (lstat(p, &st)) {
			snprintf(err, len, "%s: %s", p, strerror(errno));
			free(p);
			goto out;
		}
		/* Linked files count; linked directories could loop. */
		if (S_ISLNK(st.st_mode) &&
		    (stat(p, &st) || S_ISDIR(st.st_mode))) {
			free(p);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			int r = walk(p, fl, err, len);

			free(p);
			if (r)
				goto out;
			continue;
		}
		if (!S_ISREG(st.st_mode) || nl < 6 ||
		    strcmp(de->d_name + nl - 5, ".json")) {
			free(p);
			continue;
		}
		q = realloc(fl->v, (fl->n + 1) * sizeof(*fl->v));
		if (!q) {
			free(p);
			goto oom;
		}
		fl->v = q;
		fl->v[fl->n++] = p;
	}
	if (errno) {
		snprintf(err, len, "%s: %s", dir, strerror(errno));
		goto out;
	}
	ret = 0;
	goto out;
oom:
	snprintf(err, len, "%s: %s", dir, strerror(ENOMEM));
out:
	closedir(d);
	return ret;
}

int rset_load(struct rset *s, const char *path, char *err, size_t len)
{
	struct flist fl = {0};
	struct stat st;
	size_t used = 0;
	int ret = -1;

	s->label = rsafe_dup(path);
	if (!s->label) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (stat(path, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return finish(s, load_file(s, path, false, err, len));
	if (walk(path, &fl, err, len))
		goto out;
	/* Sorted: runs keep a stable order (timestamps sort by time). */
	if (fl.n)
		qsort(fl.v, fl.n, sizeof(*fl.v), cmp_str);
	for (size_t i = 0; i < fl.n; i++) {
		int r = load_file(s, fl.v[i], true, err, len);

		if (r < 0)
			goto out;
		used += r == 0;
	}
	if (!used) {
		snprintf(err, len,
			 "%s: no benchmark result files (*.json) found", path);
		goto out;
	}
	err[0] = '\0';
	ret = finish(s, 0);
out:
	for (size_t i = 0; i < fl.n; i++)
		free(fl.v[i]);
	free(fl.v);
	return ret;
}
