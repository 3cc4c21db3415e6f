// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench compare A B | RUN --by=PARAM     print the comparison
 * hvobench report  A [B] [--out=DIR]        text, Markdown, JSON and plots
 *
 * Bad input of any kind is one line on stderr and exit status 2; a
 * regression is exit 1 only when --fail-on=regression asks for it.
 */
#include "cmd.h"
#include "opt.h"
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct args {
	struct ropts o;
	enum rformat fmt;
	const char *out;
	const char *pos[2];
	int npos;
	bool no_color, force_color, headline;
	double fail_on; /* --fail-on=regression[:PCT]: PCT/100; NaN: off */
	const char *prog;
};

/* getopt's handlers take no context: the one invocation's options. */
static struct args A;

static int set_alpha(const char *name, const char *v)
{
	char *end;

	errno = 0;
	A.o.alpha = strtod(v, &end);
	if (errno || *end || end == v || !(A.o.alpha > 0) || !(A.o.alpha < 0.5))
		return bench_opt_bad(A.prog,
				     "--%s=%s: expected a number in "
				     "(0, 0.5)",
				     name, v);
	return 0;
}

static int set_correction(const char *name, const char *v)
{
	if (!strcmp(v, "bh"))
		A.o.corr = RCORR_BH;
	else if (!strcmp(v, "holm"))
		A.o.corr = RCORR_HOLM;
	else
		return bench_opt_bad(A.prog, "--%s=%s: expected bh or holm",
				     name, v);
	return 0;
}

static int set_format(const char *name, const char *v)
{
	if (!strcmp(v, "text"))
		A.fmt = RFMT_TEXT;
	else if (!strcmp(v, "markdown") || !strcmp(v, "md"))
		A.fmt = RFMT_MARKDOWN;
	else if (!strcmp(v, "json"))
		A.fmt = RFMT_JSON;
	else
		return bench_opt_bad(A.prog,
				     "--%s=%s: expected text, markdown "
				     "or json",
				     name, v);
	return 0;
}

/* regression, or regression:PCT (a percent, "5" or "5%"). */
static int set_fail_on(const char *name, const char *v)
{
	const char *t = v + strlen("regression");
	char *end;

	if (strncmp(v, "regression", strlen("regression")) || (*t && *t != ':'))
		goto bad;
	A.fail_on = 0;
	if (!*t)
		return 0;
	errno = 0;
	A.fail_on = strtod(t + 1, &end) / 100;
	if (*end == '%')
		end++;
	if (errno || end == t + 1 || *end || !(A.fail_on >= 0) ||
	    !isfinite(A.fail_on))
		goto bad;
	return 0;
bad:
	return bench_opt_bad(A.prog,
			     "--%s=%s: expected regression or "
			     "regression:PERCENT",
			     name, v);
}

static const struct bench_opt common_opts[] = {
	{"by", "PARAM[:A,B]", "compare instances that differ only in PARAM",
	 .str = &A.o.by},
	{"metric", "LIST",
	 "comma list of metric name regexes to show\n"
	 "(the verdicts do not depend on it)",
	 .str = &A.o.metric},
	{"filter", "REGEX", "benchmarks to compare", .str = &A.o.filter},
	{"alpha", "X", "significance level and 1-CI (default 0.05)",
	 .set = set_alpha},
	{"correction", "bh|holm", "multiple comparisons (default bh)",
	 .set = set_correction},
	{"fail-on", "regression[:PCT]",
	 "exit 1 when a primary metric got significantly\n"
	 "worse by more than PCT percent (default 0)",
	 .set = set_fail_on},
	{"no-color", NULL, "never colour the text", .flag = &A.no_color},
	{"color", NULL, "always colour the text", .flag = &A.force_color},
	{0},
};

static const struct bench_opt compare_opts[] = {
	{"format", "text|markdown|json", "output (default text)",
	 .set = set_format},
	{0},
};

static const struct bench_opt report_opts[] = {
	{"out", "DIR", "output folder (default results/reports/<timestamp>)",
	 .str = &A.out},
	{"headline", NULL,
	 "print the first screen of the report (finding,\n"
	 "controls) and the report's path, not only the path",
	 .flag = &A.headline},
	{0},
};

#define USAGE_TEXT                                                             \
	"A B [options] | RUN --by=PARAM[:A,B] [options]\n"                     \
	"A, B, RUN: result JSON files or directories of them (searched\n"      \
	"recursively).  Exit 0, 1 with --fail-on and a regression (or when\n"  \
	"writing the report fails), 2 on bad input."
static const char usage_text[] = USAGE_TEXT;
/* compare also takes its sets from the run store (bench/store). */
static const char compare_usage_text[] =
	USAGE_TEXT "\nSets from the run store instead: --kernel=A --kernel=B "
		   "[--kernel=C...],\nor --host, or --run=ID[,ID...] repeated "
		   "(hvobench compare --help --kernel=X).";

/* 0 ok, 1 help printed, 2 bad input (message printed). */
static int parse(int argc, char **argv, bool report)
{
	const struct bench_opt *tables[] = {
		common_opts, report ? report_opts : compare_opts, NULL};
	int first, rc;

	memset(&A, 0, sizeof(A));
	A.prog = report ? "hvobench report" : "hvobench compare";
	A.o.alpha = 0.05;
	A.o.corr = RCORR_BH;
	A.fail_on = NAN;
	rc = bench_opt_parse(A.prog, argc, argv, tables,
			     report ? usage_text : compare_usage_text, &first);
	if (rc)
		return rc;
	for (int i = first; i < argc; i++) {
		if (A.npos == 2)
			return bench_opt_bad(A.prog, "too many arguments: %s",
					     argv[i]);
		A.pos[A.npos++] = argv[i];
	}
	if (A.o.by ? A.npos < 1 : A.npos < 2 - report)
		return bench_opt_bad(
			A.prog, "expected %s (see --help)",
			A.o.by	 ? "one result set with --by"
			: report ? "A [B], or RUN --by=PARAM"
				 : "two result sets A B, or RUN --by=PARAM");
	if (A.o.by && A.npos > 1)
		return bench_opt_bad(A.prog, "--by compares within one result "
					     "set; got two");
	if (report && !A.o.by && A.npos == 1)
		return bench_opt_bad(A.prog, "one result set needs --by=PARAM "
					     "(or give A and B)");
	return 0;
}

/*
 * --fail-on: a primary metric significantly worse by more than the
 * threshold (in its own direction: slower, or fewer items per second).
 */
static bool regressed(const struct rreport *r, double thr)
{
	for (size_t i = 0; i < r->nc; i++) {
		const struct rcmp *c = &r->c[i];
		double worse =
			c->ma->dir == RDIR_HIGHER ? -c->change : c->change;

		if (c->primary && c->verdict == 1 && worse > thr)
			return true;
	}
	return false;
}

/* The one error line: nothing from the input may break it. */
static void fail_line(const char *cmd, char *err)
{
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "%s: %s\n", cmd, err[0] ? err : "failed");
}

struct ctx {
	struct rset sa, sb;
	struct rreport r;
	bool built;
};

static int load(struct ctx *c, char *err, size_t len)
{
	if (rset_load(&c->sa, A.pos[0], err, len))
		return -1;
	if (!A.o.by && rset_load(&c->sb, A.pos[1], err, len))
		return -1;
	if (rreport_build(&c->r, &c->sa, A.o.by ? NULL : &c->sb, &A.o, err,
			  len))
		return -1;
	c->built = true;
	return 0;
}

static void done(struct ctx *c)
{
	if (c->built)
		rreport_free(&c->r);
	rset_free(&c->sa);
	rset_free(&c->sb);
}

static int compare_main(int argc, char **argv)
{
	char err[RERR_LEN] = "";
	struct ctx c;
	int rc = hvo_cmd_select(argc, argv), p;

	/* --kernel/--host/--run: sets from the run store (bench/store). */
	if (rc >= 0)
		return rc;
	rc = 2;

	memset(&c, 0, sizeof(c));
	p = parse(argc, argv, false);
	if (p)
		return p == 1 ? 0 : 2;
	if (load(&c, err, sizeof(err)))
		goto out;
	c.r.o.color = A.force_color || (!A.no_color && isatty(STDOUT_FILENO) &&
					!getenv("NO_COLOR"));
	if (A.fmt == RFMT_JSON) {
		if (rjson_print(stdout, &c.r)) {
			snprintf(err, sizeof(err), "writing JSON: %s",
				 strerror(errno));
			goto out;
		}
	} else if (A.fmt == RFMT_MARKDOWN) {
		rmd_print(stdout, &c.r);
	} else {
		rtext_print(stdout, &c.r);
	}
	if (fflush(stdout)) {
		snprintf(err, sizeof(err), "stdout: %s", strerror(errno));
		goto out;
	}
	rc = !isnan(A.fail_on) && regressed(&c.r, A.fail_on);
	if (rc)
		fprintf(stderr,
			"%s: a primary metric got significantly worse by "
			"more than %g%% (--fail-on)\n",
			A.prog, A.fail_on * 100);
	done(&c);
	return rc;
out:
	fail_line(A.prog, err);
	done(&c);
	return rc;
}

static int mkdir_p(const char *path, char *err, size_t len)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		goto fail;
	return 0;
fail:
	snprintf(err, len, "mkdir %s: %s", buf, strerror(errno));
	return -1;
}

typedef void (*printer)(FILE *f, const struct rreport *r);

static void json_printer(FILE *f, const struct rreport *r)
{
	rjson_print(f, r);
}

static int write_one(const char *dir, const char *name, printer fn,
		     const struct rreport *r, char *err, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = n > 0 && (size_t)n < sizeof(path) ? fopen(path, "w") : NULL;
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	fn(f, r);
	if (ferror(f) | fclose(f)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int report_main(int argc, char **argv)
{
	char err[RERR_LEN] = "", dir[PATH_MAX];
	struct ctx c;
	int rc = 2, p;

	memset(&c, 0, sizeof(c));
	p = parse(argc, argv, true);
	if (p)
		return p == 1 ? 0 : 2;
	if (load(&c, err, sizeof(err)))
		goto out;
	if (A.out) {
		snprintf(dir, sizeof(dir), "%s", A.out);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		char ts[32];

		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
		snprintf(dir, sizeof(dir), "results/reports/%s", ts);
	}
	/* Files are written, so failures from here are not bad input. */
	rc = 1;
	if (mkdir_p(dir, err, sizeof(err)))
		goto out;
	/* Plots first: the reports list them. */
	p = rplot_write(&c.r, dir, err, sizeof(err));
	if (p < 0)
		goto out;
	if (p > 0)
		fprintf(stderr, "hvobench report: warning: %s\n", err);
	if (write_one(dir, "report.txt", rtext_print, &c.r, err, sizeof(err)) ||
	    write_one(dir, "report.md", rmd_print, &c.r, err, sizeof(err)) ||
	    write_one(dir, "report.json", json_printer, &c.r, err, sizeof(err)))
		goto out;
	if (A.headline) {
		rtext_headline(stdout, &c.r);
		printf("Full report (text, Markdown, JSON, %zu plots):\n",
		       c.r.nplots);
		printf("  %s/report.txt\n", dir);
	} else {
		printf("%s\n", dir);
	}
	rc = !isnan(A.fail_on) && regressed(&c.r, A.fail_on);
	if (rc)
		fprintf(stderr,
			"%s: a primary metric got significantly worse by "
			"more than %g%% (--fail-on)\n",
			A.prog, A.fail_on * 100);
	done(&c);
	return rc;
out:
	fail_line(A.prog, err);
	done(&c);
	return rc;
}

HVO_COMMAND(compare, .summary = "compare two result sets (or --by=PARAM)",
	    .main = compare_main);
HVO_COMMAND(report,
	    .summary = "write a report folder: text, Markdown, "
		       "JSON and plots",
	    .main = report_main);
