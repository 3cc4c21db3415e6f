// SPDX-License-Identifier: GPL-2.0
/*
 * The harness end to end: each case runs bench_main() in a child on
 * benchmarks registered here and checks the JSON it wrote (schema,
 * calibration, repetitions, aggregates, skips, threads, histograms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bench_child.h"

static int setups, teardowns;

static void bm_manual(struct bench_state *st)
{
	struct bench_hist *h = bench_hist(st, "op");
	int64_t n = 0;

	while (bench_loop(st)) {
		bench_set_iteration_time(st, 0.001);
		bench_hist_record(h, 1000000);
		n++;
	}
	bench_set_items(st, n * 4);
	bench_counter(st, "per_iter", (double)n * 3, BENCH_CTR_AVG_ITER);
}
BENCH_REGISTER(t_manual, .name = "t/manual", .fn = bm_manual,
	       .manual_time = true);

static void bm_fixed(struct bench_state *st)
{
	while (bench_loop(st))
		;
}
BENCH_REGISTER(t_fixed, .name = "t/fixed", .fn = bm_fixed, .iterations = 7,
	       .params = {{"a", "1,2"}, {"b", "off,on"}});

static void su(struct bench_state *st)
{
	setups++;
	if (bench_arg(st, "skip") == 1)
		bench_skip(st, "setup says no");
}

static void td(struct bench_state *st)
{
	(void)st;
	teardowns++;
	if (teardowns != setups)
		abort();
}
BENCH_REGISTER(t_setup, .name = "t/setup", .fn = bm_fixed, .iterations = 3,
	       .setup = su, .teardown = td, .params = {{"skip", "0,1"}});

static void bm_paused(struct bench_state *st)
{
	struct timespec ts = {0, 2000000};

	while (bench_loop(st)) {
		bench_pause(st);
		nanosleep(&ts, NULL);
		bench_resume(st);
	}
}
BENCH_REGISTER(t_paused, .name = "t/paused", .fn = bm_paused, .iterations = 20);

static void bm_threads(struct bench_state *st)
{
	while (bench_loop(st))
		;
	bench_set_items(st, (int64_t)bench_iterations(st));
}
BENCH_REGISTER(t_threads, .name = "t/threads", .fn = bm_threads,
	       .iterations = 1000, .params = {{"threads", "2"}});

/* Worker 1 fails before its loop: the others must not hang at the gate. */
static void bm_thread_fail(struct bench_state *st)
{
	if (bench_thread_index(st) == 1) {
		bench_error(st, "worker 1 gives up");
		return;
	}
	while (bench_loop(st))
		;
}
BENCH_REGISTER(t_thread_fail, .name = "t/thread_fail", .fn = bm_thread_fail,
	       .iterations = 10, .params = {{"threads", "3"}});

BENCH_REGISTER(t_req, .name = "t/req", .fn = bm_fixed,
	       .reqs = {.path = "/nonexistent/hvobench"});

static json_t *run(const char *const *args)
{
	return run_status(args, 0);
}

static json_t *row(json_t *root, const char *name)
{
	json_t *rows = json_object_get(root, "benchmarks"), *r;
	size_t i;

	json_array_foreach (rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "name")),
			    name))
			return r;
	fail_msg("no row %s", name);
	return NULL;
}

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	assert_non_null(v);
	assert_true(json_is_number(v));
	return json_number_value(v);
}

static void test_schema(void **unused)
{
	json_t *root = run((const char *const[]){"--filter=^t/fixed",
						 "--context=who=test", NULL});
	json_t *ctx = json_object_get(root, "context");
	const char *ctx_keys[] = {
		"date",	    "host_name",   "executable",
		"num_cpus", "mhz_per_cpu", "cpu_scaling_enabled",
		"caches",   "load_avg",	   "library_build_type",
		"hvobench"};
	const char *row_keys[] = {
		"name",	       "run_name",	   "run_type",
		"repetitions", "repetition_index", "threads",
		"iterations",  "real_time",	   "cpu_time",
		"time_unit",   "family_index",	   "per_family_instance_index"};

	(void)unused;
	for (size_t i = 0; i < sizeof(ctx_keys) / sizeof(*ctx_keys); i++)
		assert_non_null(json_object_get(ctx, ctx_keys[i]));
	json_t *h = json_object_get(ctx, "hvobench");

	assert_true(num(h, "timer_overhead_ns") > 0);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(h, "user"), "who")),
			    "test");
	json_t *rows = json_object_get(root, "benchmarks");

	/* 2 x 2 instances; the last parameter varies fastest. */
	assert_int_equal(json_array_size(rows), 4);
	const char *order[] = {"t/fixed/a:1/b:off", "t/fixed/a:1/b:on",
			       "t/fixed/a:2/b:off", "t/fixed/a:2/b:on"};
	for (size_t i = 0; i < 4; i++) {
		json_t *r = json_array_get(rows, i);

		for (size_t k = 0; k < sizeof(row_keys) / sizeof(*row_keys);
		     k++)
			assert_non_null(json_object_get(r, row_keys[k]));
		assert_string_equal(
			json_string_value(json_object_get(r, "name")),
			order[i]);
		assert_int_equal(num(r, "iterations"), 7);
		assert_string_equal(
			json_string_value(json_object_get(
				json_object_get(json_object_get(r, "hvobench"),
						"params"),
				"b")),
			i % 2 ? "on" : "off");
	}
	json_decref(root);
}

static void test_calibration_manual(void **unused)
{
	json_t *root = run((const char *const[]){"--filter=^t/manual",
						 "--min-time=0.05", NULL});
	json_t *r = row(root, "t/manual");
	double it = num(r, "iterations");

	(void)unused;
	/* Grown until 1 ms a step reaches 50 ms, without overshooting 10x. */
	assert_true(it >= 50 && it <= 700);
	assert_float_equal(num(r, "real_time"), 1e6, 1e-3);
	assert_float_equal(num(r, "items_per_second"), 4000, 1e-6);
	assert_float_equal(num(r, "per_iter"), 3, 1e-9);
	json_t *hist = json_object_get(
		json_object_get(json_object_get(r, "hvobench"), "hist"), "op");

	assert_int_equal(num(hist, "count"), it);
	assert_int_equal(num(hist, "p50"), 1000000);
	json_decref(root);
}

static void test_repetitions(void **unused)
{
	json_t *root = run((const char *const[]){"--filter=^t/manual",
						 "--min-time=0.01",
						 "--repetitions=3", NULL});
	json_t *rows = json_object_get(root, "benchmarks");
	const char *agg[] = {"mean", "median", "stddev", "cv", "min", "max"};

	(void)unused;
	assert_int_equal(json_array_size(rows), 3 + 6);
	for (int i = 0; i < 3; i++) {
		json_t *r = json_array_get(rows, (size_t)i);

		assert_int_equal(num(r, "repetition_index"), i);
		assert_string_equal(
			json_string_value(json_object_get(r, "run_type")),
			"iteration");
	}
	for (int i = 0; i < 6; i++) {
		json_t *r = json_array_get(rows, (size_t)(3 + i));
		char name[64];

		snprintf(name, sizeof(name), "t/manual_%s", agg[i]);
		assert_string_equal(
			json_string_value(json_object_get(r, "name")), name);
		assert_string_equal(
			json_string_value(json_object_get(r, "aggregate_name")),
			agg[i]);
		assert_string_equal(
			json_string_value(json_object_get(r, "run_type")),
			"aggregate");
	}
	assert_float_equal(num(json_array_get(rows, 3), "real_time"), 1e6,
			   1e-3);
	assert_float_equal(num(json_array_get(rows, 5), "real_time"), 0, 1e-3);
	json_decref(root);
}

static void test_skips_and_setup(void **unused)
{
	json_t *root =
		run((const char *const[]){"--filter=^t/(setup|req)", NULL});
	json_t *sk = json_object_get(root, "hvobench_skipped");
	json_t *rows = json_object_get(root, "benchmarks");
	int seen = 0;
	size_t i;
	json_t *s;

	(void)unused;
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(json_array_size(sk), 2);
	json_array_foreach (sk, i, s) {
		const char *n = json_string_value(json_object_get(s, "name"));
		const char *why =
			json_string_value(json_object_get(s, "reason"));

		if (!strcmp(n, "t/setup/skip:1"))
			seen |= 1, assert_string_equal(why, "setup says no");
		if (!strcmp(n, "t/req"))
			seen |= 2, assert_non_null(strstr(why, "/nonexistent"));
	}
	assert_int_equal(seen, 3);
	json_decref(root);
}

static void test_pause_and_threads(void **unused)
{
	json_t *root = run(
		(const char *const[]){"--filter=^t/(paused|threads)", NULL});
	json_t *p = row(root, "t/paused");
	json_t *t = row(root, "t/threads/threads:2");

	(void)unused;
	/* 2 ms sleeps were paused: what is left is the loop's overhead. */
	assert_true(num(p, "real_time") < 500000);
	assert_int_equal(num(t, "threads"), 2);
	assert_int_equal(num(t, "iterations"), 2000);
	assert_true(num(t, "items_per_second") > 0);
	json_decref(root);
}

static void test_thread_error_no_hang(void **unused)
{
	/* alarm: a hang fails the test instead of blocking ctest. */
	alarm(20);
	json_t *root = run_status(
		(const char *const[]){"--filter=^t/thread_fail", NULL}, 1);
	json_t *sk =
		json_array_get(json_object_get(root, "hvobench_skipped"), 0);

	(void)unused;
	alarm(0);
	assert_non_null(sk);
	assert_true(json_is_true(json_object_get(sk, "error")));
	assert_string_equal(json_string_value(json_object_get(sk, "reason")),
			    "worker 1 gives up");
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema),
		cmocka_unit_test(test_calibration_manual),
		cmocka_unit_test(test_repetitions),
		cmocka_unit_test(test_skips_and_setup),
		cmocka_unit_test(test_pause_and_threads),
		cmocka_unit_test(test_thread_error_no_hang),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
