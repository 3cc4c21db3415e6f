// SPDX-License-Identifier: GPL-2.0
/*
 * How the vmemmap is mapped, as far as the kernel tells: the kernel
 * patch's PMD-split counter in /proc/vmstat and its vmemmap_basepages
 * boot option.  Stock kernels have neither (-ENOENT / false); callers
 * fall back to other evidence (boot memmap pages freed, page-table dump).
 */
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int sys_vmemmap_splits(const char *vmstat, char *name, size_t len,
		       uint64_t *val)
{
	char line[256], n[128];
	unsigned long long v;
	FILE *f = fopen(vmstat ? vmstat : "/proc/vmstat", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	/* Matched by shape, not one name: the series may still rename it. */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %llu", n, &v) == 2 &&
		    strstr(n, "vmemmap") && strstr(n, "split")) {
			if (name)
				snprintf(name, len, "%s", n);
			*val = v;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/*
 * What tok sets opt to, parsed as the kernel's kstrtobool() does: 1 on,
 * 0 off (a bare flag is on), -1 no change (another option, bad value).
 */
static int boot_flag(const char *tok, const char *opt)
{
	size_t n = strlen(opt);

	if (strncmp(tok, opt, n) || (tok[n] && tok[n] != '='))
		return -1;
	if (!tok[n])
		return 1;
	tok += n + 1;
	if (!strcmp(tok, "on"))
		return 1;
	if (!strcmp(tok, "off"))
		return 0;
	if (tok[0] && strchr("1yYtT", tok[0]))
		return 1;
	if (tok[0] && strchr("0nNfF", tok[0]))
		return 0;
	return -1; /* kstrtobool fails: the value stays as it was */
}

bool sys_vmemmap_basepages(const char *cmdline)
{
	char line[4096], *tok, *save = NULL;
	bool on = false;
	FILE *f = fopen(cmdline ? cmdline : "/proc/cmdline", "re");

	if (!f)
		return false;
	/* The last occurrence wins, as in the kernel. */
	if (fgets(line, sizeof(line), f))
		for (tok = strtok_r(line, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save))
			switch (boot_flag(tok, "vmemmap_basepages")) {
			case 0:
				on = false;
				break;
			case 1:
				on = true;
				break;
			}
	fclose(f);
	return on;
}

int sys_memmap_pages(uint64_t *total, uint64_t *boot)
{
	uint64_t dyn = 0, b = 0;
	int ret = sys_vmstat("nr_memmap_pages", &dyn);

	if (!ret)
		ret = sys_vmstat("nr_memmap_boot_pages", &b);
	if (ret)
		return ret;
	*total = dyn + b;
	if (boot)
		*boot = b;
	return 0;
}
