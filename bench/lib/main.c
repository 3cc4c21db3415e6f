// SPDX-License-Identifier: GPL-2.0
/* The shared command line of every libbench program, and the run loop. */
#include "result.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct bench_opts bench_opts = {.min_time = -1, .warmup = 0};
double bench_timer_overhead_ns, bench_clock_res_ns;

static const char usage[] =
	"usage: %s [options]\n"
	"  --filter=REGEX       run instances whose name matches\n"
	"  --suite=NAME         quick, full, selftest (default: every "
	"benchmark)\n"
	"  --list               print the selected instance names\n"
	"  --repetitions=N      repetitions per instance (aggregates if > 1)\n"
	"  --min-time=S         minimum seconds per run (default 0.5)\n"
	"  --warmup=S           seconds of discarded runs first (default 0)\n"
	"  --format=F           console, json or csv on stdout\n"
	"  --out=FILE           also write JSON (CSV if FILE ends in .csv)\n"
	"  --context=KEY=VALUE  add to the JSON context (repeatable)\n"
	"  --help               this text\n";

static int bad(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "%s: ", program_invocation_short_name);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

static int parse_double(const char *s, double *v, double lo, double hi)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end == s || *end || errno || !(*v >= lo && *v <= hi) ? -1 : 0;
}

static void print_help(const char *prog)
{
	printf(usage, prog);
	for (int i = 0; i < bench_ext_count(); i++)
		if (bench_ext_at(i)->help)
			fputs(bench_ext_at(i)->help, stdout);
}

/* An extension's option; 1 if none claims it. */
static int ext_option(const char *opt, const char *value)
{
	for (int i = 0; i < bench_ext_count(); i++) {
		const struct bench_ext *e = bench_ext_at(i);

		for (const char *const *o = e->options; o && *o; o++)
			if (!strcmp(*o, opt))
				return e->option(opt, value);
	}
	return 1;
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

/* A suite is a word in some definition's suites list. */
static bool suite_known(const char *name)
{
	for (int i = 0; i < bench_count(); i++) {
		const char *s = bench_at(i)->suites ? bench_at(i)->suites
						    : "quick,full";

		if (in_list(s, name))
			return true;
	}
	return false;
}

static int parse_args(int argc, char **argv)
{
	bench_opts.argc = argc;
	bench_opts.argv = argv;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char opt[64];
		const char *eq = strchr(a, '=');
		const char *v = eq ? eq + 1 : NULL;
		double d;

		if (strncmp(a, "--", 2) || (eq && eq - a >= (long)sizeof(opt)))
			return bad("unknown argument '%s'%s (see --help)", a,
				   "");
		snprintf(opt, sizeof(opt), "%.*s",
			 (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
		if (!strcmp(opt, "help")) {
			print_help(argv[0]);
			exit(0);
		} else if (!strcmp(opt, "list") && !v) {
			bench_opts.list = true;
			continue;
		}
		int r = ext_option(opt, v);

		if (r != 1) {
			if (r)
				return r;
			continue;
		}
		static const char *const known[] = {
			"filter", "suite", "repetitions", "min-time", "warmup",
			"format", "out",   "context",	  NULL};
		bool is_known = false;

		for (const char *const *k = known; *k; k++)
			is_known |= !strcmp(*k, opt);
		if (!is_known)
			return bad("unknown option '%s'%s (see --help)", a, "");
		if (!v || !*v)
			return bad("option '%s' needs a value (--%s=...)", a,
				   opt);
		if (!strcmp(opt, "filter")) {
			int rc = regcomp(&bench_opts.re, v,
					 REG_EXTENDED | REG_NOSUB);

			if (rc)
				return bad("--filter: bad regular expression "
					   "'%s'%s",
					   v, "");
			bench_opts.filter = v;
			bench_opts.have_re = true;
		} else if (!strcmp(opt, "suite")) {
			if (!suite_known(v))
				return bad("--suite: no benchmark is in suite "
					   "'%s'%s",
					   v, "");
			bench_opts.suite = v;
		} else if (!strcmp(opt, "repetitions")) {
			if (parse_double(v, &d, 1, 10000) || d != floor(d))
				return bad("--repetitions: '%s' is not an "
					   "integer in 1..10000%s",
					   v, "");
			bench_opts.repetitions = (int)d;
		} else if (!strcmp(opt, "min-time")) {
			if (parse_double(v, &d, 0, 3600))
				return bad("--min-time: '%s' is not seconds in "
					   "0..3600%s",
					   v, "");
			bench_opts.min_time = d;
		} else if (!strcmp(opt, "warmup")) {
			if (parse_double(v, &d, 0, 3600))
				return bad("--warmup: '%s' is not seconds in "
					   "0..3600%s",
					   v, "");
			bench_opts.warmup = d;
		} else if (!strcmp(opt, "format")) {
			if (!strcmp(v, "console"))
				bench_opts.format = FMT_CONSOLE;
			else if (!strcmp(v, "json"))
				bench_opts.format = FMT_JSON;
			else if (!strcmp(v, "csv"))
				bench_opts.format = FMT_CSV;
			else
				return bad("--format: '%s' is not console, "
					   "json or csv%s",
					   v, "");
		} else if (!strcmp(opt, "out")) {
			bench_opts.out = v;
		} else if (!strcmp(opt, "context")) {
			const char *e2 = strchr(v, '=');

			if (!e2 || e2 == v || e2 - v >= 128)
				return bad("--context: '%s' is not KEY=VALUE%s",
					   v, "");
			if (bench_opts.ncontext == 32)
				return bad("--context: more than 32 given%s%s",
					   "", "");
			bench_opts.context[bench_opts.ncontext++] = v;
		} else {
			return bad("unknown option '%s'%s (see --help)", a, "");
		}
	}
	return 0;
}

static bool selected(const struct bench_instance *in)
{
	const char *suites = in->def->suites ? in->def->suites : "quick,full";

	if (bench_opts.suite && !in_list(suites, bench_opts.suite))
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
	FILE *fo = NULL, *co = stdout;
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
	measure_clock();
	con->begin(co);
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
		for (int r = 0; r < nres; r++) {
			con->result(co, &res[r]);
			if (file_out)
				file_out->result(fo, &res[r]);
		}
		if (nres > 1 && !res[0].skipped && !res[nres - 1].failed &&
		    !res[nres - 1].skipped) {
			con->aggregate(co, res, nres);
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

int bench_init(int argc, char **argv)
{
	char err[256];
	int rc = parse_args(argc, argv);

	if (rc)
		return rc;
	if (bench_instances(&instances, &ninstances, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, err);
		return 2;
	}
	return 0;
}

bool bench_listing(void)
{
	return bench_opts.list;
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

int bench_main(int argc, char **argv)
{
	int rc = bench_init(argc, argv);

	return rc ? rc : bench_run();
}
