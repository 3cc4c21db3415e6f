// SPDX-License-Identifier: GPL-2.0
/*
 * The report's JSON writer (bench/report/rjw.c) writes the bytes jansson
 * writes with JSON_COMPACT | JSON_REAL_PRECISION(10): reals of every
 * magnitude and form, strings with every control byte and escape, and
 * an object with members of each kind.  scripts/report-negative.sh
 * breaks the writer on purpose and checks that this test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rjw.h"

#define FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY)

/* What jansson writes for v (which this takes), against what w holds. */
static void same(json_t *v, struct rjw *w, const char *what)
{
	char *want = json_dumps(v, FLAGS);

	assert_non_null(want);
	assert_false(w->oom);
	if (strcmp(want, w->buf))
		fail_msg("%s: jansson %s, rjw %s", what, want, w->buf);
	free(want);
	json_decref(v);
	w->len = 0;
}

static void test_reals(void **unused)
{
	static const double fixed[] = {0.0,
				       -0.0,
				       1,
				       -1,
				       100,
				       1e10,
				       1e15,
				       1e16,
				       1e17,
				       1e21,
				       1e22,
				       123456789012.0,
				       1234567890.0,
				       0.1,
				       1e-4,
				       1e-5,
				       1.5e-7,
				       996.60728424242,
				       5e-324,
				       2.2250738585072014e-308,
				       1.7976931348623157e308,
				       -1.7976931348623157e308};
	struct rjw w = {0};
	uint64_t x = 7;
	char what[64];

	(void)unused;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		rjw_real(&w, fixed[i]);
		snprintf(what, sizeof(what), "%.17g", fixed[i]);
		same(json_real(fixed[i]), &w, what);
	}
	rjw_real(&w, NAN);
	same(json_null(), &w, "NaN");
	rjw_real(&w, -INFINITY);
	same(json_null(), &w, "-inf");
	/* Every bit pattern that is finite: every exponent, sign, form. */
	for (int i = 0; i < 200000; i++) {
		double d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&d, &x, sizeof(d));
		if (!isfinite(d))
			continue;
		if (i % 4 == 0)
			d = (double)(int64_t)(x >> (x % 60)); /* integral */
		rjw_real(&w, d);
		snprintf(what, sizeof(what), "%a", d);
		same(json_real(d), &w, what);
	}
	/* The range of measured values: every decade, random digits. */
	for (int i = 0; i < 200000; i++) {
		double d;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d = (double)(x >> 11) / 9007199254740992.0 *
		    pow(10, (int)(x % 50) - 20);
		if (i % 3 == 0) /* an integer ending in 5, 50, 500: ties */
			d = (double)((x >> 20) / 1000 * 1000 + (i % 9 < 3 ? 5
								: i % 9 < 6
									? 50
									: 500));
		if (i % 2)
			d = -d;
		rjw_real(&w, d);
		snprintf(what, sizeof(what), "%.17g", d);
		same(json_real(d), &w, what);
	}
	free(w.buf);
}

static void test_strings(void **unused)
{
	static const char *const fixed[] = {
		"",
		"pool/grow/size:2M/pages:64/hvo:on",
		"quote \" backslash \\ slash /",
		"\b\f\n\r\t",
		"\x1b[31m red \x7f del",
		"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\x9b",
		"\\x1b escaped by rsafe_dup",
	};
	struct rjw w = {0};
	char all[32];

	(void)unused;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		rjw_str(&w, fixed[i]);
		same(json_string(fixed[i]), &w, fixed[i]);
	}
	for (int c = 1; c < 128; c++) {
		snprintf(all, sizeof(all), "a%cb%c", c, c);
		rjw_str(&w, all);
		same(json_string(all), &w, "one byte");
	}
	free(w.buf);
}

static void test_object(void **unused)
{
	struct rjw w = {0};
	json_t *o = json_object(), *inner = json_object();

	(void)unused;
	json_object_set_new(o, "s", json_string("x\"y"));
	json_object_set_new(o, "i", json_integer(-42));
	json_object_set_new(o, "big", json_integer(INT64_MAX));
	json_object_set_new(o, "r", json_real(0.5));
	json_object_set_new(o, "t", json_true());
	json_object_set_new(o, "f", json_false());
	json_object_set_new(o, "n", json_null());
	json_object_set_new(o, "o", inner);
	rjw_open(&w);
	rjw_key(&w, "s");
	rjw_str(&w, "x\"y");
	rjw_key(&w, "i");
	rjw_int(&w, -42);
	rjw_key(&w, "big");
	rjw_int(&w, INT64_MAX);
	rjw_key(&w, "r");
	rjw_real(&w, 0.5);
	rjw_key(&w, "t");
	rjw_bool(&w, true);
	rjw_key(&w, "f");
	rjw_bool(&w, false);
	rjw_key(&w, "n");
	rjw_real(&w, NAN);
	rjw_key(&w, "o");
	rjw_open(&w);
	rjw_close(&w);
	rjw_close(&w);
	same(o, &w, "object");
	free(w.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
