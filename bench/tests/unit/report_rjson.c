// SPDX-License-Identifier: GPL-2.0
/*
 * The report's row reader (bench/report/rjson.c) against jansson: both
 * accept the same inputs and read the same values (types, every bit of
 * every number, every byte of every string, member order) - on every
 * result file under results/ and the report's fixtures, on hand-made
 * escapes, numbers and structures, on every prefix of real rows
 * (truncated files) and on every one-byte change and deletion of them.
 * scripts/report-negative.sh breaks the reader on purpose and checks that
 * this test fails (recorded in results/reports/scale/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rjson.h"

static bool same(const struct rj *a, const struct rj *b)
{
	if (a->type != b->type || a->n != b->n)
		return false;
	switch (a->type) {
	case RJ_INT:
		return a->u.i == b->u.i;
	case RJ_REAL:
		return !memcmp(&a->u.d, &b->u.d, sizeof(a->u.d));
	case RJ_STR:
		return !memcmp(a->u.s, b->u.s, a->n + 1);
	case RJ_ARR:
		for (size_t i = 0; i < a->n; i++)
			if (!same(&a->u.a[i], &b->u.a[i]))
				return false;
		return true;
	case RJ_OBJ:
		for (size_t i = 0; i < a->n; i++)
			if (a->u.m[i].klen != b->u.m[i].klen ||
			    memcmp(a->u.m[i].key, b->u.m[i].key,
				   a->u.m[i].klen + 1) ||
			    !same(&a->u.m[i].v, &b->u.m[i].v))
				return false;
		return true;
	default:
		return true;
	}
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static struct rj_reader *rd;
static size_t nul_quirk; /* inputs where jansson dropped a NUL byte */

static int agree(const char *buf, size_t len, const char *what);

/*
 * jansson drops one NUL byte that follows a number or true/false/null
 * (its stream takes a NUL for "no byte buffered" after an unget): "[1\0]"
 * is [1] to it.  Ours refuses such input, and the reader then hands the
 * row to jansson, which reads it as before.  True when buf is such a
 * case: without its NUL both accept it and jansson reads the same value.
 */
static bool nul_dropped(const char *buf, size_t len, json_t *j)
{
	const char *z = memchr(buf, '\0', len);
	size_t q = z ? (size_t)(z - buf) : 0;
	json_t *k;
	char *c;
	bool ok;

	if (!z || !q || !strchr("0123456789el", buf[q - 1]))
		return false;
	c = malloc(len);
	assert_non_null(c);
	memcpy(c, buf, q);
	memcpy(c + q, buf + q + 1, len - q - 1);
	k = json_loadb(c, len - 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
		       NULL);
	ok = k && json_equal(j, k) && agree(c, len - 1, "without the NUL");
	json_decref(k);
	free(c);
	nul_quirk += ok;
	return ok;
}

/*
 * jansson's verdict on buf (1 accepts, 0 refuses) after checking that
 * ours is the same and, when both accept, that the values are the same.
 */
static int agree(const char *buf, size_t len, const char *what)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len,
			       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	const struct rj *v, *c;
	size_t p = 0, end = 0;

	rj_reset(rd);
	while (p < len && space(buf[p]))
		p++;
	v = rj_parse(rd, buf + p, len - p, &end);
	for (end += p; v && end < len && space(buf[end]);)
		end++;
	if (v && end != len)
		v = NULL; /* something after the value */
	if (j && !v && nul_dropped(buf, len, j)) {
		json_decref(j);
		return 1;
	}
	if (!j != !v)
		fail_msg("%s: jansson %s (%s), rjson %s", what,
			 j ? "accepts" : "refuses", j ? "-" : je.text,
			 v ? "accepts" : "refuses");
	if (!j)
		return 0;
	c = rj_from_jansson(rd, j);
	json_decref(j);
	assert_non_null(c);
	if (!same(v, c))
		fail_msg("%s: both accept, values differ", what);
	return 1;
}

static int agree_str(const char *s, const char *what)
{
	return agree(s, strlen(s), what);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Every *.json under dir: how many, and how many jansson accepted. */
static void walk(const char *dir, size_t *files, size_t *ok)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name), len = 0;
		char path[4096];
		struct stat st;
		char *buf;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, files, ok);
			continue;
		}
		if (!S_ISREG(st.st_mode) || nl < 6 ||
		    strcmp(de->d_name + nl - 5, ".json"))
			continue;
		buf = slurp(path, &len);
		assert_non_null(buf);
		*ok += (size_t)agree(buf, len, path);
		(*files)++;
		free(buf);
	}
	closedir(d);
}

static const char *src(void)
{
	const char *s = getenv("HVOBENCH_SRC");

	return s ? s : ".";
}

/* Our recorded results and the report's fixtures (some of them bad). */
static void test_corpus(void **unused)
{
	size_t files = 0, ok = 0;
	char dir[4096];

	(void)unused;
	snprintf(dir, sizeof(dir), "%s/results", src());
	walk(dir, &files, &ok);
	print_message("results/: %zu files, %zu valid JSON\n", files, ok);
	/* A corpus that went missing would prove nothing. */
	assert_true(files >= 50 && ok >= 50);
	files = ok = 0;
	snprintf(dir, sizeof(dir), "%s/bench/tests/data/report", src());
	walk(dir, &files, &ok);
	print_message("fixtures: %zu files, %zu valid JSON\n", files, ok);
	assert_true(files >= 10 && ok < files);
}

struct verdict {
	const char *in;
	int ok; /* what jansson says, checked too */
};

static void check(const struct verdict *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (agree_str(v[i].in, v[i].in) != v[i].ok)
			fail_msg("%s: jansson no longer says %s", v[i].in,
				 v[i].ok ? "valid" : "invalid");
}

#define CHECK(t) check(t, sizeof(t) / sizeof((t)[0]))

/* Strings as values and as keys: escapes, \u, UTF-8, control bytes. */
static void test_strings(void **unused)
{
	static const struct verdict t[] = {
		{"\"\"", 1},
		{"\"plain/name:64\"", 1},
		{"\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", 1},
		{"\"\\u0041\\u00e9\\u20AC\\uFFFF\"", 1},
		{"\"\\ud83d\\ude00 pair\"", 1},
		{"\"\\uD83D\\uDE00\"", 1},
		{"\"\\ud83d lone high\"", 0},
		{"\"\\ude00 lone low\"", 0},
		{"\"\\ud83d\\u0041 high then not low\"", 0},
		{"\"\\ud83d\\n\"", 0},
		{"\"\\ud83d\"", 0},
		{"\"\\u0000 NUL\"", 0},
		{"\"\\u001b[31m escaped ESC\"", 1},
		{"\"\\u007f\\u0080\\u009b\"", 1},
		{"\"\\u12\"", 0},
		{"\"\\u00g1\"", 0},
		{"\"\\x41\"", 0},
		{"\"\\a\"", 0},
		{"\"\\\"", 0},
		{"\"\\", 0},
		{"\"unterminated", 0},
		{"\"raw \x01 control\"", 0},
		{"\"raw \x1f control\"", 0},
		{"\"raw \t tab\"", 0},
		{"\"raw \n newline\"", 0},
		{"\"raw \x1b[31m ESC\"", 0},
		{"\"DEL \x7f ok\"", 1},
		{"\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 1},
		{"\"\xc2\x9b C1 CSI\"", 1},
		{"\"\xc0\x80 overlong\"", 0},
		{"\"\xc1\xbf overlong\"", 0},
		{"\"\xe0\x80\x80 overlong\"", 0},
		{"\"\xe0\x9f\xbf overlong\"", 0},
		{"\"\xf0\x80\x80\x80 overlong\"", 0},
		{"\"\xed\xa0\x80 surrogate\"", 0},
		{"\"\xed\x9f\xbf below surrogates\"", 1},
		{"\"\xf4\x8f\xbf\xbf max\"", 1},
		{"\"\xf4\x90\x80\x80 beyond\"", 0},
		{"\"\xf5\x80\x80\x80\"", 0},
		{"\"\xff\"", 0},
		{"\"\x80 stray\"", 0},
		{"\"\xc3\"", 0},
		{"\"\xe2\x82\"", 0},
		{"\"\xe2\x82", 0},
		{"{\"a\\u0000b\": 1}", 0},
		{"{\"\\u001b\": 1}", 1},
		{"{\"\\ud83d\": 1}", 0},
		{"{\"\xc3\xa9\": \"\xc3\xa9\"}", 1},
		{"{\"a\": 1, \"\\u0061\": 2}", 0},
		{"{\"a\\/b\": 1, \"a/b\": 2}", 0},
		{"{\"ab\": 1, \"a\": 2, \"abc\": 3}", 1},
		{"{\"\": 1, \"\": 2}", 0},
		{"'single'", 0},
	};

	(void)unused;
	CHECK(t);
}

/* Numbers in every JSON form, their limits and the non-JSON ones. */
static void test_numbers(void **unused)
{
	static const struct verdict t[] = {
		{"0", 1},
		{"-0", 1},
		{"0.0", 1},
		{"-0.0", 1},
		{"7", 1},
		{"-7", 1},
		{"0.5", 1},
		{"1e5", 1},
		{"1E5", 1},
		{"1e+5", 1},
		{"1e-5", 1},
		{"-1.25E-3", 1},
		{"0e0", 1},
		{"0e400", 1},
		{"1e22", 1},
		{"1e23", 1},
		{"123456789012345e-22", 1},
		{"1234567890123456e-22", 1},
		{"9007199254740993.0", 1},
		{"0.1", 1},
		{"0.30000000000000004", 1},
		{"1043.2345678901234", 1},
		{"1.7976931348623157e308", 1},
		{"1.7976931348623158e308", 1},
		{"1.7976931348623159e308", 0},
		{"1e309", 0},
		{"-1e309", 0},
		{"1e99999999999", 0},
		{"1e-400", 1},
		{"-1e-400", 1},
		{"4.9e-324", 1},
		{"2.2250738585072011e-308", 1},
		{"2.2250738585072014e-308", 1},
		{"1e-99999999999", 1},
		{"9223372036854775807", 1},
		{"-9223372036854775808", 1},
		{"9223372036854775808", 0},
		{"-9223372036854775809", 0},
		{"99999999999999999999", 0},
		{"9223372036854775808.0", 1},
		{"123456789012345678901234567890123456789012345678901234567890"
		 "1234567890.5",
		 1},
		{"0."
		 "000000000000000000000000000000000000000000000000000000000001"
		 "2345678901234567890",
		 1},
		{"01", 0},
		{"-01", 0},
		{"00", 0},
		{"1.", 0},
		{".5", 0},
		{"+1", 0},
		{"-", 0},
		{"1e", 0},
		{"1e+", 0},
		{"1.e5", 0},
		{"0x10", 0},
		{"1_000", 0},
		{"NaN", 0},
		{"-NaN", 0},
		{"Infinity", 0},
		{"-Infinity", 0},
		{"inf", 0},
		{"1.5x", 0},
		{"{\"real_time\": 1.5e3, \"iterations\": 100}", 1},
		{"{\"real_time\": NaN}", 0},
		{"{\"real_time\": 1.5.5}", 0},
		{"[1,-0,0.0,-0.0,1e-7]", 1},
	};
	char buf[64];
	uint64_t x = 88172645463325252ULL;

	(void)unused;
	CHECK(t);
	/* Random decimals: short (the exact fast path) and long (strtod). */
	for (int i = 0; i < 200000; i++) {
		double d;
		int form;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		form = (int)(x % 6);
		d = (double)(x >> 11) / (double)(1ULL << 53);
		d *= (double)(1 + (x >> 40) % 1000);
		if (form == 0)
			snprintf(buf, sizeof(buf), "%.17g", d);
		else if (form == 1)
			snprintf(buf, sizeof(buf), "%.15g", d);
		else if (form == 2)
			snprintf(buf, sizeof(buf), "%.*e", (int)(x >> 50) % 16,
				 d * 1e-30);
		else if (form == 3)
			snprintf(buf, sizeof(buf), "%.*f", (int)(x >> 50) % 20,
				 d);
		else if (form == 4)
			snprintf(buf, sizeof(buf), "-%llu.%llue%d",
				 (unsigned long long)(x % 100000000000ULL),
				 (unsigned long long)(x >> 44),
				 (int)(x >> 58) % 30 - 15);
		else
			snprintf(buf, sizeof(buf), "%.3g", d);
		if (!strchr(buf, '.') && !strchr(buf, 'e'))
			strcat(buf, ".0");
		if (!agree_str(buf, buf))
			fail_msg("%s: not a JSON number?", buf);
	}
}

/* Containers, literals, white space, duplicates, depth. */
static void test_structure(void **unused)
{
	static const struct verdict t[] = {
		{"{}", 1},
		{"[]", 1},
		{" \t\r\n{ \t\r\n} \t\r\n", 1},
		{"{\"a\":[1,{\"b\":null},[true,false]]}", 1},
		{"true", 1},
		{"false", 1},
		{"null", 1},
		{"tru", 0},
		{"truex", 0},
		{"nul", 0},
		{"True", 0},
		{"", 0},
		{" ", 0},
		{"{", 0},
		{"}", 0},
		{"[", 0},
		{"{\"a\":1,}", 0},
		{"[1,]", 0},
		{"[,1]", 0},
		{"{\"a\" 1}", 0},
		{"{\"a\":}", 0},
		{"{a:1}", 0},
		{"{\"a\":1 \"b\":2}", 0},
		{"{\"a\":1}}", 0},
		{"{\"a\":1} x", 0},
		{"[1 2]", 0},
		{"{\"a\":1]", 0},
		{"[1}", 0},
		{"\f{}", 0},
		{"{\"a\":1,\"b\":{\"a\":2}}", 1},
		{"{\"b\":{\"a\":1,\"a\":2}}", 0},
		{"{\"a\":1,\"b\":2,\"c\":3,\"a\":4}", 0},
	};
	char *deep;

	(void)unused;
	CHECK(t);
	assert_int_equal(agree("{\"a\":\0}", 7, "NUL byte"), 0);
	assert_int_equal(agree("[1]\0", 4, "NUL after"), 0);
	assert_int_equal(agree("[1\0\0]", 5, "two NULs after a number"), 0);
	/* The one case where jansson takes more than we do (nul_dropped). */
	assert_int_equal(agree("[true\0,1.5\0]", 12, "NULs after tokens"), 1);
	assert_true(nul_quirk > 0);
	nul_quirk = 0;
	/* jansson's depth limit: 2048 nested values, the innermost counted. */
	deep = malloc(2 * 2100 + 8);
	assert_non_null(deep);
	for (int n = 2045; n <= 2050; n++) {
		int ok;

		memset(deep, '[', (size_t)n);
		memset(deep + n, ']', (size_t)n);
		ok = agree(deep, 2 * (size_t)n, "nested arrays");
		assert_int_equal(ok, n <= 2048);
		memset(deep, '[', (size_t)n);
		deep[n] = '1';
		memset(deep + n + 1, ']', (size_t)n);
		ok = agree(deep, 2 * (size_t)n + 1, "nested arrays, number");
		assert_int_equal(ok, n <= 2047);
	}
	free(deep);
}

/*
 * Rows as our writer and others write them, and the fields a row may
 * miss: every prefix (a truncated file) and every one-byte change or
 * deletion must get the same verdict and value from both.
 */
static void test_rows_damaged(void **unused)
{
	static const char *const rows[] = {
		"{\"name\": \"pool/grow/size:2M/pages:64/hvo:on\", "
		"\"run_name\": \"pool/grow/size:2M/pages:64/hvo:on\", "
		"\"run_type\": \"iteration\", \"repetitions\": 3, "
		"\"repetition_index\": 0, \"threads\": 1, \"iterations\": 12, "
		"\"real_time\": 1.0432345678901234e+06, \"cpu_time\": 9.5e5, "
		"\"time_unit\": \"ns\", \"items_per_second\": 61.25, "
		"\"label\": \"regime=split\", \"hvobench\": {\"params\": "
		"{\"size\": \"2M\", \"pages\": 64, \"hvo\": \"on\"}, "
		"\"items\": 64, \"hist\": {\"alloc_ns\": {\"buckets\": "
		"[[1024, 2047, 3], [2048, 4095, 61]], \"p50\": 2100.5}}, "
		"\"counters\": {\"tlb:tlb_flush\": {\"per_item\": 16.0, "
		"\"value\": 1024}, \"dTLB-load-misses\": {\"available\": false,"
		" \"reason\": \"no PMU\"}}, \"vmstat_delta\": "
		"{\"pgfault\": 8}, \"control_for\": \"\", "
		"\"primary\": \"real_time\"}}",
		"{\"name\":\"x\\u001b[2J\\n\",\"real_time\":-1,"
		"\"cpu_time\":1E-7,\"error_occurred\":false}",
		"{\"name\": \"x\", \"cpu_time\": \"1\"}",
		"{\"real_time\": 1, \"cpu_time\": 1}",
		"{\"name\": \"x\", \"run_type\": \"aggregate\", "
		"\"aggregate_name\": \"mean\"}",
	};
	static const char subst[] = "\"\\}],:0e-. u\x01\x7f\x80\xc3\xff";
	char buf[2048], what[64];

	(void)unused;
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		size_t n = strlen(rows[r]);

		assert_true(n < sizeof(buf));
		assert_int_equal(agree(rows[r], n, rows[r]), 1);
		for (size_t p = 0; p < n; p++) {
			if (agree(rows[r], p, "prefix"))
				fail_msg("prefix %zu of row %zu is valid", p,
					 r);
			memcpy(buf, rows[r], p);
			memcpy(buf + p, rows[r] + p + 1, n - p - 1);
			snprintf(what, sizeof(what), "row %zu without byte %zu",
				 r, p);
			agree(buf, n - 1, what);
			memcpy(buf, rows[r], n);
			for (size_t s = 0; s < sizeof(subst); s++) {
				buf[p] = subst[s]; /* the last one is NUL */
				snprintf(what, sizeof(what),
					 "row %zu, byte %zu = 0x%02x", r, p,
					 (unsigned char)subst[s]);
				agree(buf, n, what);
			}
		}
	}
	print_message("jansson dropped a NUL byte after a token in %zu "
		      "changed rows (ours refuses them)\n",
		      nul_quirk);
}

static int setup(void **unused)
{
	(void)unused;
	rd = rj_new();
	return rd ? 0 : -1;
}

static int teardown(void **unused)
{
	(void)unused;
	rj_free(rd);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_rows_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
