// SPDX-License-Identifier: GPL-2.0
/*
 * Result JSON into the store: the run (what it is: host, kernel, suite,
 * commit, date, environment fingerprint, HVO state), its rows, user and
 * kernel counters and skips, and the whole document verbatim.  A document
 * already stored (same bytes) is recognised, not added twice.
 */
#include "report.h"
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { S_FIND, S_RUN, S_ROW, S_CTR, S_SKIP, S_NBENCH, S_N };

static const char *const sqls[S_N] = {
	[S_FIND] = "SELECT id FROM runs WHERE digest=?",
	[S_RUN] = "INSERT INTO runs (digest, date, host, arch, kernel, "
		  "cmdline, suite, suite_commit, fingerprint, hvo, regime, "
		  "source, imported, nrows, nbench, json) VALUES (?,?,?,?,?,?,"
		  "?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'),?,0,?)",
	[S_ROW] = "INSERT INTO rows (run_id, idx, name, run_type, "
		  "aggregate_name, repetition_index, iterations, real_time_ns, "
		  "cpu_time_ns, items_per_second, bytes_per_second, label, "
		  "params) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[S_CTR] = "INSERT INTO counters (row_id, kind, name, value, per_iter, "
		  "per_item) VALUES (?,?,?,?,?,?)",
	[S_SKIP] = "INSERT INTO skipped (run_id, name, reason) VALUES (?,?,?)",
	[S_NBENCH] = "UPDATE runs SET nbench=(SELECT count(DISTINCT name) "
		     "FROM rows WHERE run_id=?1) WHERE id=?1",
};

struct ins {
	struct store *s;
	sqlite3_stmt *st[S_N];
	char *err;
	size_t len;
};

static int ins_prepare(struct ins *in)
{
	for (int i = 0; i < S_N; i++)
		if (sqlite3_prepare_v2(in->s->db, sqls[i], -1, &in->st[i],
				       NULL) != SQLITE_OK)
			return store_sqlerr(in->s, in->err, in->len, "prepare");
	return 0;
}

static void ins_finish(struct ins *in)
{
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(in->st[i]);
}

/* Run a bound statement to completion and reset it. */
static int ins_step(struct ins *in, int which, const char *what)
{
	sqlite3_stmt *st = in->st[which];
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return store_sqlerr(in->s, in->err, in->len, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_num(sqlite3_stmt *st, int i, json_t *v)
{
	if (json_is_number(v))
		sqlite3_bind_double(st, i, json_number_value(v));
	else
		sqlite3_bind_null(st, i);
}

/* A string (or a number, printed) at a dotted path; NULL if absent. */
static const char *jstr(json_t *o, const char *path, char *buf, size_t len)
{
	char key[64];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		o = json_object_get(o, key);
		path += n + (path[n] == '.');
	}
	if (json_is_string(o))
		return json_string_value(o);
	if (json_is_integer(o)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(o));
		return buf;
	}
	return NULL;
}

/* "2026-11-22T04:08:31+0000" (any offset, "Z", "+00:00") → UTC "…Z". */
static const char *utc_date(const char *d, char *buf, size_t len)
{
	struct tm tm = {0};
	int n = 0, oh = 0, om = 0;
	long off = 0;
	time_t t;

	if (!d ||
	    sscanf(d, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return d;
	const char *z = d + n;

	while (*z == '.' || (*z >= '0' && *z <= '9'))
		z++; /* fractions of a second */
	if ((*z == '+' || *z == '-') &&
	    (sscanf(z + 1, "%2d:%2d", &oh, &om) == 2 ||
	     sscanf(z + 1, "%2d%2d", &oh, &om) == 2))
		off = (*z == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
	else if (*z && *z != 'Z')
		return d;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - off;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return d;
	return buf;
}

/*
 * The environment fingerprint: the parts of the record that stay the same
 * from run to run on one machine and boot configuration (kernel, config,
 * CPU, virtualization, topology, THP and vm sysctls, clocksource), not
 * the volatile ones (dates, loads, free memory, pool sizes).
 */
static char *fingerprint(json_t *ctx, char out[17])
{
	static const char *const secs[] = {"kernel",	     "kconfig", "cpu",
					   "virtualization", "thp",	"vm"};
	json_t *hv = json_object_get(ctx, "hvobench");
	json_t *env = json_object_get(hv, "env");
	json_t *fp;
	char *dump;

	if (!json_is_object(env))
		return NULL;
	fp = json_object();
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		json_t *v = json_object_get(env, secs[i]);

		if (v)
			json_object_set(fp, secs[i], v);
	}
	json_t *cs =
		json_object_get(json_object_get(env, "clock"), "clocksource");
	json_t *topo = json_object_get(hv, "topology");

	if (cs)
		json_object_set(fp, "clocksource", cs);
	if (topo)
		json_object_set(fp, "topology", topo);
	dump = json_dumps(fp, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(fp);
	if (!dump)
		return NULL;
	store_digest(dump, strlen(dump), out);
	free(dump);
	return out;
}

/* HVO at the start of the run: the sysctl, or "n/a" where it is absent. */
static const char *hvo_state(json_t *ctx)
{
	json_t *hv = json_object_get(ctx, "hvobench");
	json_t *sys = json_object_get(hv, "sys");
	json_t *v = json_object_get(sys, "hugetlb_optimize_vmemmap");

	if (!json_is_object(sys))
		v = json_object_get(
			json_object_get(json_object_get(hv, "env"), "hugetlb"),
			"hugetlb_optimize_vmemmap");
	if (json_is_integer(v))
		return json_integer_value(v) ? "on" : "off";
	return json_is_object(sys) && json_object_get(sys, "hvo_available")
		       ? "n/a"
		       : NULL;
}

/* Add word to a comma list in buf unless it is there. */
static void set_add(char *buf, size_t len, const char *word, size_t n)
{
	for (const char *p = buf; *p;) {
		size_t m = strcspn(p, ",");

		if (m == n && !strncmp(p, word, n))
			return;
		p += m + (p[m] == ',');
	}
	size_t used = strlen(buf);

	if (used + n + 2 < len)
		snprintf(buf + used, len - used, "%s%.*s", used ? "," : "",
			 (int)n, word);
}

/* The regimes the rows ran in: hvo axis values and regime= labels. */
static void regimes(json_t *rows, char *buf, size_t len)
{
	size_t i;
	json_t *r;

	buf[0] = '\0';
	json_array_foreach (rows, i, r) {
		json_t *hv = json_object_get(
			json_object_get(json_object_get(r, "hvobench"),
					"params"),
			"hvo");
		const char *label =
			json_string_value(json_object_get(r, "label"));
		const char *g;
		char w[64];

		if (json_is_string(hv)) {
			snprintf(w, sizeof(w), "hvo:%s", json_string_value(hv));
			set_add(buf, len, w, strlen(w));
		}
		for (g = label; g && (g = strstr(g, "regime=")); g += 7)
			if (g == label || g[-1] == ' ')
				set_add(buf, len, g, strcspn(g, " ,;"));
	}
}

static int add_counter(struct ins *in, int64_t row, const char *kind,
		       const char *name, json_t *value, json_t *per_iter,
		       json_t *per_item)
{
	sqlite3_stmt *st = in->st[S_CTR];

	sqlite3_bind_int64(st, 1, row);
	bind_text(st, 2, kind);
	bind_text(st, 3, name);
	bind_num(st, 4, value);
	bind_num(st, 5, per_iter);
	bind_num(st, 6, per_item);
	return ins_step(in, S_CTR, "insert counter");
}

static int add_row(struct ins *in, int64_t run, size_t idx, json_t *r,
		   const char *source)
{
	sqlite3_stmt *st = in->st[S_ROW];
	json_t *name = json_object_get(r, "name");
	json_t *hv = json_object_get(r, "hvobench");
	const char *unit = json_string_value(json_object_get(r, "time_unit"));
	double scale = rrow_unit_ns(unit);
	char *params = NULL;
	const char *k;
	json_t *v;
	int64_t row;

	if (!json_is_string(name))
		return store_fail(in->err, in->len,
				  "%s: benchmarks[%zu] has no name", source,
				  idx);
	if (scale == 0)
		return store_fail(in->err, in->len,
				  "%s: %s: unknown time_unit '%s'", source,
				  json_string_value(name), unit);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, (int64_t)idx);
	bind_text(st, 3, json_string_value(name));
	bind_text(st, 4, json_string_value(json_object_get(r, "run_type")));
	bind_text(st, 5,
		  json_string_value(json_object_get(r, "aggregate_name")));
	bind_num(st, 6, json_object_get(r, "repetition_index"));
	bind_num(st, 7, json_object_get(r, "iterations"));
	for (int i = 0; i < 2; i++) {
		v = json_object_get(r, i ? "cpu_time" : "real_time");
		if (json_is_number(v))
			sqlite3_bind_double(st, 8 + i,
					    json_number_value(v) * scale);
	}
	bind_num(st, 10, json_object_get(r, "items_per_second"));
	bind_num(st, 11, json_object_get(r, "bytes_per_second"));
	bind_text(st, 12, json_string_value(json_object_get(r, "label")));
	if (json_object_get(hv, "params"))
		params = json_dumps(json_object_get(hv, "params"),
				    JSON_SORT_KEYS | JSON_COMPACT);
	bind_text(st, 13, params);
	free(params);
	if (ins_step(in, S_ROW, "insert row"))
		return -1;
	row = sqlite3_last_insert_rowid(in->s->db);
	json_object_foreach (r, k, v) {
		if (json_is_number(v) && !rrow_gb_field(k) &&
		    add_counter(in, row, "user", k, v, NULL, NULL))
			return -1;
	}
	json_object_foreach (json_object_get(hv, "counters"), k, v) {
		if (json_is_object(v) &&
		    add_counter(in, row, "event", k,
				json_object_get(v, "value"),
				json_object_get(v, "per_iter"),
				json_object_get(v, "per_item")))
			return -1;
	}
	return 0;
}

static int add_run(struct ins *in, json_t *doc, const char *digest,
		   const char *source, const char *text, size_t size,
		   int64_t *id)
{
	sqlite3_stmt *st = in->st[S_RUN];
	json_t *ctx = json_object_get(doc, "context");
	json_t *rows = json_object_get(doc, "benchmarks");
	char b[5][32], fp[17], reg[512];
	size_t i;
	json_t *r;

	regimes(rows, reg, sizeof(reg));
	bind_text(st, 1, digest);
	bind_text(st, 2, utc_date(jstr(ctx, "date", b[0], 32), b[1], 32));
	bind_text(st, 3, jstr(ctx, "host_name", b[2], 32));
	bind_text(st, 4, jstr(ctx, "hvobench.env.kernel.machine", b[3], 32));
	bind_text(st, 5, jstr(ctx, "hvobench.env.kernel.release", b[3], 32));
	bind_text(st, 6, jstr(ctx, "hvobench.env.kernel.cmdline", b[3], 32));
	bind_text(st, 7, jstr(ctx, "hvobench.suite", b[3], 32));
	bind_text(st, 8, jstr(ctx, "hvobench.version", b[3], 32));
	bind_text(st, 9, fingerprint(ctx, fp));
	bind_text(st, 10, hvo_state(ctx));
	bind_text(st, 11, reg[0] ? reg : NULL);
	bind_text(st, 12, source);
	sqlite3_bind_int64(st, 13, (int64_t)json_array_size(rows));
	sqlite3_bind_text(st, 14, text, (int)size, SQLITE_TRANSIENT);
	if (ins_step(in, S_RUN, "insert run"))
		return -1;
	*id = sqlite3_last_insert_rowid(in->s->db);
	json_array_foreach (rows, i, r) {
		if (!json_is_object(r))
			return store_fail(in->err, in->len,
					  "%s: benchmarks[%zu] is not an "
					  "object",
					  source, i);
		if (add_row(in, *id, i, r, source))
			return -1;
	}
	json_array_foreach (json_object_get(doc, "hvobench_skipped"), i, r) {
		const char *name =
			json_string_value(json_object_get(r, "name"));

		if (!name)
			continue;
		sqlite3_bind_int64(in->st[S_SKIP], 1, *id);
		bind_text(in->st[S_SKIP], 2, name);
		bind_text(in->st[S_SKIP], 3,
			  json_string_value(json_object_get(r, "reason")));
		if (ins_step(in, S_SKIP, "insert skip"))
			return -1;
	}
	sqlite3_bind_int64(in->st[S_NBENCH], 1, *id);
	return ins_step(in, S_NBENCH, "count benchmarks");
}

/* One document inside the caller's transaction. */
static int import_doc(struct ins *in, const char *buf, size_t size,
		      const char *source, enum import_status *status,
		      int64_t *id)
{
	json_error_t je;
	json_t *doc;
	char digest[17];
	int ret = 0;

	*id = 0;
	*status = IMPORT_NOT_RESULT;
	if (size == 0)
		return 0;
	doc = json_loadb(buf, size, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return store_fail(in->err, in->len,
				  "%s: not JSON (line %d: %s)", source, je.line,
				  je.text);
	if (!json_is_array(json_object_get(doc, "benchmarks")))
		goto out;
	store_digest(buf, size, digest);
	sqlite3_bind_text(in->st[S_FIND], 1, digest, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(in->st[S_FIND]) == SQLITE_ROW) {
		*id = sqlite3_column_int64(in->st[S_FIND], 0);
		*status = IMPORT_KNOWN;
	}
	if (ins_step(in, S_FIND, "look up run")) {
		ret = -1;
		goto out;
	}
	if (*status == IMPORT_KNOWN)
		goto out;
	ret = add_run(in, doc, digest, source, buf, size, id);
	if (!ret)
		*status = IMPORT_ADDED;
out:
	json_decref(doc);
	return ret;
}

static int begin(struct ins *in)
{
	if (store_exec(in->s, "BEGIN IMMEDIATE", in->err, in->len))
		return -1;
	if (ins_prepare(in)) {
		sqlite3_exec(in->s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

static int end(struct ins *in, int ret)
{
	ins_finish(in);
	if (!ret && !store_exec(in->s, "COMMIT", in->err, in->len))
		return 0;
	sqlite3_exec(in->s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int store_import_buf(struct store *s, const char *buf, size_t size,
		     const char *source, enum import_status *st, int64_t *id,
		     char *err, size_t len)
{
	struct ins in = {.s = s, .err = err, .len = len};

	if (begin(&in))
		return -1;
	return end(&in, import_doc(&in, buf, size, source, st, id));
}

static char *read_file(const char *path, size_t *size, char *err, size_t len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f) {
		store_fail(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		store_fail(err, len, "%s: cannot read: %s", path,
			   strerror(errno ? errno : EIO));
		free(buf);
		buf = NULL;
	} else {
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

int store_import_file(struct store *s, const char *path, enum import_status *st,
		      int64_t *id, char *err, size_t len)
{
	size_t size = 0;
	char *buf = read_file(path, &size, err, len);
	int ret;

	if (!buf)
		return -1;
	ret = store_import_buf(s, buf, size, path, st, id, err, len);
	free(buf);
	return ret;
}

static int import_file(struct ins *in, const char *path,
		       struct import_stats *stats)
{
	enum import_status status;
	size_t size = 0;
	char *buf = read_file(path, &size, in->err, in->len);
	int64_t id;
	int ret;

	if (!buf)
		return -1;
	ret = import_doc(in, buf, size, path, &status, &id);
	free(buf);
	if (!ret) {
		stats->added += status == IMPORT_ADDED;
		stats->known += status == IMPORT_KNOWN;
		stats->not_result += status == IMPORT_NOT_RESULT;
	}
	return ret;
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

/* Directories recursively, in name order; linked directories are not
 * followed (as the report reads them). */
static int import_path(struct ins *in, const char *path, bool top,
		       struct import_stats *stats)
{
	struct dirent **ents;
	struct stat st;
	int n, ret = 0;

	if ((top ? stat(path, &st) : lstat(path, &st)))
		return store_fail(in->err, in->len, "%s: %s", path,
				  strerror(errno));
	if (S_ISLNK(st.st_mode) && stat(path, &st))
		return 0; /* a dangling link inside a tree */
	if (!S_ISDIR(st.st_mode))
		return top || is_json(path) ? import_file(in, path, stats) : 0;
	if (!top && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return 0;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return store_fail(in->err, in->len, "%s: %s", path,
				  strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *e = ents[i]->d_name;
		char sub[4096];

		if (!ret && strcmp(e, ".") && strcmp(e, "..")) {
			snprintf(sub, sizeof(sub), "%s/%s", path, e);
			ret = import_path(in, sub, false, stats);
		}
		free(ents[i]);
	}
	free(ents);
	return ret;
}

int store_import_paths(struct store *s, char *const *paths, int n,
		       struct import_stats *stats, char *err, size_t len)
{
	struct ins in = {.s = s, .err = err, .len = len};
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (begin(&in))
		return -1;
	for (int i = 0; i < n && !ret; i++)
		ret = import_path(&in, paths[i], true, stats);
	return end(&in, ret);
}
