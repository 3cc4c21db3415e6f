// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench compare A B | RUN --by=PARAM     print the comparison
 * hvobench report  A [B] [--out=DIR]        text, Markdown, JSON and plots
 *
 * Bad input of any kind is one line on stderr and exit status 2; a
 * regression is not an error (exit 0).
 */
#include "cmd.h"
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
	bool no_color, force_color;
};

static void usage(FILE *f, const char *cmd)
{
	fprintf(f,
		"usage: hvobench %s A B [options]\n"
		"       hvobench %s RUN --by=PARAM[:VALUE_A,VALUE_B] "
		"[options]\n"
		"A, B, RUN: result JSON files or directories of them "
		"(searched\n"
		"recursively; several runs pool their repetitions).\n"
		"  --by=PARAM[:A,B]  compare instances that differ only in "
		"PARAM\n"
		"  --metric=LIST     comma list of metric name regexes\n"
		"  --filter=REGEX    benchmarks to compare\n"
		"  --alpha=X         significance level and 1-CI (default "
		"0.05)\n"
		"  --correction=bh|holm  multiple comparisons (default bh)\n"
		"%s"
		"  --no-color        never colour the text (--color: always)\n"
		"Metrics: real_time cpu_time items_per_second "
		"bytes_per_second,\n"
		"user counters, lat:HIST:p50|p99, EVENT/item|iter (counters),\n"
		"vmstat:KEY/item|iter.  Exit 0 (also with regressions), 2 on "
		"bad\n"
		"input.\n",
		cmd, cmd,
		!strcmp(cmd, "report")
			? "  --out=DIR         output folder (default\n"
			  "                    results/reports/<timestamp>)\n"
			: "  --format=text|markdown|json  output (default "
			  "text)\n");
}

/* 0 ok, 1 help printed, -1 error in err. */
static int parse(int argc, char **argv, bool report, struct args *a, char *err,
		 size_t len)
{
	memset(a, 0, sizeof(*a));
	a->o.alpha = 0.05;
	a->o.corr = RCORR_BH;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *eq = strchr(s, '=');
		const char *v = eq ? eq + 1 : NULL;
		size_t kl = eq ? (size_t)(eq - s) : strlen(s);

#define IS(name) (kl == strlen(name) && !strncmp(s, name, kl))
		if (s[0] != '-' || !strcmp(s, "-")) {
			if (a->npos == 2) {
				snprintf(err, len, "too many arguments: %s", s);
				return -1;
			}
			a->pos[a->npos++] = s;
		} else if (IS("--help") || IS("-h")) {
			usage(stdout, argv[0]);
			return 1;
		} else if (IS("--no-color") && !v) {
			a->no_color = true;
		} else if (IS("--color") && !v) {
			a->force_color = true;
		} else if (!v || !*v) {
			static const char *const valued[] = {
				"--by",	   "--metric",	   "--filter",
				"--alpha", "--correction", "--format",
				"--out",   NULL,
			};
			bool known = false;

			for (int k = 0; valued[k]; k++)
				known |= IS(valued[k]);
			snprintf(err, len, "%s: %s", s,
				 known ? "missing value (--option=VALUE)"
				       : "unknown option");
			return -1;
		} else if (IS("--by")) {
			a->o.by = v;
		} else if (IS("--metric")) {
			a->o.metric = v;
		} else if (IS("--filter")) {
			a->o.filter = v;
		} else if (IS("--alpha")) {
			char *end;

			errno = 0;
			a->o.alpha = strtod(v, &end);
			if (errno || *end || !(a->o.alpha > 0) ||
			    !(a->o.alpha < 0.5)) {
				snprintf(err, len,
					 "--alpha=%s: expected a number in (0, "
					 "0.5)",
					 v);
				return -1;
			}
		} else if (IS("--correction")) {
			if (!strcmp(v, "bh")) {
				a->o.corr = RCORR_BH;
			} else if (!strcmp(v, "holm")) {
				a->o.corr = RCORR_HOLM;
			} else {
				snprintf(err, len,
					 "--correction=%s: expected bh or holm",
					 v);
				return -1;
			}
		} else if (IS("--format") && !report) {
			if (!strcmp(v, "text"))
				a->fmt = RFMT_TEXT;
			else if (!strcmp(v, "markdown") || !strcmp(v, "md"))
				a->fmt = RFMT_MARKDOWN;
			else if (!strcmp(v, "json"))
				a->fmt = RFMT_JSON;
			else {
				snprintf(err, len,
					 "--format=%s: expected text, markdown "
					 "or json",
					 v);
				return -1;
			}
		} else if (IS("--out") && report) {
			a->out = v;
		} else {
			snprintf(err, len, "%.*s: unknown option", (int)kl, s);
			return -1;
		}
#undef IS
	}
	if (a->o.by ? a->npos < 1 : a->npos < 2 - report) {
		snprintf(err, len, "expected %s (see --help)",
			 a->o.by  ? "one result set with --by"
			 : report ? "A [B], or RUN --by=PARAM"
				  : "two result sets A B, or RUN --by=PARAM");
		return -1;
	}
	if (a->o.by && a->npos > 1) {
		snprintf(err, len,
			 "--by compares within one result set; got two");
		return -1;
	}
	if (report && !a->o.by && a->npos == 1) {
		snprintf(err, len,
			 "one result set needs --by=PARAM (or give A and B)");
		return -1;
	}
	return 0;
}

/* The one error line: nothing from the input may break it. */
static void fail_line(const char *cmd, char *err)
{
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "hvobench %s: %s\n", cmd, err[0] ? err : "failed");
}

struct ctx {
	struct args a;
	struct rset sa, sb;
	struct rreport r;
	bool built;
};

static int load(struct ctx *c, char *err, size_t len)
{
	if (rset_load(&c->sa, c->a.pos[0], err, len))
		return -1;
	if (!c->a.o.by && rset_load(&c->sb, c->a.pos[1], err, len))
		return -1;
	if (rreport_build(&c->r, &c->sa, c->a.o.by ? NULL : &c->sb, &c->a.o,
			  err, len))
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
	int rc = 2, p;

	memset(&c, 0, sizeof(c));
	p = parse(argc, argv, false, &c.a, err, sizeof(err));
	if (p > 0)
		return 0;
	if (p < 0 || load(&c, err, sizeof(err)))
		goto out;
	c.r.o.color =
		c.a.force_color ||
		(!c.a.no_color && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	if (c.a.fmt == RFMT_JSON) {
		if (rjson_print(stdout, &c.r)) {
			snprintf(err, sizeof(err), "writing JSON: %s",
				 strerror(errno));
			goto out;
		}
	} else if (c.a.fmt == RFMT_MARKDOWN) {
		rmd_print(stdout, &c.r);
	} else {
		rtext_print(stdout, &c.r);
	}
	if (fflush(stdout)) {
		snprintf(err, sizeof(err), "stdout: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc)
		fail_line(argv[0], err);
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
	p = parse(argc, argv, true, &c.a, err, sizeof(err));
	if (p > 0)
		return 0;
	if (p < 0 || load(&c, err, sizeof(err)))
		goto out;
	if (c.a.out) {
		snprintf(dir, sizeof(dir), "%s", c.a.out);
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
	printf("%s\n", dir);
	rc = 0;
out:
	if (rc)
		fail_line(argv[0], err);
	done(&c);
	return rc;
}

HVO_COMMAND(compare, .summary = "compare two result sets (or --by=PARAM)",
	    .main = compare_main);
HVO_COMMAND(report,
	    .summary = "write a report folder: text, Markdown, "
		       "JSON and plots",
	    .main = report_main);
