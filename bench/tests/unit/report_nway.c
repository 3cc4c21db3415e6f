// SPDX-License-Identifier: GPL-2.0
/*
 * The N-way report corrects every tested cell of its table as one family.
 * Three sets of three runs (A, B, C), three benchmarks: in column B,
 * X's change has p = 0.0145 (significant after Holm within that column:
 * 3 x p = 0.044) but not over the table's six tested cells (5 x p =
 * 0.073, after C's Z at p = 0.000125).  Reference p and q values from
 * python3-scipy 1.10 (ttest_ind(equal_var=False) on the log run medians;
 * Holm and Benjamini-Hochberg written out by hand over all six p).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rnway.h"

#define NB   3
#define NRUN 3

static const char *const bench[NB] = {"X", "Y", "Z"};
/* Each set's run r: one row per benchmark, real_time[set][bench][r]. */
static const double real_time[3][NB][NRUN] = {
	{{100, 102, 104}, {100, 102, 104}, {100, 102, 104}},
	{{108, 111, 114}, {101, 104, 103}, {99, 103, 105}},
	{{99, 103, 105}, {101, 104, 103}, {200, 201, 202}},
};
/* Welch p of each benchmark against A: [column - 1][bench]. */
static const double p_ref[2][NB] = {
	{0.014547479173725114, 0.6698414296548774, 0.8895629573288808},
	{0.8895629573288808, 0.6698414296548774, 0.00012489444336018354},
};
/* The same p corrected over all six cells. */
static const double holm_ref[2][NB] = {
	{0.07273739586862557, 1, 1},
	{1, 1, 0.0007493666601611012},
};
static const double bh_ref[2][NB] = {
	{0.043642437521175345, 0.8895629573288808, 0.8895629573288808},
	{0.8895629573288808, 0.8895629573288808, 0.0007493666601611012},
};

static struct rset sets[3];
static const struct rset *cols[3];

static int load_sets(void **unused)
{
	char doc[1024], name[32], err[RERR_LEN];

	(void)unused;
	for (int s = 0; s < 3; s++) {
		for (int r = 0; r < NRUN; r++) {
			int k = snprintf(doc, sizeof(doc),
					 "{\"context\": {}, \"benchmarks\": [");

			for (int b = 0; b < NB; b++)
				k += snprintf(doc + k, sizeof(doc) - (size_t)k,
					      "%s{\"name\": \"%s\", "
					      "\"run_type\": \"iteration\", "
					      "\"iterations\": 1, "
					      "\"real_time\": %g, "
					      "\"cpu_time\": 1, "
					      "\"time_unit\": \"ns\"}",
					      b ? ", " : "", bench[b],
					      real_time[s][b][r]);
			snprintf(doc + k, sizeof(doc) - (size_t)k, "]}");
			snprintf(name, sizeof(name), "%c", 'A' + s);
			if (rset_load_buf(&sets[s], doc, strlen(doc), name, err,
					  sizeof(err))) {
				print_error("%s\n", err);
				return -1;
			}
		}
		cols[s] = &sets[s];
	}
	return 0;
}

static int free_sets(void **unused)
{
	(void)unused;
	for (int s = 0; s < 3; s++)
		rset_free(&sets[s]);
	return 0;
}

static const struct rcmp *cell(const struct rnway *w, size_t j, size_t b)
{
	const struct rreport *r = &w->vs[j - 1];

	for (size_t i = 0; i < r->nc; i++)
		if (!strcmp(r->c[i].bench, bench[b]) &&
		    !strcmp(r->c[i].ma->name, "real_time"))
			return &r->c[i];
	fail_msg("no cell %s in column %zu", bench[b], j);
	return NULL;
}

/* w's q of every cell is the reference, corrected over the table. */
static void check_q(const struct rnway *w, const double ref[2][NB])
{
	assert_int_equal(w->nbench, NB);
	assert_int_equal(w->ntested, 2 * NB);
	for (size_t j = 1; j < 3; j++)
		for (size_t b = 0; b < NB; b++) {
			const struct rcmp *c = cell(w, j, b);

			assert_int_equal(c->test, RT_RUNS);
			assert_float_equal(c->p, p_ref[j - 1][b], 1e-9);
			assert_float_equal(w->q[b * 2 + j - 1], ref[j - 1][b],
					   1e-9);
		}
}

/* rnway_print's output, NUL-terminated (the caller frees it). */
static char *print(const struct rnway *w, bool markdown)
{
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	rnway_print(f, w, markdown);
	n = ftell(f);
	assert_true(n > 0);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Whether the text table's medians line of benchmark b has a mark. */
static bool marked(const char *txt, size_t b)
{
	char head[8];
	const char *row, *end;

	snprintf(head, sizeof(head), "\n%s\n", bench[b]);
	row = strstr(txt, head);
	assert_non_null(row);
	row += strlen(head);
	end = strchr(row, '\n');
	assert_non_null(end);
	return memchr(row, '*', (size_t)(end - row)) != NULL;
}

static void test_holm_over_table(void **unused)
{
	struct ropts o = {.alpha = 0.05, .corr = RCORR_HOLM};
	struct rnway w;
	char err[RERR_LEN], *txt;

	(void)unused;
	assert_int_equal(rnway_build(&w, cols, 3, NULL, &o, err, sizeof(err)),
			 0);
	check_q(&w, holm_ref);
	/* Within column B alone, X would be marked: the fixture bites. */
	assert_true(cell(&w, 1, 0)->sig);
	assert_int_equal(w.nsig, 1);

	txt = print(&w, false);
	assert_false(marked(txt, 0));
	assert_false(marked(txt, 1));
	assert_true(marked(txt, 2));
	assert_non_null(
		strstr(txt, "Corrected as one family (Holm): the 6 tested"));
	assert_non_null(strstr(txt, "1 significant at 0.05"));
	free(txt);

	txt = print(&w, true);
	assert_non_null(strstr(txt, "| `X` | 102ns | 111ns | +8.8% |"));
	assert_non_null(strstr(txt, "Holm correction over the whole table"));
	assert_non_null(strstr(txt, "Corrected as one family (Holm): the 6 "
				    "tested cells of this table's 6"));
	free(txt);
	rnway_free(&w);
}

static void test_bh_over_table(void **unused)
{
	struct ropts o = {.alpha = 0.05, .corr = RCORR_BH};
	struct rnway w;
	char err[RERR_LEN];

	(void)unused;
	assert_int_equal(rnway_build(&w, cols, 3, NULL, &o, err, sizeof(err)),
			 0);
	check_q(&w, bh_ref);
	assert_int_equal(w.nsig, 2);
	rnway_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holm_over_table),
		cmocka_unit_test(test_bh_over_table),
	};

	return cmocka_run_group_tests(tests, load_sets, free_sets);
}
