// SPDX-License-Identifier: GPL-2.0
/* Load result files (ours or Google Benchmark's) into a result set. */
#include "report.h"
#include "schema.h"

#include "rstream.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Error lines quote input (names, JSON tokens): keep them one line. */
static int oneline(char *err)
{
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static int add_run(struct rset *s, const char *name)
{
	struct rrun *r;
	void *q = realloc(s->runs, (s->nruns + 1) * sizeof(*s->runs));

	if (!q)
		return -1;
	s->runs = q;
	r = &s->runs[s->nruns++];
	memset(r, 0, sizeof(*r));
	r->path = rsafe_dup(name);
	return r->path ? 0 : -1;
}

/* A file that turned out not to be a result: forget its run. */
static void drop_run(struct rset *s)
{
	struct rrun *r = &s->runs[--s->nruns];

	free(r->path);
	for (size_t i = 0; i < r->nenv; i++) {
		free(r->env[i].key);
		free(r->env[i].val);
	}
	free(r->env);
}

static int load_skipped(struct rset *s, json_t *sk, const char *name, char *err,
			size_t len)
{
	json_t *e;
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

struct doc {
	struct rset *s;
	const char *name;
	json_t *skipped; /* applied once the file is known to be a result */
};

static int on_member(void *ctx, const char *key, json_t *v, char *err,
		     size_t len)
{
	struct doc *d = ctx;

	json_t *sv = json_object_get(json_object_get(v, "hvobench"),
				     "schema_version");

	/* Older files have none (version 0); a newer one may mean other things. */
	if (!strcmp(key, "context") &&
	    json_integer_value(sv) > HVOBENCH_SCHEMA_VERSION) {
		snprintf(err, len,
			 "%s: result schema %lld is newer than this hvobench "
			 "reads (%d)",
			 d->name, (long long)json_integer_value(sv),
			 HVOBENCH_SCHEMA_VERSION);
		return -1;
	}
	if (!strcmp(key, "context") && json_is_object(v) &&
	    renv_flatten(&d->s->runs[d->s->nruns - 1], v)) {
		snprintf(err, len, "%s: %s", d->name, strerror(ENOMEM));
		return -1;
	}
	if (!strcmp(key, "hvobench_skipped"))
		d->skipped = json_incref(v);
	return 0;
}

static int on_row(void *ctx, const struct rj *row, size_t idx, char *err,
		  size_t len)
{
	struct doc *d = ctx;
	char e[RERR_LEN];

	if (!rrow_add(d->s, row, idx, e, sizeof(e)))
		return 0;
	snprintf(err, len, "%s: %s", d->name, e);
	return -1;
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

/*
 * One document in memory.  quiet_schema: in a directory, a file that is
 * not a result is skipped (1).  mapped: buf is a file mapping.
 */
static int load_doc(struct rset *s, const char *buf, size_t size,
		    const char *name, bool quiet_schema, bool mapped, char *err,
		    size_t len)
{
	struct doc d = {.s = s, .name = name};
	struct rstream cb = {.ctx = &d,
			     .member = on_member,
			     .row = on_row,
			     .mapped = mapped};
	json_error_t je;
	int rc;

	if (add_run(s, name)) {
		snprintf(err, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	rc = rstream_parse(buf, size, &cb, &je, err, len);
	if (rc == -2)
		parse_error(&je, name, err, len);
	if (rc == RSTREAM_NOT_OBJECT || rc == RSTREAM_NO_ROWS) {
		snprintf(err, len, "%s: not a benchmark result (%s)", name,
			 rc == RSTREAM_NOT_OBJECT ? "top level is not an object"
						  : "no \"benchmarks\" array");
		drop_run(s);
		rc = quiet_schema ? 1 : -1;
	} else if (!rc) {
		rc = load_skipped(s, d.skipped, name, err, len);
	}
	json_decref(d.skipped);
	return rc < 0 ? oneline(err) : rc;
}

/* Histograms pooled over every file: sorted and merged once, at the end. */
static int finish(struct rset *s, int ret)
{
	for (size_t b = 0; ret >= 0 && b < s->nb; b++)
		for (size_t h = 0; h < s->b[b].nh; h++)
			rhist_finish(&s->b[b].h[h]);
	return ret;
}

int rset_load_buf(struct rset *s, const char *buf, size_t size,
		  const char *name, char *err, size_t len)
{
	if (!s->label)
		s->label = rsafe_dup(name);
	if (!s->label) {
		snprintf(err, len, "%s: %s", name, strerror(errno));
		return -1;
	}
	return finish(s, load_doc(s, buf, size, name, false, false, err, len));
}

static int load_file(struct rset *s, const char *path, bool in_dir, char *err,
		     size_t len)
{
	struct stat st;
	void *map;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return oneline(err);
	}
	if (st.st_size == 0) {
		/* In a directory an empty file is not a result: skipped. */
		snprintf(err, len, "%s: empty file", path);
		close(fd);
		return in_dir ? 1 : oneline(err);
	}
	/* Mapped, read once front to back: no copy, pages dropped behind. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return oneline(err);
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	ret = load_doc(s, map, (size_t)st.st_size, path, in_dir, true, err,
		       len);
	munmap(map, (size_t)st.st_size);
	return ret;
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
