/* SPDX-License-Identifier: GPL-2.0 */
/*
 * N-way report: result sets as columns (kernels, hosts, settings), one row
 * per benchmark for one metric (its primary by default), each column after
 * the first compared with the first by the same two-set comparison as
 * `hvobench compare A B` (rreport_build: its test and interval; the run as
 * the unit when a side has several runs).  The multiplicity family is the
 * whole table: every tested cell shown, corrected together.
 */
#ifndef HVOBENCH_RNWAY_H
#define HVOBENCH_RNWAY_H

#include "report.h"

struct rnway {
	const struct rset *const *sets;
	size_t ncols;
	struct rreport *vs; /* vs[j - 1]: column j against column 0 */
	char **bench;	    /* every benchmark of any column, sorted */
	size_t nbench;
	const char *metric; /* NULL: each benchmark's primary metric */
	struct ropts o;
	/* q[i * (ncols - 1) + j - 1]: bench[i] in column j, corrected over
	 * every tested cell of the table; NaN when that cell is untested. */
	double *q;
	size_t ntested, nsig;
};

/* Compare columns 1..n-1 with column 0 on one metric (exact name), or,
 * with metric NULL, on each benchmark's primary metric. */
int rnway_build(struct rnway *w, const struct rset *const *sets, size_t n,
		const char *metric, const struct ropts *o, char *err,
		size_t len);
void rnway_free(struct rnway *w);
/* Text (at most 72 columns for up to 4 sets) or a Markdown table. */
void rnway_print(FILE *f, const struct rnway *w, bool markdown);

#endif
