// SPDX-License-Identifier: GPL-2.0
/*
 * Reals in result JSON: shortest exact (23.9485, never
 * 23.948499999999999), read back bit for bit, and still reals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"

static void test_examples(void **s)
{
	char b[40];

	(void)s;
	json_shortest_real(b, sizeof(b), 23.9485);
	assert_string_equal(b, "23.9485");
	json_shortest_real(b, sizeof(b), 1234567.0);
	assert_string_equal(b, "1234567.0");
	json_shortest_real(b, sizeof(b), 0.1 + 0.2);
	assert_string_equal(b, "0.30000000000000004");
	json_shortest_real(b, sizeof(b), -2.5e-300);
	assert_string_equal(b, "-2.5e-300");
}

/* Random doubles through a whole document and back: every bit kept. */
static void test_round_trip(void **s)
{
	json_t *a = json_array(), *back;
	int lossy15 = 0;
	char *text;
	size_t len;
	FILE *f;

	(void)s;
	srand(16);
	for (int i = 0; i < 5000; i++) {
		double v = ldexp((double)rand() / RAND_MAX + 1.0,
				 rand() % 200 - 100) *
			   (i % 2 ? -1 : 1);
		char b[40];

		json_array_append_new(a, json_real(v));
		/* The check can fail: 15 digits lose most of these. */
		snprintf(b, sizeof(b), "%.15g", v);
		lossy15 += strtod(b, NULL) != v;
	}
	assert_true(lossy15 > 1000);
	f = open_memstream(&text, &len);
	assert_int_equal(json_write_shortest(a, f, 2), 0);
	fclose(f);
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_int_equal(json_array_size(back), 5000);
	for (size_t i = 0; i < 5000; i++) {
		json_t *x = json_array_get(back, i);

		assert_true(json_is_real(x));
		assert_true(json_real_value(x) ==
			    json_real_value(json_array_get(a, i)));
	}
	free(text);
	json_decref(a);
	json_decref(back);
}

/* Objects keep their order; strings are escaped as jansson does. */
static void test_layout(void **s)
{
	json_t *o = json_pack("{s:s,s:i,s:[]}", "b\"x", "\n", "a", 3, "e");
	char *text;
	size_t len;
	FILE *f;

	(void)s;
	f = open_memstream(&text, &len);
	assert_int_equal(json_write_shortest(o, f, 2), 0);
	fclose(f);
	assert_string_equal(text, "{\n  \"b\\\"x\": \"\\n\",\n  \"a\": 3,\n"
				  "  \"e\": []\n}");
	free(text);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
