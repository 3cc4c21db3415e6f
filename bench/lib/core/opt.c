// SPDX-License-Identifier: GPL-2.0
/* Options as data: getopt_long and --help built from the same tables. */
#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 128
#define VAL_BASE 256 /* getopt_long's val for table entry i: above chars */

int bench_opt_bad(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static void help_line(FILE *f, const char *left, const char *help)
{
	int col = fprintf(f, "  %s", left);

	for (const char *p = help; p && *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(f, "%*s%.*s\n", col < 24 ? 24 - col : 1, "", n, p);
		col = 0;
		p += n + (nl != NULL);
	}
	if (col)
		fputc('\n', f);
}

void bench_opt_help(FILE *f, const char *prog,
		    const struct bench_opt *const *tables, const char *usage)
{
	fprintf(f, "usage: %s %s\n\noptions:\n", prog, usage);
	help_line(f, "-h, --help", "this text");
	for (int t = 0; tables[t]; t++)
		for (const struct bench_opt *o = tables[t]; o->name; o++) {
			char left[64];

			snprintf(left, sizeof(left), "--%s%s%s%s", o->name,
				 !o->arg       ? ""
				 : o->optional ? "[="
					       : "=",
				 o->arg ? o->arg : "", o->optional ? "]" : "");
			help_line(f, left, o->help);
		}
}

static int take(const char *prog, const struct bench_opt *o, const char *v)
{
	char *end;
	double d;

	if (o->flag) {
		*o->flag = true;
		return 0;
	}
	if (!*v && !o->optional)
		return bench_opt_bad(prog, "--%s needs a value (--%s=%s)",
				     o->name, o->name, o->arg);
	if (o->set)
		return o->set(o->name, v);
	if (o->str) {
		*o->str = v;
		return 0;
	}
	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end || errno || !(d >= o->lo && d <= o->hi) ||
	    (o->inum && d != floor(d)))
		return bench_opt_bad(
			prog, "--%s: '%s' is not %s in %g..%g", o->name, v,
			o->inum ? "an integer" : "a number", o->lo, o->hi);
	if (o->inum)
		*o->inum = (int)d;
	else
		*o->num = d;
	return 0;
}

int bench_opt_parse(const char *prog, int argc, char **argv,
		    const struct bench_opt *const *tables, const char *usage,
		    int *first)
{
	static struct option lo[MAX_OPTS + 2];
	static const struct bench_opt *by[MAX_OPTS];
	int n = 0, c, rc;

	for (int t = 0; tables[t]; t++)
		for (const struct bench_opt *o = tables[t]; o->name; o++) {
			if (n == MAX_OPTS)
				return bench_opt_bad(prog, "too many options");
			lo[n] = (struct option){o->name,
						!o->arg ? no_argument
						: o->optional
							? optional_argument
							: required_argument,
						NULL, VAL_BASE + n};
			by[n++] = o;
		}
	lo[n] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n + 1] = (struct option){0};
	opterr = 0;
	optind = 0; /* glibc: also resets its state for a new argv */
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		const char *arg = argv[optind - 1];

		if (c == 'h') {
			bench_opt_help(stdout, prog, tables, usage);
			return 1;
		}
		if (c == ':')
			return bench_opt_bad(prog,
					     "option '%s' needs a value "
					     "(--%s=VALUE or --%s VALUE)",
					     arg, by[optopt - VAL_BASE]->name,
					     by[optopt - VAL_BASE]->name);
		if (c == '?' && optopt >= VAL_BASE)
			return bench_opt_bad(prog, "option '%s' takes no value",
					     arg);
		if (c == '?')
			return optopt ? bench_opt_bad(prog,
						      "unknown option '-%c' "
						      "(see --help)",
						      optopt)
				      : bench_opt_bad(
						prog,
						"unknown or ambiguous "
						"option '%s' (see --help)",
						arg);
		rc = take(prog, by[c - VAL_BASE], optarg ? optarg : "");
		if (rc)
			return rc;
	}
	*first = optind;
	return 0;
}
