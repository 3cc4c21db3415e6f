/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options as data: one table per subcommand (and per
 * extension) is the single source of truth for the parser (glibc
 * getopt_long: --opt=VALUE, --opt VALUE, unique prefixes) and for --help.
 *
 * Adding an option is one line in the table that owns it, e.g.
 *	{"shuffle", "SEED", "run instances in a seeded random order",
 *	 .set = set_shuffle},
 * or, for a plain value, a pointer instead of a handler:
 *	{"rounds", "N", "rounds of A B B A", .inum = &rounds, .lo = 1,
 *	 .hi = 1000},
 * The man page (doc/hvobench.1) lists it too: bench/tests/integration/
 * cli_help.sh fails until it does.
 */
#ifndef HVOBENCH_OPT_H
#define HVOBENCH_OPT_H

#include <stdbool.h>
#include <stdio.h>

struct bench_opt {
	const char *name; /* long name without "--" */
	const char *arg;  /* the value's name in help ("N"); NULL: a flag */
	const char *help; /* '\n' continues the text on the next line */
	/* Exactly one way to take the value: */
	int (*set)(const char *name, const char *value); /* 0, or 2 + msg */
	const char **str; /* keep the value (non-empty) */
	bool *flag;	  /* set to true (a flag) */
	double *num;	  /* a number in [lo, hi] */
	int *inum;	  /* an integer in [lo, hi] */
	double lo, hi;
	/* The value may be left out (--opt or --opt=ARG); set gets "". */
	bool optional;
};

/*
 * Parse argv[1..] against tables (NULL-ended list of tables, each ended
 * by an entry with name NULL).  -h/--help prints the help and returns 1.
 * Bad input prints one line "PROG: ..." and returns 2.  Otherwise 0, with
 * argv permuted so that positional arguments are argv[*first..argc-1].
 * prog names the command in messages and help ("hvobench run").
 */
int bench_opt_parse(const char *prog, int argc, char **argv,
		    const struct bench_opt *const *tables, const char *usage,
		    int *first);
/* "usage: PROG USAGE", then every option with its help. */
void bench_opt_help(FILE *f, const char *prog,
		    const struct bench_opt *const *tables, const char *usage);
/* One line "PROG: ..." on stderr; returns 2 (bad input). */
int bench_opt_bad(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
