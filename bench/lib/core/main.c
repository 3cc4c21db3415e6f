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

/* A definition is in a suite through its argument sets, or its .suites. */
static bool def_in_suite(const struct bench_def *d, const char *name)
{
	if (!d->args[0].suite)
		return bench_word_in(d->suites ? d->suites : "quick,full",
				     name);
	for (int a = 0; a < BENCH_MAX_ARGS && d->args[a].suite; a++)
		if (bench_word_in(d->args[a].suite, name))
			return true;
	return false;
}

/* A suite is a word in some definition's suites list; "all" is every one. */
static bool suite_known(const char *name)
{
	if (!strcmp(name, "all"))
		return true;
	for (int i = 0; i < bench_count(); i++)
		if (def_in_suite(bench_at(i), name))
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

static int set_shuffle(const char *name, const char *v)
{
	char *end;
	unsigned long long seed;

	(void)name;
	bench_opts.shuffle = true;
	bench_opts.seed = (unsigned int)time(NULL);
	if (!*v)
		return 0;
	errno = 0;
	seed = strtoull(v, &end, 0);
	if (end == v || *end || errno || seed > 0xffffffffull || v[0] == '-')
		return bench_opt_bad(
			prog,
			"--shuffle: seed '%s' is not an integer in "
			"0..4294967295",
			v);
	bench_opts.seed = (unsigned int)seed;
	return 0;
}

/* "0.03" or "3%". */
static int set_precision(const char *name, const char *v)
{
	size_t len = strlen(v);
	bool pct = len && v[len - 1] == '%';
	char *end;
	double d;

	(void)name;
	errno = 0;
	d = strtod(v, &end);
	if (end == v || end != v + len - pct || errno ||
	    !(d > 0 && d <= (pct ? 100 : 1)))
		return bench_opt_bad(prog,
				     "--precision: '%s' is not a fraction in "
				     "(0,1] or a percentage like 3%%",
				     v);
	bench_opts.precision = pct ? d / 100 : d;
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
	{"repetitions", "N",
	 "repetitions (rounds) per instance (aggregates if > 1);\n"
	 "fixes the rounds of a suite's adaptive rows too",
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
	{"shuffle", "SEED",
	 "run benchmarks in a seeded random order (default\n"
	 "seed: the time); an axis's values stay interleaved",
	 .set = set_shuffle, .optional = true},
	{"precision", "P",
	 "repeat rounds until each axis ratio's 95% CI is\n"
	 "within +-P (0.03 or 3%), or a budget is spent",
	 .set = set_precision},
	{"budget", "S", "seconds per benchmark for --precision (default 20)",
	 .num = &bench_opts.budget, .lo = 0.001, .hi = 86400},
	{"run-budget", "S",
	 "seconds for the whole run: later benchmarks\n"
	 "then run their minimum rounds only",
	 .num = &bench_opts.run_budget, .lo = 0.001, .hi = 86400},
	{0}};

/* list only. */
static bool list_instances;
static const struct bench_opt list_opts[] = {
	{"instances", NULL,
	 "one instance name a line (default: each benchmark\n"
	 "once with its description, suites, axes and needs)",
	 .flag = &list_instances},
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
	if (what == FOR_LIST)
		tables[n++] = list_opts;
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
	bench_opts.list_kind = what == FOR_LIST && !list_instances
				       ? LIST_BENCHMARKS
				       : LIST_INSTANCES;
	return 0;
}

static bool selected(const struct bench_instance *in)
{
	if (bench_opts.suite && !bench_word_in(in->suites, bench_opts.suite))
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

#define MAX_SET 8

/* Selected instances that differ only in kernel-state axes. */
struct set {
	const struct bench_instance *m[MAX_SET];
	int n;
};

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/*
 * Sets in registration order; --shuffle permutes sets of equal .order
 * (tlb's regime order stays) and which member opens the first round.
 */
static int make_sets(struct bench_instance *in, int n, struct set **out,
		     int *nout)
{
	struct set *v = calloc((size_t)n + 1, sizeof(*v));
	bool *used = calloc((size_t)n + 1, sizeof(*used));
	int cnt = 0;
	unsigned int seed = bench_opts.seed;

	if (!v || !used) {
		free(v);
		free(used);
		fprintf(stderr, "%s: out of memory\n",
			program_invocation_short_name);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (used[i] || !selected(&in[i]))
			continue;
		struct set *s = &v[cnt++];

		for (int j = i; j < n && s->n < MAX_SET; j++)
			if (!used[j] && selected(&in[j]) &&
			    bench_same_set(&in[i], &in[j])) {
				used[j] = true;
				s->m[s->n++] = &in[j];
			}
	}
	for (int i = 0; bench_opts.shuffle && i < cnt; i++) {
		int hi = i;

		while (hi + 1 < cnt &&
		       v[hi + 1].m[0]->def->order == v[i].m[0]->def->order)
			hi++;
		/* Fisher-Yates over the sets at or after i with its order. */
		int j = i + (int)(rnd(&seed) % (unsigned int)(hi - i + 1));
		struct set t = v[i];

		v[i] = v[j];
		v[j] = t;
		if (v[i].n > 1 && rnd(&seed) % 2)
			for (int a = 0, b = v[i].n - 1; a < b; a++, b--) {
				const struct bench_instance *x = v[i].m[a];

				v[i].m[a] = v[i].m[b];
				v[i].m[b] = x;
			}
	}
	free(used);
	*out = v;
	*nout = cnt;
	return 0;
}

/*
 * One instance's rows, then its aggregates; with a rows log the console
 * shows the aggregates and the log the rows.
 */
static void emit(const struct bench_output *con, FILE *co, FILE *rows,
		 const struct bench_output *fout, FILE *fo,
		 const struct bench_result *res, int nres)
{
	bool agg = nres > 1 && !res[0].skipped && !res[nres - 1].failed &&
		   !res[nres - 1].skipped;

	for (int r = 0; r < nres; r++) {
		con->result(agg && rows ? rows : co, &res[r]);
		if (fout)
			fout->result(fo, &res[r]);
	}
	if (agg) {
		con->aggregate(co, res, nres);
		if (rows)
			con->aggregate(rows, res, nres);
		if (fout)
			fout->aggregate(fo, res, nres);
	}
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

	struct set *sets = NULL;
	int nsets = 0, block = 0;

	if (make_sets(in, n, &sets, &nsets))
		return 1;
	/* Still a run (it restores a journal), but say it measures nothing. */
	if (!nsets && bench_opts.have_re)
		fprintf(stderr,
			"%s: warning: --filter '%s' selects no instance of "
			"suite %s: no rows (list --instances shows the "
			"names)\n",
			program_invocation_short_name, bench_opts.filter,
			bench_opts.suite ? bench_opts.suite : "all");
	for (int i = 0; i < nsets; i++)
		total += sets[i].n;
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
	bench_run_t0 = bench_now_ns();
	con->begin(co);
	if (rows)
		con->begin(rows);
	if (file_out)
		file_out->begin(fo);
	for (int si = 0; si < nsets; si++) {
		struct set *set = &sets[si];
		struct bench_result *res[MAX_SET] = {0};
		int nres[MAX_SET] = {0};

		if (bench_opts.progress)
			progress(done, total, set->m[0]->name, t_start);
		if (bench_run_set(set->m, set->n, res, nres, &block))
			rc = 1;
		if (bench_opts.progress)
			fputs("\r\033[K", stderr);
		for (int k = 0; k < set->n; k++) {
			emit(con, co, rows, file_out, fo, res[k], nres[k]);
			for (int r = 0; r < nres[k]; r++)
				bench_result_free(&res[k][r]);
			free(res[k]);
		}
		fflush(co);
		done += set->n;
	}
	free(sets);
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

/* Append word to a comma list once. */
static void add_word(char *list, size_t len, const char *word)
{
	size_t n = strlen(list);

	if (!bench_word_in(list, word))
		snprintf(list + n, len - n, "%s%s", n ? "," : "", word);
}

static void add_words(char *list, size_t len, const char *words)
{
	char w[64];

	for (const char *p = words; p && *p;) {
		size_t k = strcspn(p, ",");

		snprintf(w, sizeof(w), "%.*s", (int)k, p);
		add_word(list, len, w);
		p += k + (p[k] == ',');
	}
}

static void reqs_text(const struct bench_reqs *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (r->root)
		add_word(buf, len, "root");
	if (r->path)
		add_word(buf, len, r->path);
	if (r->writable)
		add_word(buf, len, r->writable);
	if (r->kconfig)
		add_word(buf, len, r->kconfig);
	if (r->min_mem_avail)
		add_word(buf, len, "memory");
	if (r->check)
		add_word(buf, len, "checked at run time");
	if (!buf[0])
		snprintf(buf, len, "none");
}

/*
 * Each benchmark once (first instance of its name in the selection):
 * description, suites, kernel-state axes, requirements, controls.
 */
static void list_benchmarks(const struct bench_instance *in, int n)
{
	for (int i = 0; i < n; i++) {
		const struct bench_def *def = in[i].def;
		char suites[128] = "", axes[64] = "", reqs[256];
		bool first = true;

		if (!selected(&in[i]))
			continue;
		for (int j = 0; j < i && first; j++)
			first = !selected(&in[j]) ||
				strcmp(in[j].family, in[i].family);
		if (!first)
			continue;
		for (int j = i; j < n; j++) {
			if (strcmp(in[j].family, in[i].family))
				continue;
			add_words(suites, sizeof(suites), in[j].suites);
			for (int k = 0; k < in[j].naxes; k++)
				add_word(axes, sizeof(axes),
					 in[j].pname[in[j].axis_param[k]]);
		}
		reqs_text(&def->reqs, reqs, sizeof(reqs));
		printf("%s\n    %s\n    suites: %s; axes: %s; requires: %s",
		       in[i].family, def->desc ? def->desc : "", suites,
		       axes[0] ? axes : "none", reqs);
		if (def->control.axis)
			printf("; control for %s%s%s", def->control.axis,
			       def->control.when ? " when " : "",
			       def->control.when ? def->control.when : "");
		putchar('\n');
	}
}

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

	if (bench_opts.list_kind == LIST_BENCHMARKS) {
		list_benchmarks(instances, ninstances);
		rc = 0;
	} else if (bench_opts.list) {
		for (int i = 0; i < ninstances; i++)
			if (selected(&instances[i]))
				printf("%s\n", instances[i].name);
		rc = 0;
	} else {
		bench_opts.progress = isatty(STDERR_FILENO) && !getenv("CI");
		rc = run_all(instances, ninstances);
	}
	bench_instances_free(instances, ninstances);
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
