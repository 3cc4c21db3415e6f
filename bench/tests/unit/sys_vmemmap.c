// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel says of the vmemmap mapping: the kernel patch's PMD
 * split counter in /proc/vmstat and the vmemmap_basepages boot option,
 * read from temp files standing in for /proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

static char path[64];

static void put(const char *text)
{
	int fd;

	strcpy(path, "/tmp/hvobench-vmemmap-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

static void test_splits(void **unused)
{
	char name[128];
	uint64_t v = 0;

	(void)unused;
	put("nr_memmap_pages 300\n"
	    "nr_memmap_boot_pages 9888\n"
	    "nr_hugetlb_vmemmap_optimized 300\n"
	    "nr_vmemmap_pmd_split 7\n"
	    "nr_dirty 12\n");
	assert_int_equal(sys_vmemmap_splits(path, name, sizeof(name), &v), 0);
	assert_string_equal(name, "nr_vmemmap_pmd_split");
	assert_true(v == 7);
	v = 0;
	assert_int_equal(sys_vmemmap_splits(path, NULL, 0, &v), 0);
	assert_true(v == 7);
	unlink(path);
	/* A stock kernel has no such counter. */
	put("nr_memmap_pages 0\nnr_memmap_boot_pages 12288\n");
	assert_int_equal(sys_vmemmap_splits(path, name, sizeof(name), &v),
			 -ENOENT);
	unlink(path);
	assert_int_equal(sys_vmemmap_splits(path, name, sizeof(name), &v),
			 -ENOENT);
}

static bool basepages_with(const char *line)
{
	bool on;

	put(line);
	on = sys_vmemmap_basepages(path);
	unlink(path);
	return on;
}

static void test_basepages(void **unused)
{
	(void)unused;
	assert_true(basepages_with("console=ttyS0 vmemmap_basepages quiet\n"));
	assert_true(basepages_with("vmemmap_basepages=1\n"));
	assert_true(basepages_with("root=/dev/vda vmemmap_basepages=y\n"));
	assert_true(basepages_with("vmemmap_basepages=on\n"));
	assert_false(basepages_with("vmemmap_basepages=0\n"));
	assert_false(basepages_with("vmemmap_basepages=off\n"));
	assert_false(basepages_with("vmemmap_basepagesx console=ttyS0\n"));
	assert_false(basepages_with("console=ttyS0 quiet\n"));
	/* As in the kernel: the last one wins, a bad value changes nothing. */
	assert_false(basepages_with("vmemmap_basepages vmemmap_basepages=n\n"));
	assert_true(basepages_with("vmemmap_basepages=0 vmemmap_basepages\n"));
	assert_true(basepages_with("vmemmap_basepages vmemmap_basepages=x\n"));
	/* No file: not set. */
	assert_false(sys_vmemmap_basepages("/nonexistent/cmdline"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splits),
		cmocka_unit_test(test_basepages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
