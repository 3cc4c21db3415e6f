// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench db import PATH…   result JSON files/directories into the store
 * hvobench db list [filters] what the store holds
 * and the hook through which `hvobench run` records each finished run.
 */
#include "cmd.h"
#include "opt.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define PROG "hvobench db"

static const char db_usage[] =
	"import PATH... | list [options]\n"
	"import: result JSON files or directories (searched recursively for\n"
	"*.json) into the run store, all in one transaction; the same "
	"document\n"
	"twice is one run.  list: the stored runs, oldest first, filtered.\n"
	"G: a value or a glob ('7.2.*'); DATE: UTC, any prefix of\n"
	"2026-11-30T05:40:00.  The store is --db, else $HVOBENCH_DB, else\n"
	"$HVOBENCH_RESULTS/hvobench.db, else results/hvobench.db.\n"
	"Exit status: 0, or 2 with one line on bad input (a foreign or "
	"damaged\n"
	"store is left untouched).";

static struct run_filter filter;
static const char *db_path, *format = "text";

static int set_filter(const char *name, const char *value)
{
	return store_filter_opt(&filter, PROG, name, value);
}

static const struct bench_opt db_opts[] = {
	STORE_DB_OPT(&db_path),
	STORE_FILTER_OPTS(set_filter),
	{"format", "FMT", "list as text (default) or json", .str = &format},
	{0}};

/* Printable text: control characters become '?'. */
static const char *safe(const char *s, char *buf, size_t len)
{
	size_t i = 0;

	if (!s)
		return "-";
	for (; s[i] && i + 1 < len; i++)
		buf[i] =
			(unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static int print_text(const struct run_info *ri, void *arg)
{
	char b[6][256], date[17];
	int *n = arg;

	if ((*n)++ == 0)
		printf("%5s  %-16s  %-12s %-20s %-7s %-6s %-10s %-4s %5s\n",
		       "id", "date (UTC)", "host", "kernel", "arch", "suite",
		       "commit", "hvo", "bench");
	snprintf(date, sizeof(date), "%s", ri->date ? ri->date : "-");
	printf("%5lld  %-16s  %-12s %-20s %-7s %-6s %-10s %-4s %5lld\n",
	       (long long)ri->id, safe(date, b[0], 256),
	       safe(ri->host, b[1], 256), safe(ri->kernel, b[2], 256),
	       safe(ri->arch, b[3], 256), safe(ri->suite, b[4], 256),
	       safe(ri->commit, b[5], 256), ri->hvo ? ri->hvo : "-",
	       (long long)ri->nbench);
	return 0;
}

static void set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static int print_json(const struct run_info *ri, void *arg)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(ri->id));
	set_str(o, "digest", ri->digest);
	set_str(o, "date", ri->date);
	set_str(o, "host", ri->host);
	set_str(o, "arch", ri->arch);
	set_str(o, "kernel", ri->kernel);
	set_str(o, "cmdline", ri->cmdline);
	set_str(o, "suite", ri->suite);
	set_str(o, "commit", ri->commit);
	set_str(o, "fingerprint", ri->fingerprint);
	set_str(o, "hvo", ri->hvo);
	set_str(o, "regime", ri->regime);
	set_str(o, "source", ri->source);
	json_object_set_new(o, "rows", json_integer(ri->nrows));
	json_object_set_new(o, "benchmarks", json_integer(ri->nbench));
	json_array_append_new(arg, o);
	return 0;
}

static int db_list(struct store *s, const char *db)
{
	char err[SERR_LEN];
	json_t *arr = NULL;
	int n = 0;

	if (!strcmp(format, "json"))
		arr = json_array();
	if (store_runs(s, &filter, arr ? print_json : print_text,
		       arr ? (void *)arr : &n, err, sizeof(err)) < 0) {
		json_decref(arr);
		return bench_opt_bad(PROG " list", "%s", err);
	}
	if (arr) {
		json_dumpf(arr, stdout, JSON_INDENT(1));
		putchar('\n');
		json_decref(arr);
	} else if (!n) {
		printf("no runs match in %s\n", db);
	}
	return 0;
}

static int db_import(struct store *s, const char *db, char **paths, int n)
{
	struct import_stats st;
	char err[SERR_LEN];

	if (store_import_paths(s, paths, n, &st, err, sizeof(err)))
		return bench_opt_bad(PROG " import", "%s (nothing imported)",
				     err);
	printf("%zu runs added, %zu already stored, %zu files without "
	       "results: %s\n",
	       st.added, st.known, st.not_result, db);
	return 0;
}

static int cmd_db(int argc, char **argv)
{
	const struct bench_opt *tables[] = {db_opts, NULL};
	const struct run_filter none = {0};
	char path[4096], err[SERR_LEN];
	const char *db = db_path;
	struct store *s;
	bool import;
	int first, rc;

	rc = bench_opt_parse(PROG, argc, argv, tables, db_usage, &first);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (first >= argc)
		return bench_opt_bad(PROG,
				     "import or list? (hvobench db --help)");
	import = !strcmp(argv[first], "import");
	if (!import && strcmp(argv[first], "list"))
		return bench_opt_bad(PROG,
				     "unknown subcommand '%s' (import, list)",
				     argv[first]);
	first++;
	if (import && first >= argc)
		return bench_opt_bad(PROG " import", "no PATH given");
	if (import && memcmp(&filter, &none, sizeof(none)))
		return bench_opt_bad(PROG " import", "takes no filter options");
	if (!import && first < argc)
		return bench_opt_bad(PROG " list", "unexpected argument '%s'",
				     argv[first]);
	if (strcmp(format, "text") && strcmp(format, "json"))
		return bench_opt_bad(PROG, "--format: '%s' (text or json)",
				     format);
	if (!db && !(db = store_default_path(path, sizeof(path))))
		return bench_opt_bad(PROG,
				     "the store is off ($HVOBENCH_DB=off)");
	s = store_open(db, import, err, sizeof(err));
	if (!s)
		return bench_opt_bad(PROG, "%s", err);
	rc = import ? db_import(s, db, argv + first, argc - first)
		    : db_list(s, db);
	store_close(s);
	return rc;
}

/* `hvobench run` hands over each result file it wrote. */
static int record_run(const char *json_path)
{
	char path[4096], err[SERR_LEN];
	const char *db = store_default_path(path, sizeof(path));
	enum import_status st = IMPORT_NOT_RESULT;
	struct store *s;
	int64_t id = 0;
	int ret = -1;

	if (!db)
		return 0;
	s = store_open(db, true, err, sizeof(err));
	if (s) {
		ret = store_import_file(s, json_path, &st, &id, err,
					sizeof(err));
		store_close(s);
	}
	if (ret)
		fprintf(stderr,
			"hvobench: not recorded in the store: %s (the JSON is "
			"kept; hvobench db import adds it later)\n",
			err);
	else if (st == IMPORT_ADDED)
		printf("store: run %lld in %s\n", (long long)id, db);
	return ret;
}

__attribute__((constructor)) static void db_record_init(void)
{
	hvo_cmd_set_record(record_run);
}

HVO_COMMAND(db, .summary = "the run store: import JSON results, list runs",
	    .main = cmd_db);
