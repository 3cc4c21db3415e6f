// SPDX-License-Identifier: GPL-2.0
/* The shared command line of every libbench program, and the run loop. */
#include "opt.h"
#include "result.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct bench_opts bench_opts = {.min_time = -1, .warmup = 0};
double bench_timer_overhead_ns, bench_clock_res_ns;

static const char *prog = "bench";

static int set_filter(const char *name, const char *v)
{
	(void)name;
	if (bench_opts.have_re)
		regfree(&bench_opts.re);
	bench_opts.have_re = false;
	if (regcomp(&bench_opts.re, v, REG_EXTENDED | REG_NOSUB))
		return bench_opt_bad(
			prog, "--filter: bad regular expression '%s'", v);
	bench_opts.filter = v;
	bench_opts.have_re = true;
	return 0;
}

static bool in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static const char *def_suites(const struct bench_def *d)
{
	return d->suites ? d->suites : "quick,full";
}

/* A suite is a word in some definition's suites list; "all" is every one. */
static bool suite_known(const char *name)
{
	if (!strcmp(name, "all"))
		return true;
	for (int i = 0; i < bench_count(); i++)
		if (in_list(def_suites(bench_at(i)), name))
			return true;
	return false;
}

static int set_suite(const char *name, const char *v)
{
	(void)name;
	if (!suite_known(v))
		return bench_opt_bad(
			prog, "--suite: no benchmark is in suite '%s'", v);
	bench_opts.suite = strcmp(v, "all") ? v : NULL;
	return 0;
}

static int set_format(const char *name, const char *v)
{
	(void)name;
	if (!strcmp(v, "console"))
		bench_opts.format = FMT_CONSOLE;
	else if (!strcmp(v, "json"))
		bench_opts.format = FMT_JSON;
	else if (!strcmp(v, "csv"))
		bench_opts.format = FMT_CSV;
	else
		return bench_opt_bad(
			prog, "--format: '%s' is not console, json or csv", v);
	return 0;
}

static int set_context(const char *name, const char *v)
{
	const char *eq = strchr(v, '=');

	(void)name;
	if (!eq || eq == v || eq - v >= 128)
		return bench_opt_bad(prog, "--context: '%s' is not KEY=VALUE",
				     v);
	if (bench_opts.ncontext == 32)
		return bench_opt_bad(prog, "--context: more than 32 given");
	bench_opts.context[bench_opts.ncontext++] = v;
	return 0;
}

/* Filled at parse time: the suites that exist and the default. */
static char suite_help[160];

/* Which instances: run and list. */
static const struct bench_opt select_opts[] = {
	{"filter", "REGEX", "instances whose name matches (POSIX ERE)",
	 .set = set_filter},
	{"suite", "NAME", suite_help, .set = set_suite},
	{0}};

/* How to run them: run only. */
static const struct bench_opt run_opts[] = {
	{"repetitions", "N", "repetitions per instance (aggregates if > 1)",
	 .inum = &bench_opts.repetitions, .lo = 1, .hi = 10000},
	{"min-time", "S", "minimum seconds per run (default 0.5)",
	 .num = &bench_opts.min_time, .lo = 0, .hi = 3600},
	{"warmup", "S", "seconds of discarded runs first (default 0)",
	 .num = &bench_opts.warmup, .lo = 0, .hi = 3600},
	{"format", "F", "console, json or csv on stdout (default console)",
	 .set = set_format},
	{"out", "FILE", "also write JSON (CSV if FILE ends in .csv)",
	 .str = &bench_opts.out},
	{"context", "KEY=VALUE", "add to the JSON context (repeatable)",
	 .set = set_context},
	{0}};

/* Programs other than hvobench that call bench_main(). */
static const struct bench_opt program_opts[] = {
	{"list", NULL, "print the selected instance names",
	 .flag = &bench_opts.list},
	{0}};

enum parse_for { FOR_PROGRAM, FOR_RUN, FOR_LIST };

static int parse_args(int argc, char **argv, enum parse_for what,
		      const char *usage)
{
	const struct bench_opt *tables[8 + MAX_EXT];
	int n = 0, first, rc;

	bench_opts.argc = argc;
	bench_opts.argv = argv;
	prog = argv[0];
	/* hvobench's commands default to the quick suite, programs to all. */
	bench_opts.suite = what == FOR_PROGRAM ? NULL : "quick";
	snprintf(suite_help, sizeof(suite_help),
		 "a suite: quick, full, selftest, or all\n(default: %s)",
		 bench_opts.suite ? bench_opts.suite : "all");
	tables[n++] = select_opts;
	if (what != FOR_LIST) {
		tables[n++] = run_opts;
		for (int i = 0; i < bench_ext_count(); i++)
			if (bench_ext_at(i)->opts && n < 7 + MAX_EXT)
				tables[n++] = bench_ext_at(i)->opts;
	}
	if (what == FOR_PROGRAM)
		tables[n++] = program_opts;
	tables[n] = NULL;
	rc = bench_opt_parse(prog, argc, argv, tables, usage, &first);
	if (rc == 1)
		exit(0);
	if (rc)
		return rc;
	if (first < argc)
		return bench_opt_bad(prog,
				     "unexpected argument '%s' (see --help)",
				     argv[first]);
	bench_opts.list |= what == FOR_LIST;
	return 0;
}

static bool selected(const struct bench_instance *in)
{
	if (bench_opts.suite && !in_list(def_suites(in->def), bench_opts.suite))
		return false;
	return !bench_opts.have_re ||
	       !regexec(&bench_opts.re, in->name, 0, NULL, 0);
}

static void measure_clock(void)
{
	struct timespec res;
	const int n = 100000;
	uint64_t t0 = bench_now_ns();

	for (int i = 0; i < n; i++)
		bench_now_ns();
	bench_timer_overhead_ns = (double)(bench_now_ns() - t0) / n;
	clock_getres(CLOCK_MONOTONIC, &res);
	bench_clock_res_ns = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
}

static void progress(int done, int total, const char *name, uint64_t t_start)
{
	double el = (double)(bench_now_ns() - t_start) / 1e9;
	double eta = done ? el / done * (total - done) : 0;

	fprintf(stderr, "\r\033[K[%d/%d] %.60s  elapsed %.0fs  ETA %.0fs",
		done + 1, total, name, el, eta);
	fflush(stderr);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * With the console format and a JSON file, the rows of single repetitions
 * go to NAME.console.log beside it: the console keeps one block per
 * benchmark (its aggregates), so a suite's output stays readable.
 */
static FILE *open_rows_log(const char *out, char *path, size_t len)
{
	size_t n = strlen(out);

	if (n < 5 || strcmp(out + n - 5, ".json") ||
	    (size_t)snprintf(path, len, "%.*s.console.log", (int)(n - 5),
			     out) >= len)
		return NULL;
	return fopen(path, "w");
}

/*
 * stdout gets --format; --out gets JSON (CSV when the name ends in .csv).
 * Extensions start first: a refused run creates no file.
 */
static int run_all(struct bench_instance *in, int n)
{
	const struct bench_output *con =
		bench_opts.format == FMT_CSV	? &output_csv
		: bench_opts.format == FMT_JSON ? &output_json
						: &output_console;
	const struct bench_output *file_out = NULL;
	FILE *fo = NULL, *co = stdout, *rows = NULL;
	char rows_path[4200] = "";
	int rc = 0, total = 0, done = 0;
	uint64_t t_start = bench_now_ns();

	for (int i = 0; i < n; i++)
		total += selected(&in[i]);
	for (int i = 0; i < bench_ext_count(); i++) {
		const struct bench_ext *e = bench_ext_at(i);

		if (e->run_begin && (rc = e->run_begin()))
			goto out_ext;
	}
	if (bench_opts.out) {
		fo = fopen(bench_opts.out, "w");
		if (!fo) {
			fprintf(stderr, "%s: cannot write %s: %s\n",
				program_invocation_short_name, bench_opts.out,
				strerror(errno));
			rc = 2;
			goto out_ext;
		}
		file_out = ends_with(bench_opts.out, ".csv") ? &output_csv
							     : &output_json;
		/* One JSON document at a time: the file wins over stdout. */
		if (file_out == &output_json && con == &output_json)
			con = &output_console;
	}
	if (file_out == &output_json && con == &output_console)
		rows = open_rows_log(bench_opts.out, rows_path,
				     sizeof(rows_path));
	measure_clock();
	con->begin(co);
	if (rows)
		con->begin(rows);
	if (file_out)
		file_out->begin(fo);
	for (int i = 0; i < n; i++) {
		struct bench_result *res = NULL;
		int nres = 0;

		if (!selected(&in[i]))
			continue;
		if (bench_opts.progress)
			progress(done, total, in[i].name, t_start);
		if (bench_run_instance(&in[i], &res, &nres))
			rc = 1;
		if (bench_opts.progress)
			fputs("\r\033[K", stderr);
		bool agg = nres > 1 && !res[0].skipped &&
			   !res[nres - 1].failed && !res[nres - 1].skipped;

		for (int r = 0; r < nres; r++) {
			con->result(agg && rows ? rows : co, &res[r]);
			if (file_out)
				file_out->result(fo, &res[r]);
		}
		if (agg) {
			con->aggregate(co, res, nres);
			if (rows)
				con->aggregate(rows, res, nres);
			if (file_out)
				file_out->aggregate(fo, res, nres);
		}
		fflush(co);
		for (int r = 0; r < nres; r++)
			bench_result_free(&res[r]);
		free(res);
		done++;
	}
	if (con->end(co))
		rc = 1;
	if (rows && fclose(rows))
		rc = 1;
	if (rows)
		printf("per-repetition rows: %s\n", rows_path);
	if (file_out && file_out->end(fo))
		rc = 1;
out_ext:
	for (int i = bench_ext_count() - 1; i >= 0; i--)
		if (bench_ext_at(i)->run_end)
			bench_ext_at(i)->run_end();
	if (fo && fclose(fo))
		rc = 1;
	return rc;
}

static struct bench_instance *instances;
static int ninstances;

static int init(int argc, char **argv, enum parse_for what, const char *usage)
{
	char err[256];
	int rc = parse_args(argc, argv, what, usage);

	if (rc)
		return rc;
	if (bench_instances(&instances, &ninstances, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, err);
		return 2;
	}
	return 0;
}

int bench_init(int argc, char **argv, const char *usage)
{
	return init(argc, argv, FOR_RUN, usage);
}

const char *bench_out(void)
{
	return bench_opts.out;
}

void bench_set_out(const char *path)
{
	bench_opts.out = path;
}

int bench_run(void)
{
	int rc;

	if (bench_opts.list) {
		for (int i = 0; i < ninstances; i++)
			if (selected(&instances[i]))
				printf("%s\n", instances[i].name);
		rc = 0;
	} else {
		bench_opts.progress = isatty(STDERR_FILENO) && !getenv("CI");
		rc = run_all(instances, ninstances);
	}
	free(instances);
	instances = NULL;
	return rc;
}

int bench_list(int argc, char **argv, const char *usage)
{
	int rc = init(argc, argv, FOR_LIST, usage);

	return rc ? rc : bench_run();
}

int bench_main(int argc, char **argv)
{
	int rc = init(argc, argv, FOR_PROGRAM, "[options]");

	return rc ? rc : bench_run();
}
