// SPDX-License-Identifier: GPL-2.0
/*
 * --counters lists: comma splitting, the "tlb" and "hvo" presets, and the
 * CPU vendor that picks the tlb events.
 */
#include "counters.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

struct preset_ev {
	const char *label;
	const char *name;
	const char *raw; /* fallback when libpfm lacks this CPU's table */
};

/* Intel: page walks completed (all, 4K, 2M/4M), STLB hits, walk cycles. */
static const struct preset_ev tlb_intel[] = {
	{"DTLB_LOAD_MISSES:WALK_COMPLETED", NULL, NULL},
	{"DTLB_LOAD_MISSES:WALK_COMPLETED_4K", NULL, NULL},
	{"DTLB_LOAD_MISSES:WALK_COMPLETED_2M_4M", NULL, NULL},
	{"DTLB_LOAD_MISSES:STLB_HIT", NULL, NULL},
	{"DTLB_LOAD_MISSES:WALK_ACTIVE", NULL, NULL},
	{"DTLB_STORE_MISSES:WALK_COMPLETED", NULL, NULL},
	{"DTLB_STORE_MISSES:STLB_HIT", NULL, NULL},
	{NULL, NULL, NULL},
};

/*
 * AMD Zen: event 0x45 (ls_l1_d_tlb_miss); L2-TLB misses are page walks.
 * libpfm 4.13 knows Zen1-4; the raw codes keep Zen5 counting.
 */
static const struct preset_ev tlb_amd[] = {
	{"ls_l1_d_tlb_miss.all_l2_miss",
	 "L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS:TLB_RELOAD_2M_L2_MISS:"
	 "TLB_RELOAD_1G_L2_MISS:TLB_RELOAD_COALESCED_PAGE_MISS",
	 "rf045"},
	{"ls_l1_d_tlb_miss.tlb_reload_4k_l2_miss",
	 "L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS", "r1045"},
	{"ls_l1_d_tlb_miss.tlb_reload_2m_l2_miss",
	 "L1_DTLB_MISS:TLB_RELOAD_2M_L2_MISS", "r4045"},
	{"ls_l1_d_tlb_miss.tlb_reload_1g_l2_miss",
	 "L1_DTLB_MISS:TLB_RELOAD_1G_L2_MISS", "r8045"},
	{"ls_l1_d_tlb_miss.all_l2_hit",
	 "L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT:TLB_RELOAD_2M_L2_HIT:"
	 "TLB_RELOAD_1G_L2_HIT:TLB_RELOAD_COALESCED_PAGE_HIT",
	 "r0f45"},
	{NULL, NULL, NULL},
};

/* Armv8 PMUv3 common events. */
static const struct preset_ev tlb_arm64[] = {
	{"DTLB_WALK", NULL, "r34"},
	{"L1D_TLB_REFILL", NULL, "r05"},
	{"L2D_TLB_REFILL", NULL, "r2d"},
	{NULL, NULL, NULL},
};

/* Always added: what perf maps to the vendor's walk events. */
static const struct preset_ev tlb_generic[] = {
	{"dTLB-load-misses", NULL, NULL},
	{"dTLB-store-misses", NULL, NULL},
	{NULL, NULL, NULL},
};

/*
 * HVO's kernel work: TLB flushes and IPIs in the benchmark's threads and
 * system-wide (the receiving CPUs), faults and context switches.
 */
static const struct preset_ev hvo_common[] = {
	{"tlb:tlb_flush", NULL, NULL},
	{"tlb:tlb_flush@all", NULL, NULL},
	{"ipi:ipi_send_cpu", NULL, NULL},
	{"ipi:ipi_send_cpumask", NULL, NULL},
	{"ipi:ipi_send_cpu@all", NULL, NULL},
	{"ipi:ipi_send_cpumask@all", NULL, NULL},
	{"page-faults", NULL, NULL},
	{"context-switches", NULL, NULL},
	{NULL, NULL, NULL},
};

static const struct preset_ev hvo_x86[] = {
	{"irq_vectors:call_function_entry@all", NULL, NULL},
	{"irq_vectors:call_function_single_entry@all", NULL, NULL},
	{"exceptions:page_fault_user", NULL, NULL},
	{"exceptions:page_fault_kernel", NULL, NULL},
	{NULL, NULL, NULL},
};

static const struct preset_ev hvo_other[] = {
	{"ipi:ipi_entry@all", NULL, NULL},
	{NULL, NULL, NULL},
};

enum ctr_vendor ctr_cpu_vendor(void)
{
	struct utsname u;
	char line[256];
	enum ctr_vendor v = CTR_VENDOR_OTHER;
	FILE *f;

	if (!uname(&u) && !strcmp(u.machine, "aarch64"))
		return CTR_VENDOR_ARM64;
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return v;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "vendor_id", 9))
			continue;
		if (strstr(line, "GenuineIntel"))
			v = CTR_VENDOR_INTEL;
		else if (strstr(line, "AuthenticAMD") ||
			 strstr(line, "HygonGenuine"))
			v = CTR_VENDOR_AMD;
		break;
	}
	fclose(f);
	return v;
}

const char *ctr_vendor_name(enum ctr_vendor v)
{
	switch (v) {
	case CTR_VENDOR_INTEL:
		return "intel";
	case CTR_VENDOR_AMD:
		return "amd";
	case CTR_VENDOR_ARM64:
		return "arm64";
	default:
		return "other";
	}
}

static bool have(const struct ctr_spec *out, int n, const char *label)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(out[i].label, label))
			return true;
	return false;
}

/* Append one event; 1 if added, 0 if a duplicate, -1 if full. */
static int add(struct ctr_spec *out, int *n, int max, const char *label,
	       const char *name, const char *raw)
{
	struct ctr_spec *s;

	if (have(out, *n, label))
		return 0;
	if (*n >= max)
		return -1;
	s = &out[(*n)++];
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "%s", label);
	snprintf(s->alt[s->nalt++], sizeof(s->alt[0]), "%s",
		 name ? name : label);
	if (raw)
		snprintf(s->alt[s->nalt++], sizeof(s->alt[0]), "%s", raw);
	return 1;
}

static int add_preset(struct ctr_spec *out, int *n, int max,
		      const struct preset_ev *p)
{
	for (; p->label; p++)
		if (add(out, n, max, p->label, p->name, p->raw) < 0)
			return -1;
	return 0;
}

static const struct preset_ev *tlb_table(enum ctr_vendor v)
{
	switch (v) {
	case CTR_VENDOR_INTEL:
		return tlb_intel;
	case CTR_VENDOR_AMD:
		return tlb_amd;
	case CTR_VENDOR_ARM64:
		return tlb_arm64;
	default:
		return NULL;
	}
}

static int add_word(const char *w, enum ctr_vendor vendor, bool x86,
		    struct ctr_spec *out, int *n, int max)
{
	const struct preset_ev *t;

	if (!strcmp(w, "tlb")) {
		t = tlb_table(vendor);
		if (t && add_preset(out, n, max, t))
			return -1;
		return add_preset(out, n, max, tlb_generic);
	}
	if (!strcmp(w, "hvo")) {
		if (add_preset(out, n, max, hvo_common))
			return -1;
		return add_preset(out, n, max, x86 ? hvo_x86 : hvo_other);
	}
	return add(out, n, max, w, NULL, NULL) < 0 ? -1 : 0;
}

int ctr_expand(const char *list, enum ctr_vendor vendor, bool x86,
	       struct ctr_spec *out, int max, char *why, size_t whylen)
{
	const char *p = list;
	int n = 0;

	if (!list || !*list) {
		snprintf(why, whylen, "--counters: empty list");
		return -1;
	}
	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char w[CTR_NAME_LEN];

		if (!len) {
			snprintf(why, whylen,
				 "--counters: empty event name in '%s'", list);
			return -1;
		}
		if (len >= sizeof(w)) {
			snprintf(why, whylen,
				 "--counters: event name too long: '%.*s'",
				 (int)len, p);
			return -1;
		}
		memcpy(w, p, len);
		w[len] = '\0';
		if (add_word(w, vendor, x86, out, &n, max)) {
			snprintf(why, whylen,
				 "--counters: more than %d events in '%s'", max,
				 list);
			return -1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}
