// SPDX-License-Identifier: GPL-2.0
/* Selecting runs from the store by what they are, and their documents. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char run_cols[] =
	"SELECT id, digest, date, host, arch, kernel, cmdline, suite, "
	"suite_commit, fingerprint, hvo, regime, source, nrows, nbench "
	"FROM runs WHERE (?1 IS NULL OR host GLOB ?1) "
	"AND (?2 IS NULL OR kernel GLOB ?2) AND (?3 IS NULL OR suite GLOB ?3) "
	"AND (?4 IS NULL OR suite_commit GLOB ?4) "
	"AND (?5 IS NULL OR arch GLOB ?5) AND (?6 IS NULL OR date >= ?6) "
	"AND (?7 IS NULL OR substr(date, 1, length(?7)) <= ?7) "
	"AND (?8 = 0 OR id = ?8) ORDER BY date, id";

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int store_runs(struct store *s, const struct run_filter *f,
	       int (*fn)(const struct run_info *ri, void *arg), void *arg,
	       char *err, size_t len)
{
	const char *txt[] = {f->host, f->kernel, f->suite, f->commit,
			     f->arch, f->since,	 f->until};
	sqlite3_stmt *st;
	int n = 0, rc;

	if (sqlite3_prepare_v2(s->db, run_cols, -1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, err, len, "select runs");
	for (int i = 0; i < 7; i++)
		if (txt[i])
			sqlite3_bind_text(st, i + 1, txt[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, f->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_info ri = {
			.id = sqlite3_column_int64(st, 0),
			.digest = col(st, 1),
			.date = col(st, 2),
			.host = col(st, 3),
			.arch = col(st, 4),
			.kernel = col(st, 5),
			.cmdline = col(st, 6),
			.suite = col(st, 7),
			.commit = col(st, 8),
			.fingerprint = col(st, 9),
			.hvo = col(st, 10),
			.regime = col(st, 11),
			.source = col(st, 12),
			.nrows = sqlite3_column_int64(st, 13),
			.nbench = sqlite3_column_int64(st, 14),
		};

		n++;
		if (fn && fn(&ri, arg))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_sqlerr(s, err, len, "select runs");
		n = -1;
	}
	sqlite3_finalize(st);
	return n;
}

char *store_run_json(struct store *s, int64_t id, size_t *size, char *err,
		     size_t len)
{
	sqlite3_stmt *st;
	char *buf = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT json FROM runs WHERE id=?", -1,
			       &st, NULL) != SQLITE_OK) {
		store_sqlerr(s, err, len, "read run");
		return NULL;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);

		buf = malloc((size_t)n + 1);
		if (buf) {
			memcpy(buf, p, (size_t)n);
			buf[n] = '\0';
			*size = (size_t)n;
		} else {
			store_fail(err, len, "store %s: out of memory",
				   s->path);
		}
	} else {
		store_sqlerr(s, err, len, "read run");
	}
	sqlite3_finalize(st);
	return buf;
}

int store_filter_opt(struct run_filter *f, const char *prog, const char *name,
		     const char *value)
{
	struct {
		const char *name;
		const char **dst;
	} opts[] = {{"host", &f->host},	  {"kernel", &f->kernel},
		    {"suite", &f->suite}, {"commit", &f->commit},
		    {"arch", &f->arch},	  {"since", &f->since},
		    {"until", &f->until}};

	if (!strcmp(name, "run")) {
		char *end;
		long long id = strtoll(value, &end, 10);

		if (end == value || *end || id <= 0) {
			fprintf(stderr, "%s: --run: '%s' is not a run id\n",
				prog, value);
			return 2;
		}
		f->id = id;
		return 0;
	}
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(name, opts[i].name)) {
			if (!*value) {
				fprintf(stderr, "%s: --%s needs a value\n",
					prog, name);
				return 2;
			}
			*opts[i].dst = value;
			return 0;
		}
	return 1;
}
