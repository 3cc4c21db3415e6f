// SPDX-License-Identifier: GPL-2.0
/*
 * The runner's ordering and outcome rules, end to end through the JSON:
 * kernel-state axes applied and observed (with a test axis "tax" whose
 * state is a variable), interleaved A B B A blocks with a warm-up, early
 * loop exits as errors, controls, per-suite argument sets and adaptive
 * precision.
 *
 * Negative controls (2026-11-30): with every round in the same order
 * (no reversal) test_interleaved fails at the axes check, and without the
 * early-exit check test_early_exit fails at its first reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bench_child.h"

static char tax_state[16] = "a";
static int body_runs;

static int tax_apply(const char *value, char *why, size_t len)
{
	if (value && !strcmp(value, "bad")) {
		snprintf(why, len, "cannot");
		return 1;
	}
	snprintf(tax_state, sizeof(tax_state), "%s", value ? value : "a");
	return 0;
}

static void tax_observe(char *buf, size_t len)
{
	snprintf(buf, len, "%s", tax_state);
}
BENCH_AXIS_REGISTER(tax, .name = "tax", .apply = tax_apply,
		    .observe = tax_observe);

/* Reports how many runs of any body came before this one. */
static void bm_count(struct bench_state *st)
{
	int before = body_runs++;

	while (bench_loop(st))
		;
	bench_counter(st, "runs_before", before, 0);
	/* The state the body saw, to check the axis held during the run. */
	bench_label(st, "tax=%s", tax_state);
}
BENCH_REGISTER(t_ax, .name = "t/ax", .fn = bm_count, .iterations = 3,
	       .params = {{"n", "1,2"}, {"tax", "a,b"}},
	       .control = {"tax", "n:1"});

static void bm_flip(struct bench_state *st)
{
	while (bench_loop(st))
		;
	snprintf(tax_state, sizeof(tax_state), "z");
}
BENCH_REGISTER(t_flip, .name = "t/flip", .fn = bm_flip, .iterations = 2,
	       .params = {{"tax", "a"}});
BENCH_REGISTER(t_badaxis, .name = "t/badaxis", .fn = bm_count, .iterations = 2,
	       .params = {{"tax", "bad"}});

static void bm_break(struct bench_state *st)
{
	while (bench_loop(st))
		break;
}
BENCH_REGISTER(t_break, .name = "t/break", .fn = bm_break, .iterations = 7);

static void bm_range_break(struct bench_state *st)
{
	bench_range(st)
	{
		break;
	}
}
BENCH_REGISTER(t_rbreak, .name = "t/rbreak", .fn = bm_range_break,
	       .iterations = 7);

static void bm_noloop(struct bench_state *st)
{
	(void)st;
}
BENCH_REGISTER(t_noloop, .name = "t/noloop", .fn = bm_noloop, .iterations = 7);

/* A skip mid-loop is an outcome, not an early exit. */
static void bm_skip_mid(struct bench_state *st)
{
	while (bench_loop(st)) {
		bench_skip(st, "not today");
		return;
	}
}
BENCH_REGISTER(t_skipmid, .name = "t/skipmid", .fn = bm_skip_mid,
	       .iterations = 7);

BENCH_REGISTER(t_suites, .name = "t/suites", .fn = bm_count,
	       .params = {{"n", "9"}, {"m", "1"}},
	       .args = {
		       {.suite = "tq", .params = {{"n", "1"}}, .iterations = 4},
		       {.suite = "tf"},
		       {.suite = "tq",
			.params = {{"n", "1,3"}, {"m", "2"}},
			.iterations = 4}});

/* Manual time: exact, so the CI is zero after the minimum rounds. */
static void bm_exact(struct bench_state *st)
{
	while (bench_loop(st))
		bench_set_iteration_time(st, 0.001);
}
BENCH_REGISTER(t_exact, .name = "t/exact", .fn = bm_exact, .iterations = 2,
	       .manual_time = true, .params = {{"tax", "a,b"}}, .suites = "tp",
	       .args = {{.suite = "tp", .precision = 0.01}});

/* Alternating 1 and 3 ms: never within 1%, so the budget ends it. */
static void bm_noisy(struct bench_state *st)
{
	static int k;

	while (bench_loop(st))
		bench_set_iteration_time(st, k++ % 3 ? 0.001 : 0.003);
}
BENCH_REGISTER(t_noisy, .name = "t/noisy", .fn = bm_noisy, .iterations = 1,
	       .manual_time = true, .params = {{"tax", "a,b"}},
	       .args = {{.suite = "tp", .precision = 0.01, .budget = 0.05}});

static json_t *hv(json_t *row)
{
	return json_object_get(row, "hvobench");
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return v ? json_string_value(v) : NULL;
}

static int num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	assert_non_null(v);
	return (int)json_number_value(v);
}

/* Iteration rows of one set, in block order. */
static size_t set_rows(json_t *root, const char *prefix, json_t **out,
		       size_t max)
{
	json_t *rows = json_object_get(root, "benchmarks"), *r;
	size_t i, n = 0;

	json_array_foreach (rows, i, r)
		if (!strcmp(str(r, "run_type"), "iteration") &&
		    !strncmp(str(r, "name"), prefix, strlen(prefix)) && n < max)
			out[n++] = r;
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (num(hv(out[b]), "block") <
			    num(hv(out[a]), "block")) {
				json_t *t = out[a];

				out[a] = out[b];
				out[b] = t;
			}
	return n;
}

static void test_interleaved(void **unused)
{
	json_t *root =
		run_status((const char *const[]){"--filter=^t/ax/",
						 "--repetitions=4", NULL},
			   0);
	json_t *r[16];
	const char *want = "abbaabba";

	(void)unused;
	for (int n = 1; n <= 2; n++) {
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "t/ax/n:%d/", n);
		assert_int_equal(set_rows(root, prefix, r, 16), 8);
		for (int i = 0; i < 8; i++) {
			json_t *h = hv(r[i]);
			char lbl[16], v[2] = {want[i], 0};

			assert_int_equal(num(h, "round"), i / 2);
			assert_string_equal(
				str(json_object_get(h, "axes"), "tax"), v);
			assert_string_equal(
				str(json_object_get(h, "axes_observed"), "tax"),
				v);
			snprintf(lbl, sizeof(lbl), "tax=%c", want[i]);
			assert_string_equal(str(r[i], "label"), lbl);
			/* Axis params are not in the pairing group. */
			assert_string_equal(str(h, "group"),
					    prefix[7] == '1' ? "t/ax/n:1"
							     : "t/ax/n:2");
			/* Controls: n:1 only. */
			if (n == 1)
				assert_string_equal(str(h, "control_for"),
						    "tax");
			else
				assert_null(json_object_get(h, "control_for"));
		}
		/* One warm-up run per member before the set's first block. */
		assert_int_equal(num(r[0], "runs_before"), n == 1 ? 2 : 12);
	}
	json_decref(root);
}

static json_t *skipped(json_t *root, const char *name)
{
	json_t *s = json_object_get(root, "hvobench_skipped"), *e;
	size_t i;

	json_array_foreach (s, i, e)
		if (!strcmp(str(e, "name"), name))
			return e;
	fail_msg("%s not in hvobench_skipped", name);
	return NULL;
}

static void test_axis_outcomes(void **unused)
{
	json_t *root = run_status(
		(const char *const[]){"--filter=^t/(flip|badaxis)", NULL}, 1);
	json_t *e = skipped(root, "t/flip/tax:a");

	(void)unused;
	assert_true(json_is_true(json_object_get(e, "error")));
	assert_string_equal(str(e, "reason"), "axis tax: asked a, observed z");
	e = skipped(root, "t/badaxis/tax:bad");
	assert_true(json_is_false(json_object_get(e, "error")));
	assert_string_equal(str(e, "reason"), "axis tax:bad: cannot");
	json_decref(root);
}

static void test_early_exit(void **unused)
{
	json_t *root = run_status(
		(const char *const[]){"--filter=^t/(break|rbreak|noloop|"
				      "skipmid)$",
				      NULL},
		1);
	json_t *e;

	(void)unused;
	e = skipped(root, "t/break");
	assert_true(json_is_true(json_object_get(e, "error")));
	assert_string_equal(
		str(e, "reason"),
		"body left its loop early, after 1 of 7 iterations");
	e = skipped(root, "t/rbreak");
	assert_string_equal(str(e, "reason"), "body left bench_range() early");
	e = skipped(root, "t/noloop");
	assert_string_equal(str(e, "reason"),
			    "body returned without running its loop");
	e = skipped(root, "t/skipmid");
	assert_true(json_is_false(json_object_get(e, "error")));
	assert_string_equal(str(e, "reason"), "not today");
	json_decref(root);
}

static void test_suite_args(void **unused)
{
	json_t *root = run_status(
		(const char *const[]){"--filter=^t/suites", "--suite=tq", NULL},
		0);
	json_t *rows = json_object_get(root, "benchmarks");
	const char *want[] = {"t/suites/n:1/m:1", "t/suites/n:1/m:2",
			      "t/suites/n:3/m:2"};

	(void)unused;
	assert_int_equal(json_array_size(rows), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(str(json_array_get(rows, i), "name"),
				    want[i]);
		assert_int_equal(num(json_array_get(rows, i), "iterations"), 4);
	}
	json_decref(root);
	root = run_status(
		(const char *const[]){"--filter=^t/suites", "--suite=tf", NULL},
		0);
	rows = json_object_get(root, "benchmarks");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(str(json_array_get(rows, 0), "name"),
			    "t/suites/n:9/m:1");
	json_decref(root);
}

static void test_precision(void **unused)
{
	json_t *root =
		run_status((const char *const[]){"--filter=^t/(exact|noisy)",
						 "--suite=tp", NULL},
			   0);
	static json_t *r[2100]; /* up to 1000 rounds of 2 */
	size_t n = set_rows(root, "t/exact/", r, 2100);
	json_t *stop = json_object_get(hv(r[0]), "stop");

	(void)unused;
	/* Five rounds at least, then the interval is zero. */
	assert_int_equal(n, 10);
	assert_string_equal(str(stop, "reason"), "precision");
	assert_int_equal(num(stop, "rounds"), 5);
	n = set_rows(root, "t/noisy/", r, 2100);
	stop = json_object_get(hv(r[0]), "stop");
	assert_string_equal(str(stop, "reason"), "budget");
	assert_true(n >= 10);
	assert_int_equal(num(stop, "rounds") * 2, (int)n);
	json_decref(root);
	/* An explicit --repetitions fixes the rounds of adaptive rows. */
	root = run_status((const char *const[]){"--filter=^t/noisy",
						"--suite=tp", "--repetitions=2",
						NULL},
			  0);
	n = set_rows(root, "t/noisy/", r, 2100);
	assert_int_equal(n, 4);
	assert_string_equal(str(json_object_get(hv(r[0]), "stop"), "reason"),
			    "rounds");
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_axis_outcomes),
		cmocka_unit_test(test_early_exit),
		cmocka_unit_test(test_suite_args),
		cmocka_unit_test(test_precision),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
