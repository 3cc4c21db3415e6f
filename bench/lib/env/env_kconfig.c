// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel configuration options that matter for HVO numbers, from
 * /proc/config.gz (through zcat) or /boot/config-$(uname -r).
 */
#include "env.h"

#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Substrings: any option containing one is kept. */
static const char *const keep_sub[] = {
	"HUGETLB",
	"VMEMMAP",
	"GUP_TEST",
	"PTDUMP",
	"TRANSPARENT_HUGEPAGE",
	"MEMORY_HOTPLUG",
	"MEMORY_HOTREMOVE",
	"MHP_",
	NULL,
};

/* Exact names: these change what a fault or a TLB walk costs. */
static const char *const keep_exact[] = {
	"DEBUG_TLBFLUSH",
	"DEBUG_VM",
	"DEBUG_PAGEALLOC",
	"PAGE_TABLE_CHECK",
	"KASAN",
	"INIT_ON_ALLOC_DEFAULT_ON",
	"INIT_ON_FREE_DEFAULT_ON",
	"NUMA",
	"CMA",
	"COMPACTION",
	"PREEMPT",
	"PREEMPT_DYNAMIC",
	"PREEMPT_VOLUNTARY",
	"PREEMPT_NONE",
	"HZ",
	"NO_HZ_FULL",
	"PGTABLE_LEVELS",
	"X86_5LEVEL",
	"ARM64_PAGE_SHIFT",
	"ARM64_VA_BITS",
	"PARAVIRT",
	"HYPERVISOR_GUEST",
	NULL,
};

static bool wanted(const char *opt)
{
	for (const char *const *k = keep_sub; *k; k++)
		if (strstr(opt, *k))
			return true;
	for (const char *const *k = keep_exact; *k; k++)
		if (!strcmp(opt, *k))
			return true;
	return false;
}

int env_kconfig_parse(FILE *f, json_t *obj)
{
	char line[1024], name[256];
	int kept = 0;

	while (fgets(line, sizeof(line), f)) {
		char *eq, *v;

		line[strcspn(line, "\n")] = '\0';
		/* "# CONFIG_FOO is not set" */
		if (sscanf(line, "# CONFIG_%255s is not set", name) == 1 &&
		    strstr(line, " is not set")) {
			if (wanted(name)) {
				char key[264];

				snprintf(key, sizeof(key), "CONFIG_%s", name);
				json_object_set_new(obj, key, json_string("n"));
				kept++;
			}
			continue;
		}
		if (strncmp(line, "CONFIG_", 7))
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		v = eq + 1;
		if (!wanted(line + 7))
			continue;
		/* Strings keep their quotes off. */
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		json_object_set_new(obj, line, json_string(v));
		kept++;
	}
	return kept;
}

json_t *env_kconfig(void)
{
	json_t *out = json_object(), *opts = json_object();
	char boot[300], src[320];
	struct utsname u;
	FILE *f = NULL;
	bool piped = false;
	int rc;

	src[0] = '\0';
	if (!access("/proc/config.gz", R_OK)) {
		/* No zlib in libbench's link line: let zcat inflate it. */
		f = popen("zcat /proc/config.gz 2>/dev/null", "r");
		if (f) {
			piped = true;
			snprintf(src, sizeof(src), "/proc/config.gz");
		}
	}
	if (!f && !uname(&u)) {
		snprintf(boot, sizeof(boot), "/boot/config-%s", u.release);
		f = fopen(boot, "r");
		if (f)
			snprintf(src, sizeof(src), "%s", boot);
	}
	if (!f) {
		json_object_set_new(out, "source", json_string("unavailable"));
		json_object_set_new(out, "why",
				    json_string("neither /proc/config.gz nor "
						"/boot/config-$(uname -r) "
						"is readable"));
		json_object_set_new(out, "options", opts);
		return out;
	}
	env_kconfig_parse(f, opts);
	rc = piped ? pclose(f) : fclose(f);
	if (piped && rc != 0 && !json_object_size(opts)) {
		snprintf(src, sizeof(src), "unavailable");
		json_object_set_new(out, "why",
				    json_string("zcat /proc/config.gz failed"));
	}
	json_object_set_new(out, "source", json_string(src));
	json_object_set_new(out, "options", opts);
	return out;
}
