// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench db import PATH…   result JSON files/directories into the store
 * hvobench db list [filters] what the store holds
 * and the hook through which `hvobench run` records each finished run.
 */
#include "cmd.h"
#include "store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define PROG "hvobench db"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvobench db import PATH...   [--db=FILE]\n"
		"       hvobench db list [--host=G] [--kernel=G] [--suite=G] "
		"[--commit=G]\n"
		"                        [--arch=G] [--since=DATE] "
		"[--until=DATE] [--run=ID]\n"
		"                        [--format=text|json] [--db=FILE]\n"
		"PATH: result JSON files or directories (searched recursively "
		"for *.json);\n"
		"G: a value or a glob ('7.2.*'); DATE: UTC, any prefix of "
		"2026-11-30T05:40:00.\n"
		"The store is --db, else $HVOBENCH_DB, else "
		"$HVOBENCH_RESULTS/hvobench.db,\n"
		"else results/hvobench.db.  Exit 0, or 2 with one line on "
		"bad input.\n");
}

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

static const struct option longopts[] = {
	{"db", required_argument, NULL, 'd'},
	{"format", required_argument, NULL, 'f'},
	{"host", required_argument, NULL, 0},
	{"kernel", required_argument, NULL, 0},
	{"suite", required_argument, NULL, 0},
	{"commit", required_argument, NULL, 0},
	{"arch", required_argument, NULL, 0},
	{"since", required_argument, NULL, 0},
	{"until", required_argument, NULL, 0},
	{"run", required_argument, NULL, 0},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int cmd_db(int argc, char **argv)
{
	struct run_filter f = {0};
	const char *db = NULL, *fmt = "text", *sub;
	char path[4096], err[SERR_LEN];
	struct store *s;
	int c, li, rc = 0;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "import") && strcmp(sub, "list")) {
		fprintf(stderr,
			PROG ": unknown subcommand '%s' (import, list)\n", sub);
		return 2;
	}
	argc--;
	argv++;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, &li)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c == 'd') {
			db = optarg;
		} else if (c == 'f') {
			fmt = optarg;
		} else if (c == 0 && !strcmp(sub, "list")) {
			rc = store_filter_opt(&f, PROG, longopts[li].name,
					      optarg);
			if (rc)
				return 2;
		} else {
			fprintf(stderr, PROG " %s: bad option '%s'\n", sub,
				argv[optind - 1]);
			return 2;
		}
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json")) {
		fprintf(stderr, PROG ": --format: '%s' (text or json)\n", fmt);
		return 2;
	}
	if (!strcmp(sub, "import") && optind >= argc) {
		fprintf(stderr, PROG " import: no PATH given\n");
		return 2;
	}
	if (!strcmp(sub, "list") && optind < argc) {
		fprintf(stderr, PROG " list: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (!db && !(db = store_default_path(path, sizeof(path)))) {
		fprintf(stderr, PROG ": the store is off ($HVOBENCH_DB=off)\n");
		return 2;
	}
	s = store_open(db, !strcmp(sub, "import"), err, sizeof(err));
	if (!s) {
		fprintf(stderr, PROG ": %s\n", err);
		return 2;
	}
	if (!strcmp(sub, "import")) {
		struct import_stats st;

		if (store_import_paths(s, argv + optind, argc - optind, &st,
				       err, sizeof(err))) {
			fprintf(stderr, PROG " import: %s (nothing imported)\n",
				err);
			rc = 2;
		} else {
			printf("%zu runs added, %zu already stored, %zu files "
			       "without results: %s\n",
			       st.added, st.known, st.not_result, db);
		}
	} else if (!strcmp(fmt, "json")) {
		json_t *arr = json_array();

		if (store_runs(s, &f, print_json, arr, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG " list: %s\n", err);
			rc = 2;
		} else {
			json_dumpf(arr, stdout, JSON_INDENT(1));
			putchar('\n');
		}
		json_decref(arr);
	} else {
		int n = 0;

		if (store_runs(s, &f, print_text, &n, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG " list: %s\n", err);
			rc = 2;
		} else if (!n) {
			printf("no runs match in %s\n", db);
		}
	}
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
