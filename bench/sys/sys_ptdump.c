// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's page-table dump (CONFIG_PTDUMP_DEBUGFS, debugfs mounted)
 * read for the vmemmap: how much of it PTEs and PMDs map, and whether a
 * given PFN's struct page sits under a PMD.  x86 and arm64 formats.
 */
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* struct page is 64 bytes (x86_64 and arm64 without debug options). */
#define STRUCT_PAGE_BYTES 64

#define PTDUMP_X86 "/sys/kernel/debug/page_tables/kernel"
#define PTDUMP_ARM "/sys/kernel/debug/kernel_page_tables"

static const char *path_x86 = PTDUMP_X86, *path_arm = PTDUMP_ARM;

void sys_ptdump_paths(const char *x86, const char *arm)
{
	path_x86 = x86 ? x86 : PTDUMP_X86;
	path_arm = arm ? arm : PTDUMP_ARM;
}

/* What the kernel's page-table dump says about the vmemmap. */
struct vmdump {
	uint64_t pte, pmd; /* bytes mapped by PTEs and by PMDs */
	/*
	 * x86 only: the section starts at vmemmap_base, whose struct page
	 * for PFN p is at base + 64 p (arm64 offsets it by the DRAM start).
	 */
	uint64_t base;
	uint64_t (*pmds)[2]; /* PMD-mapped [start, end) runs */
	size_t npmds;
};

/* Parse the dump (CONFIG_PTDUMP_DEBUGFS, debugfs mounted); -errno. */
static int ptdump_read(struct vmdump *v)
{
	char line[512];
	bool in = false, x86 = true, first = false;
	FILE *f = fopen(path_x86, "re");
	int ret = 0;

	if (!f) {
		f = fopen(path_arm, "re");
		x86 = false;
	}
	if (!f)
		return -errno;
	memset(v, 0, sizeof(*v));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (!strncmp(line, "---[", 4)) {
			/* x86 "Vmemmap"; arm64 "vmemmap start" .. "end". */
			in = strcasestr(line, "vmemmap") &&
			     !strcasestr(line, "end");
			first = in && x86;
			continue;
		}
		if (!in || sscanf(line, "0x%llx-0x%llx", &a, &b) != 2 || b <= a)
			continue;
		if (first)
			v->base = a;
		first = false;
		/* Holes print with the level but no permissions. */
		if (!strstr(line, " RW ") && !strstr(line, " ro "))
			continue;
		if (strcasestr(line, " pte")) {
			v->pte += b - a;
		} else if (strcasestr(line, " pmd")) {
			void *n = realloc(v->pmds,
					  (v->npmds + 1) * sizeof(*v->pmds));

			if (!n) {
				ret = -ENOMEM;
				break;
			}
			v->pmds = n;
			v->pmds[v->npmds][0] = a;
			v->pmds[v->npmds++][1] = b;
			v->pmd += b - a;
		}
	}
	fclose(f);
	return ret;
}

/*
 * Bytes of the vmemmap mapped by PTEs and by PMDs in the kernel's page
 * table dump.  -ENOENT without one.
 */
int sys_ptdump_vmemmap(uint64_t *pte, uint64_t *pmd)
{
	struct vmdump v = {0};
	int ret = ptdump_read(&v);

	if (!ret) {
		*pte = v.pte;
		*pmd = v.pmd;
	}
	free(v.pmds);
	return ret;
}

/*
 * Of n PFNs, the fraction whose struct page is PMD-mapped now (observed,
 * not inferred), or -1 when the dump cannot tell (none, or arm64).
 */
double sys_ptdump_pmd_frac(const uint64_t *pfn, size_t n)
{
	struct vmdump v = {0};
	size_t in = 0;
	double frac = -1;

	if (ptdump_read(&v) || !v.base || !n)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint64_t addr = v.base + pfn[i] * STRUCT_PAGE_BYTES;

		for (size_t r = 0; r < v.npmds; r++)
			if (addr >= v.pmds[r][0] && addr < v.pmds[r][1]) {
				in++;
				break;
			}
	}
	frac = (double)in / (double)n;
out:
	free(v.pmds);
	return frac;
}
