// SPDX-License-Identifier: GPL-2.0
/* bench/sys pure parsing: sizes, value normalization, journal lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "journal.h"
#include "sys.h"

static void test_parse_size(void **unused)
{
	uint64_t b = 0;

	(void)unused;
	assert_int_equal(sys_parse_size("4096", &b), 0);
	assert_true(b == 4096);
	assert_int_equal(sys_parse_size("512M", &b), 0);
	assert_true(b == 512ULL << 20);
	assert_int_equal(sys_parse_size("2G", &b), 0);
	assert_true(b == 2ULL << 30);
	assert_int_equal(sys_parse_size("2048kB", &b), 0);
	assert_true(b == 2048ULL << 10);
	assert_int_equal(sys_parse_size("2MiB", &b), 0);
	assert_true(b == 2ULL << 20);
	assert_int_equal(sys_parse_size("1T", &b), 0);
	assert_true(b == 1ULL << 40);
	/* Bad input is refused, never guessed. */
	assert_int_equal(sys_parse_size("", &b), -EINVAL);
	assert_int_equal(sys_parse_size("-1", &b), -EINVAL);
	assert_int_equal(sys_parse_size("G", &b), -EINVAL);
	assert_int_equal(sys_parse_size("2X", &b), -EINVAL);
	assert_int_equal(sys_parse_size("2 G", &b), -EINVAL);
	assert_int_equal(sys_parse_size("2GB2", &b), -EINVAL);
	assert_int_equal(sys_parse_size(NULL, &b), -EINVAL);
	assert_int_equal(sys_parse_size("99999999999999999999", &b), -EINVAL);
	assert_int_equal(sys_parse_size("99999999999T", &b), -ERANGE);
}

static void test_hugetlb_size(void **unused)
{
	char buf[16];

	(void)unused;
	assert_true(hugetlb_parse_size("2M") == 2048);
	assert_true(hugetlb_parse_size("1G") == 1048576);
	assert_true(hugetlb_parse_size("2048kB") == 2048);
	assert_true(hugetlb_parse_size("64K") == 64);
	assert_true(hugetlb_parse_size("1K") == 0); /* below a base page */
	assert_true(hugetlb_parse_size("huge") == 0);
	assert_true(hugetlb_parse_size("") == 0);
	assert_string_equal(sys_size_str(2048, buf, sizeof(buf)), "2M");
	assert_string_equal(sys_size_str(1048576, buf, sizeof(buf)), "1G");
	assert_string_equal(sys_size_str(64, buf, sizeof(buf)), "64K");
	assert_string_equal(sys_size_str(32768, buf, sizeof(buf)), "32M");
}

static void test_normalize(void **unused)
{
	char a[] = "always [madvise] never\n", b[] = "  0\n", c[] = "[x]",
	     d[] = "", e[] = "2048kB\n", f[] = "a b\t\n";

	(void)unused;
	journal_normalize(a);
	assert_string_equal(a, "madvise");
	journal_normalize(b);
	assert_string_equal(b, "0");
	journal_normalize(c);
	assert_string_equal(c, "x");
	journal_normalize(d);
	assert_string_equal(d, "");
	journal_normalize(e);
	assert_string_equal(e, "2048kB");
	journal_normalize(f);
	assert_string_equal(f, "a b");
}

static void test_format_entry(void **unused)
{
	char buf[512], small[8];

	(void)unused;
	assert_int_equal(
		journal_format_entry(buf, sizeof(buf), "/proc/sys/vm/x", "0"),
		0);
	assert_string_equal(buf, "/proc/sys/vm/x\t0\n");
	/* What could not be parsed back is refused up front. */
	assert_int_equal(journal_format_entry(buf, sizeof(buf), "rel", "0"),
			 -EINVAL);
	assert_int_equal(journal_format_entry(buf, sizeof(buf), "/a\tb", "0"),
			 -EINVAL);
	assert_int_equal(journal_format_entry(buf, sizeof(buf), "/a", "0\n1"),
			 -EINVAL);
	assert_int_equal(journal_format_entry(small, sizeof(small),
					      "/proc/sys/vm/x", "0"),
			 -EINVAL);
}

static void test_parse_round_trip(void **unused)
{
	struct journal_entry e[4];
	char text[1024] = JOURNAL_MAGIC " pid=1 boot=x\n", line[300];
	int bad, n;

	(void)unused;
	journal_format_entry(line, sizeof(line), "/a/hvo", "0");
	strcat(text, line);
	journal_format_entry(line, sizeof(line), "/b/nr_hugepages", "4096");
	strcat(text, line);
	journal_format_entry(line, sizeof(line), "/c/enabled", "madvise");
	strcat(text, line);
	n = journal_parse(text, strlen(text), e, 4, &bad);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].path, "/a/hvo");
	assert_string_equal(e[1].value, "4096");
	assert_true(e[1].vlen == 4);
	assert_string_equal(e[2].path, "/c/enabled");
	assert_string_equal(e[2].value, "madvise");

	/* A torn append (no newline) never happened: ignored. */
	strcat(text, "/d/torn\t1");
	assert_int_equal(journal_parse(text, strlen(text), e, 4, &bad), 3);
	/* Header only: nothing to restore. */
	assert_int_equal(journal_parse(JOURNAL_MAGIC "\n", 19, e, 4, &bad), 0);
	assert_int_equal(journal_parse(JOURNAL_MAGIC, 18, e, 4, &bad), 0);
	/* Too many entries for the buffer is an error, not a truncation. */
	assert_int_equal(journal_parse(text, strlen(text), e, 2, &bad),
			 -EINVAL);
}

static void test_parse_bad(void **unused)
{
	struct journal_entry e[4];
	const char *nohdr = "/a\t0\n", *badver = "hvobench-journal 10\n/a\t0\n",
		   *noval = JOURNAL_MAGIC "\n/a\t0\nnot-a-path\t1\n",
		   *notab = JOURNAL_MAGIC "\n/a 0\n";
	int bad;

	(void)unused;
	assert_int_equal(journal_parse(nohdr, strlen(nohdr), e, 4, &bad),
			 -EINVAL);
	assert_int_equal(bad, 1);
	assert_int_equal(journal_parse(badver, strlen(badver), e, 4, &bad),
			 -EINVAL);
	assert_int_equal(journal_parse(noval, strlen(noval), e, 4, &bad),
			 -EINVAL);
	assert_int_equal(bad, 3);
	assert_int_equal(journal_parse(notab, strlen(notab), e, 4, &bad),
			 -EINVAL);
	assert_int_equal(bad, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_hugetlb_size),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_format_entry),
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_parse_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
