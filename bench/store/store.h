/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run store: every result JSON recorded in one SQLite database, so
 * runs are selected by what they are (host, kernel, suite, date) instead
 * of by path.  The JSON stays the interchange format: a run's whole
 * document is kept verbatim and the store can be rebuilt from JSON files.
 *
 * Errors are one line (no newline) in the caller's buffer; functions
 * return -1 on bad input (a foreign or corrupt database, a bad file) and
 * the command exits 2.
 */
#ifndef HVOBENCH_STORE_H
#define HVOBENCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERR_LEN 1024

struct store;

/* The database path: $HVOBENCH_DB, else <results>/hvobench.db, where
 * <results> is $HVOBENCH_RESULTS or "results" (beside the run folders).
 * NULL when $HVOBENCH_DB is "off". */
const char *store_default_path(char *buf, size_t len);

/*
 * Open (and with create, make) a store.  A file that is not an hvobench
 * store (another application's database, garbage, a newer schema) is
 * refused untouched.  Concurrent writers are safe: WAL journal, every
 * change one transaction, waits up to 30 s for another writer.
 */
struct store *store_open(const char *path, bool create, char *err, size_t len);
void store_close(struct store *s);

enum import_status {
	IMPORT_ADDED,
	IMPORT_KNOWN,	  /* the same document is already stored */
	IMPORT_NOT_RESULT /* valid JSON without a benchmarks array, or empty */
};

struct import_stats {
	size_t added, known, not_result;
};

/*
 * Import one result document (bytes of a JSON file) as a run, in its own
 * transaction; source is where it came from.  *id is the run's id.
 */
int store_import_buf(struct store *s, const char *buf, size_t size,
		     const char *source, enum import_status *st, int64_t *id,
		     char *err, size_t len);
/* The same for one file. */
int store_import_file(struct store *s, const char *path, enum import_status *st,
		      int64_t *id, char *err, size_t len);
/*
 * Import files and directories (searched recursively for *.json) all in
 * one transaction: a bad file (unreadable, not JSON, a malformed row)
 * rolls everything back.
 */
int store_import_paths(struct store *s, char *const *paths, int n,
		       struct import_stats *stats, char *err, size_t len);

/* Which runs: every non-NULL field must match (GLOB patterns). */
struct run_filter {
	const char *host, *kernel, *suite, *commit, *arch;
	const char *since, *until; /* UTC dates, prefixes compared */
	int64_t id;		   /* 0: any */
};

struct run_info {
	int64_t id;
	const char *digest, *date, *host, *arch, *kernel, *cmdline;
	const char *suite, *commit, *fingerprint, *hvo, *regime, *source;
	int64_t nrows, nbench;
};

/* Call fn for each matching run, oldest first; fn returns non-zero to
 * stop.  Returns the number of runs visited, or -1. */
int store_runs(struct store *s, const struct run_filter *f,
	       int (*fn)(const struct run_info *ri, void *arg), void *arg,
	       char *err, size_t len);

/* The stored JSON document of run id (malloc'd, *size bytes). */
char *store_run_json(struct store *s, int64_t id, size_t *size, char *err,
		     size_t len);

/* 64-bit FNV-1a as 16 hex digits: a document's identity. */
void store_digest(const void *buf, size_t size, char out[17]);

/* Shared by the store's commands: take a filter option (name without
 * "--"); 0, or 2 with one line printed on bad input. */
int store_filter_opt(struct run_filter *f, const char *prog, const char *name,
		     const char *value);

/* Option table entries (bench/lib/core/opt.h) the store's commands share. */
#define STORE_DB_OPT(ptr)                                                      \
	{                                                                      \
		"db", "FILE",                                                  \
			"the store (default $HVOBENCH_DB, else\n"              \
			"$HVOBENCH_RESULTS/hvobench.db, else "                 \
			"results/hvobench.db)",                                \
			.str = (ptr)                                           \
	}
#define STORE_FILTER_OPTS(fn)                                                  \
	{"host", "G", "runs on this host (a glob)", .set = (fn)},              \
		{"kernel", "G", "runs on this kernel release (a glob)",        \
		 .set = (fn)},                                                 \
		{"suite", "G", "runs of this suite", .set = (fn)},             \
		{"commit", "G", "runs of this suite commit", .set = (fn)},     \
		{"arch", "G", "runs on this machine architecture",             \
		 .set = (fn)},                                                 \
		{"since", "DATE", "runs at or after DATE (UTC)", .set = (fn)}, \
		{"until", "DATE", "runs up to DATE (UTC, prefix)",             \
		 .set = (fn)},                                                 \
	{                                                                      \
		"run", "ID", "the run with this id", .set = (fn)               \
	}

#endif
