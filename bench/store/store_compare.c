// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench compare --kernel=A --kernel=B [--kernel=C…]   (or --host, --run)
 *
 * Sets selected from the store by what the runs are: each value of the
 * repeated selector is one set (every stored run that matches it and the
 * other filters).  Two sets get the two-way report of `compare A B`;
 * three or more the N-way table (rnway.c).  The store hands the runs'
 * JSON documents to the report's reader, so the numbers are the ones the
 * files give.
 */
#include "cmd.h"
#include "opt.h"
#include "report.h"
#include "rnway.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define PROG	 "hvobench compare"
#define MAX_SETS 16

static const char compare_usage[] =
	"--kernel=A --kernel=B [--kernel=C...] [options]\n"
	"       (or --host=H1 --host=H2..., or --run=ID[,ID...] per set)\n"
	"Sets of stored runs, one per value of the repeated selector; the\n"
	"other filters apply to all.  Two sets: the report of `compare A B`.\n"
	"Three or more: one table, a column per set, each compared with the\n"
	"first on one metric (--metric; default each benchmark's primary).\n"
	"With several runs a set, the run is the unit of variance (as\n"
	"`compare A B` treats them).  Exit status: 0, or 2 with one line on\n"
	"bad input (a selector no stored run matches, a damaged store).";

enum sel { SEL_KERNEL, SEL_HOST, SEL_RUN, SEL_N };
static const char *const sel_name[SEL_N] = {"kernel", "host", "run"};

static struct {
	const char *v[SEL_N][MAX_SETS];
	int n[SEL_N];
	struct run_filter f;
	const char *db, *metric, *format, *filter;
	double alpha;
	enum rcorr corr;
} a;

static int set_sel(const char *name, const char *value)
{
	for (int s = 0; s < SEL_N; s++) {
		if (strcmp(name, sel_name[s]))
			continue;
		if (!*value)
			return bench_opt_bad(PROG, "--%s needs a value", name);
		if (a.n[s] == MAX_SETS)
			return bench_opt_bad(PROG, "at most %d sets", MAX_SETS);
		a.v[s][a.n[s]++] = value;
		return 0;
	}
	return store_filter_opt(&a.f, PROG, name, value);
}

static int set_correction(const char *name, const char *v)
{
	if (strcmp(v, "bh") && strcmp(v, "holm"))
		return bench_opt_bad(PROG, "--%s=%s: expected bh or holm", name,
				     v);
	a.corr = strcmp(v, "bh") ? RCORR_HOLM : RCORR_BH;
	return 0;
}

static const struct bench_opt compare_opts[] = {
	{"kernel", "G", "a set: runs on this kernel release (repeat)",
	 .set = set_sel},
	{"host", "G", "a set: runs on this host (repeat), or a filter",
	 .set = set_sel},
	{"run", "ID[,ID...]", "a set: these runs (repeat)", .set = set_sel},
	{"suite", "G", "only runs of this suite", .set = set_sel},
	{"commit", "G", "only runs of this suite commit", .set = set_sel},
	{"arch", "G", "only runs on this architecture", .set = set_sel},
	{"since", "DATE", "only runs at or after DATE (UTC)", .set = set_sel},
	{"until", "DATE", "only runs up to DATE (UTC, prefix)", .set = set_sel},
	{"metric", "M",
	 "two sets: metric regexes as for compare A B;\n"
	 "more: the table's one metric (default: each\n"
	 "benchmark's primary metric)",
	 .str = &a.metric},
	{"filter", "REGEX", "benchmarks to compare", .str = &a.filter},
	{"alpha", "X", "significance level and 1-CI (default 0.05)",
	 .num = &a.alpha, .lo = 1e-6, .hi = 0.5},
	{"correction", "bh|holm",
	 "multiple comparisons (default bh); more than\n"
	 "two sets: over every tested cell of the table",
	 .set = set_correction},
	{"format", "FMT", "text (default) or markdown", .str = &a.format},
	STORE_DB_OPT(&a.db),
	{0}};

bool store_compare_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		for (int s = 0; s < SEL_N; s++) {
			size_t n = strlen(sel_name[s]);

			if (!strncmp(argv[i], "--", 2) &&
			    !strncmp(argv[i] + 2, sel_name[s], n) &&
			    (!argv[i][n + 2] || argv[i][n + 2] == '='))
				return true;
		}
	return false;
}

struct load {
	struct rset *set;
	struct store *st;
	char *err;
	size_t len;
	int ret;
};

static int load_run(const struct run_info *ri, void *arg)
{
	struct load *l = arg;
	char name[64];
	size_t size;
	char *buf = store_run_json(l->st, ri->id, &size, l->err, l->len);

	if (!buf)
		return l->ret = -1;
	snprintf(name, sizeof(name), "store run %lld", (long long)ri->id);
	if (rset_load_buf(l->set, buf, size, name, l->err, l->len))
		l->ret = -1;
	free(buf);
	return l->ret;
}

/* The runs of set i (selector s) into set; its label says what it is. */
static int load_set(struct store *st, enum sel s, int i, struct rset *set,
		    char *err, size_t len)
{
	struct run_filter f = a.f;
	struct load l = {set, st, err, len, 0};
	char ids[256];
	int n = 0;

	set->label = malloc(strlen(sel_name[s]) + strlen(a.v[s][i]) + 2);
	if (!set->label)
		return -1;
	sprintf(set->label, "%s %s", sel_name[s], a.v[s][i]);
	if (s == SEL_KERNEL)
		f.kernel = a.v[s][i];
	if (s == SEL_HOST)
		f.host = a.v[s][i];
	if (s != SEL_RUN)
		n = store_runs(st, &f, load_run, &l, err, len);
	snprintf(ids, sizeof(ids), "%s", s == SEL_RUN ? a.v[s][i] : "");
	for (char *tok = strtok(ids, ","); tok && n >= 0 && !l.ret;
	     tok = strtok(NULL, ",")) {
		char *end;

		f.id = strtoll(tok, &end, 10);
		if (*end || f.id <= 0) {
			snprintf(err, len, "--run: '%s' is not a run id", tok);
			return -1;
		}
		int k = store_runs(st, &f, load_run, &l, err, len);

		if (k == 0) {
			snprintf(err, len,
				 "--run: no stored run %s matches (hvobench db "
				 "list)",
				 tok);
			return -1;
		}
		n = k < 0 ? k : n + k;
	}
	if (n < 0 || l.ret)
		return -1;
	if (n == 0) {
		snprintf(err, len,
			 "--%s=%s: no stored run matches (hvobench db list "
			 "shows what is there)",
			 sel_name[s], a.v[s][i]);
		return -1;
	}
	return 0;
}

int store_compare_main(int argc, char **argv)
{
	const struct bench_opt *tables[] = {compare_opts, NULL};
	struct rset sets[MAX_SETS];
	const struct rset *cols[MAX_SETS];
	char path[4096], err[RERR_LEN] = "";
	struct store *st = NULL;
	int first, rc, nsets = 0;
	enum sel s = SEL_N;

	memset(&a, 0, sizeof(a));
	a.alpha = 0.05;
	a.format = "text";
	memset(sets, 0, sizeof(sets));
	rc = bench_opt_parse(PROG, argc, argv, tables, compare_usage, &first);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (first < argc)
		return bench_opt_bad(PROG,
				     "sets come from the store here; "
				     "'%s' too? (files: compare A B)",
				     argv[first]);
	for (int i = 0; i < SEL_N; i++)
		if (a.n[i] > 1) {
			if (s != SEL_N)
				return bench_opt_bad(
					PROG, "repeat one of --kernel, --host, "
					      "--run (the sets), not two");
			s = i;
		}
	if (s == SEL_N)
		return bench_opt_bad(PROG, "two sets or more: repeat --kernel, "
					   "--host or --run");
	for (int i = 0; i < SEL_N; i++)
		if (i != (int)s && a.n[i] == 1) {
			if (i == SEL_RUN)
				return bench_opt_bad(PROG, "--run with other "
							   "sets: one selector "
							   "only");
			*(i == SEL_KERNEL ? &a.f.kernel : &a.f.host) =
				a.v[i][0];
		}
	if (strcmp(a.format, "text") && strcmp(a.format, "markdown"))
		return bench_opt_bad(PROG, "--format: '%s' (text or markdown)",
				     a.format);
	if (!a.db && !(a.db = store_default_path(path, sizeof(path))))
		return bench_opt_bad(PROG,
				     "the store is off ($HVOBENCH_DB=off)");
	st = store_open(a.db, false, err, sizeof(err));
	rc = 2;
	if (!st)
		goto out;
	for (nsets = 0; nsets < a.n[s]; nsets++) {
		if (load_set(st, s, nsets, &sets[nsets], err, sizeof(err))) {
			nsets++;
			goto out;
		}
		cols[nsets] = &sets[nsets];
	}
	struct ropts o = {.alpha = a.alpha, .corr = a.corr, .filter = a.filter};

	if (nsets == 2) {
		struct rreport r;

		o.metric = a.metric; /* a regex list here, as for A B */
		if (rreport_build(&r, cols[0], cols[1], &o, err, sizeof(err)))
			goto out;
		if (!strcmp(a.format, "markdown"))
			rmd_print(stdout, &r);
		else
			rtext_print(stdout, &r);
		rreport_free(&r);
		rc = 0;
	} else {
		struct rnway w;

		if (rnway_build(&w, cols, (size_t)nsets, a.metric, &o, err,
				sizeof(err)))
			goto out;
		rnway_print(stdout, &w, !strcmp(a.format, "markdown"));
		rnway_free(&w);
		rc = 0;
	}
out:
	if (rc)
		bench_opt_bad(PROG, "%s", err);
	for (int i = 0; i < nsets; i++)
		rset_free(&sets[i]);
	store_close(st);
	return rc;
}

__attribute__((constructor)) static void store_compare_init(void)
{
	hvo_cmd_set_select(store_compare_wanted, store_compare_main);
}
