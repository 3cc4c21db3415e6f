// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the store: where it lives, telling an hvobench store from any
 * other file (refused untouched), the schema, and the settings that make
 * concurrent writers safe (WAL, a busy timeout, one transaction a change).
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "HVOB": PRAGMA application_id of every hvobench store. */
#define STORE_APP_ID 0x48564f42
#define STORE_SCHEMA 1
#define BUSY_MS	     30000

static const char schema[] =
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" digest TEXT NOT NULL UNIQUE," /* FNV-1a of the JSON bytes */
	" date TEXT,"			/* UTC, 2026-11-30T05:40:00Z */
	" host TEXT, arch TEXT, kernel TEXT, cmdline TEXT,"
	" suite TEXT, suite_commit TEXT, fingerprint TEXT,"
	" hvo TEXT, regime TEXT, source TEXT, imported TEXT,"
	" nrows INTEGER NOT NULL, nbench INTEGER NOT NULL,"
	" json TEXT NOT NULL);"
	"CREATE TABLE rows ("
	" id INTEGER PRIMARY KEY,"
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL, name TEXT NOT NULL, run_type TEXT,"
	" aggregate_name TEXT, repetition_index INTEGER, iterations REAL,"
	" real_time_ns REAL, cpu_time_ns REAL, items_per_second REAL,"
	" bytes_per_second REAL, label TEXT, params TEXT);"
	"CREATE TABLE counters ("
	" row_id INTEGER NOT NULL REFERENCES rows(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL," /* user | event */
	" name TEXT NOT NULL, value REAL, per_iter REAL, per_item REAL);"
	"CREATE TABLE skipped ("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, reason TEXT);"
	"CREATE INDEX runs_select ON runs(host, kernel, date);"
	"CREATE INDEX rows_run ON rows(run_id, name);"
	"CREATE INDEX rows_name ON rows(name);"
	"CREATE INDEX counters_row ON counters(row_id);"
	"CREATE INDEX skipped_run ON skipped(run_id);";

int store_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int store_sqlerr(struct store *s, char *err, size_t len, const char *what)
{
	return store_fail(err, len, "store %s: %s: %s", s->path, what,
			  sqlite3_errmsg(s->db));
}

int store_exec(struct store *s, const char *sql, char *err, size_t len)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	store_fail(err, len, "store %s: %s", s->path,
		   msg ? msg : sqlite3_errmsg(s->db));
	sqlite3_free(msg);
	return -1;
}

const char *store_default_path(char *buf, size_t len)
{
	const char *env = getenv("HVOBENCH_DB");
	const char *base = getenv("HVOBENCH_RESULTS");

	if (env && *env) {
		if (!strcmp(env, "off"))
			return NULL;
		snprintf(buf, len, "%s", env);
	} else {
		snprintf(buf, len, "%s/hvobench.db",
			 base && *base ? base : "results");
	}
	return buf;
}

/* One integer from a pragma; -1 on error. */
static int64_t pragma_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The file must be empty or an SQLite database; read its header ourselves
 * so that garbage is named as such (SQLite would say "file is not a
 * database" only at the first query).
 */
static int check_header(const char *path, bool *exists, char *err, size_t len)
{
	static const char magic[16] = "SQLite format 3";
	char hdr[16];
	struct stat st;
	ssize_t r;
	int fd;

	*exists = false;
	if (stat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return store_fail(err, len, "store %s: %s", path,
				  strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return store_fail(err, len, "store %s: not a regular file",
				  path);
	*exists = true;
	if (st.st_size == 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return store_fail(err, len, "store %s: %s", path,
				  strerror(errno));
	r = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (r != (ssize_t)sizeof(hdr) || memcmp(hdr, magic, sizeof(hdr)))
		return store_fail(err, len,
				  "store %s: not an SQLite database (not an "
				  "hvobench store; left untouched)",
				  path);
	return 0;
}

static int corrupt(struct store *s, const char *why, char *err, size_t len)
{
	return store_fail(err, len,
			  "store %s: corrupt (%s); left untouched (rebuild "
			  "it elsewhere with hvobench db import DIR)",
			  s->path, why);
}

static int quick_check(struct store *s, char *err, size_t len)
{
	sqlite3_stmt *st;
	char why[256] = "";
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return corrupt(s, sqlite3_errmsg(s->db), err, len);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(why, sizeof(why), "%s", sqlite3_column_text(st, 0));
	else
		snprintf(why, sizeof(why), "%s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW && !strcmp(why, "ok"))
		return 0;
	for (char *p = why; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return corrupt(s, why, err, len);
}

/* Make the schema in a new (empty) database, or check an existing one. */
static int check_schema(struct store *s, bool create, char *err, size_t len)
{
	int64_t app, ver, ntables;

	/* Readers take no write lock (a read-only store can be listed). */
	if (store_exec(s, create ? "BEGIN IMMEDIATE" : "BEGIN", err, len))
		return -1;
	app = pragma_int(s, "PRAGMA application_id");
	ver = pragma_int(s, "PRAGMA user_version");
	ntables = pragma_int(s, "SELECT count(*) FROM sqlite_master");
	if (app < 0 || ver < 0 || ntables < 0) {
		corrupt(s, sqlite3_errmsg(s->db), err, len);
		goto rollback;
	}
	if (app == 0 && ver == 0 && ntables == 0) {
		if (!create) {
			store_fail(err, len,
				   "store %s: empty (hvobench db import DIR "
				   "fills it)",
				   s->path);
			goto rollback;
		}
		if (store_exec(s, schema, err, len))
			goto rollback;
		char sql[96];

		snprintf(sql, sizeof(sql),
			 "PRAGMA application_id=%d; PRAGMA user_version=%d",
			 STORE_APP_ID, STORE_SCHEMA);
		if (store_exec(s, sql, err, len))
			goto rollback;
	} else if (app != STORE_APP_ID) {
		store_fail(err, len,
			   "store %s: another application's SQLite database "
			   "(application_id 0x%llx, %lld tables), not an "
			   "hvobench store; left untouched",
			   s->path, (unsigned long long)app,
			   (long long)ntables);
		goto rollback;
	} else if (ver != STORE_SCHEMA) {
		store_fail(err, len,
			   "store %s: schema version %lld, this hvobench reads "
			   "%d; left untouched",
			   s->path, (long long)ver, STORE_SCHEMA);
		goto rollback;
	}
	/* Damage anywhere (a copied-over page) is found now, not as wrong
	 * numbers later: quick_check reads every page (~10 ms for 50 runs). */
	if (quick_check(s, err, len))
		goto rollback;
	return store_exec(s, "COMMIT", err, len);
rollback:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct store *store_open(const char *path, bool create, char *err, size_t len)
{
	struct store *s;
	bool exists;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if (check_header(path, &exists, err, len))
		return NULL;
	if (!exists && !create) {
		store_fail(err, len,
			   "no store at %s (hvobench db import DIR makes one; "
			   "--db=PATH or $HVOBENCH_DB names another)",
			   path);
		return NULL;
	}
	s = calloc(1, sizeof(*s) + strlen(path) + 1);
	if (!s) {
		store_fail(err, len, "store %s: out of memory", path);
		return NULL;
	}
	s->path = (char *)(s + 1);
	strcpy(s->path, path);
	if (create)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		store_fail(err, len, "store %s: %s", path,
			   s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_MS);
	if (store_exec(s, "PRAGMA foreign_keys=ON", err, len) ||
	    check_schema(s, create, err, len))
		goto fail;
	/* After the check: never switch a foreign file's journal mode.
	 * WAL persists in the file, so readers need not set it. */
	if (create &&
	    store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
		       err, len))
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s);
}

void store_digest(const void *buf, size_t size, char out[17])
{
	const unsigned char *p = buf;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < size; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
