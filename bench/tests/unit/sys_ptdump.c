// SPDX-License-Identifier: GPL-2.0
/*
 * bench/sys's reader of the page-table dump's vmemmap section (x86 and
 * arm64 formats), pointed at temp files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

static char ptdump_x86[64], ptdump_arm[64];

/* Write text to a fresh temp file whose name goes to path. */
static void put(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/hvobench-tlbtest-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

static void gone(char *path)
{
	if (path[0])
		unlink(path);
	strcpy(path, "/nonexistent/hvobench-tlbtest");
}

/*
 * From a patched x86_64 guest (3G, HVO on, 300 x 2M; trimmed): split
 * PMDs print as 4K PTE runs (RW, and the read-only 28K tails), the
 * rest of the vmemmap as one PMD run; holes print with no permissions.
 */
static const char x86_dump[] =
	"---[ Kernel Space ]---\n"
	"0xffff888000000000-0xffff888000200000           2M     RW         "
	"PSE     GLB NX pmd\n"
	"---[ Vmemmap ]---\n"
	"0xffffea0000000000-0xffffea0000009000          36K     RW         "
	"        GLB NX pte\n"
	"0xffffea0000009000-0xffffea0000010000          28K     ro         "
	"        GLB NX pte\n"
	"0xffffea0000010000-0xffffea0000200000        1984K     RW         "
	"        GLB NX pte\n"
	"0xffffea0000a00000-0xffffea0002e00000          36M     RW         "
	"PSE     GLB NX pmd\n"
	"0xffffea0003000000-0xffffea0040000000         976M                "
	"               pmd\n"
	"0xffffea0040000000-0xffffea8000000000         511G                "
	"               pud\n"
	"---[ CPU entry Area ]---\n"
	"0xfffffe0000000000-0xfffffe0000001000           4K     ro         "
	"        GLB NX pte\n";

static void test_ptdump_x86(void **unused)
{
	uint64_t pte = 1, pmd = 1;

	(void)unused;
	put(ptdump_x86, x86_dump);
	gone(ptdump_arm);
	assert_int_equal(sys_ptdump_vmemmap(&pte, &pmd), 0);
	/* One split PMD; the hole and the other sections do not count. */
	assert_true(pte == 2ULL << 20);
	assert_true(pmd == 36ULL << 20);
	gone(ptdump_x86);
}

/*
 * Which PFNs have PMD-mapped struct pages: the x86 section starts at
 * vmemmap_base (here 0xffffea0000000000), 64 bytes per PFN; the fixture
 * maps [0xa00000, 0x2e00000) of it by PMDs: PFNs 163840 to 753663.
 */
static void test_pmd_mapped_frac(void **unused)
{
	const uint64_t pmd[] = {163840, 163841, 500000, 753663};
	const uint64_t mixed[] = {0, 1, 163840, 753664};

	(void)unused;
	put(ptdump_x86, x86_dump);
	gone(ptdump_arm);
	assert_true(sys_ptdump_pmd_frac(pmd, 4) == 1.0);
	assert_true(sys_ptdump_pmd_frac(mixed, 4) == 0.25);
	gone(ptdump_x86);
	/* No dump: unknown, not zero. */
	assert_true(sys_ptdump_pmd_frac(pmd, 4) < 0);
	/* arm64 offsets its vmemmap by the DRAM start: no per-PFN answer. */
	put(ptdump_arm, "---[ vmemmap start ]---\n"
			"0xfffffc0000200000-0xfffffc0000600000 4M PMD RW NX "
			"BLK\n"
			"---[ vmemmap end ]---\n");
	assert_true(sys_ptdump_pmd_frac(pmd, 4) < 0);
	gone(ptdump_arm);
}

/* arm64's layout: level names in capitals, a start and an end marker. */
static const char arm_dump[] =
	"---[ vmemmap start ]---\n"
	"0xfffffc0000000000-0xfffffc0000008000          32K PTE       RW NX "
	"SHD AF NG         UXN    MEM/NORMAL\n"
	"0xfffffc0000200000-0xfffffc0000600000           4M PMD       RW NX "
	"SHD AF NG     BLK UXN    MEM/NORMAL\n"
	"0xfffffc0000600000-0xfffffc0040000000        1018M PMD\n"
	"---[ vmemmap end ]---\n"
	"0xfffffc0040000000-0xfffffc0040200000           2M PMD       RW NX "
	"SHD AF NG     BLK UXN    MEM/NORMAL\n";

static void test_ptdump_arm64(void **unused)
{
	uint64_t pte = 1, pmd = 1;

	(void)unused;
	gone(ptdump_x86);
	put(ptdump_arm, arm_dump);
	assert_int_equal(sys_ptdump_vmemmap(&pte, &pmd), 0);
	assert_true(pte == 32ULL << 10);
	assert_true(pmd == 4ULL << 20);
	gone(ptdump_arm);
	/* No dump at all: the caller falls back to other evidence. */
	assert_true(sys_ptdump_vmemmap(&pte, &pmd) < 0);
}

int main(void)
{
	sys_ptdump_paths(ptdump_x86, ptdump_arm);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptdump_x86),
		cmocka_unit_test(test_pmd_mapped_frac),
		cmocka_unit_test(test_ptdump_arm64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
