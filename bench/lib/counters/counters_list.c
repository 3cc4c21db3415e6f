// SPDX-License-Identifier: GPL-2.0
/* --counters=list: which events this machine can count, and why not. */
#include "counters.h" /* linux/perf_event.h before libpfm's copy */

#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>

/* Beyond the presets: common generic and software events. */
static const char *const extra =
	"cycles,instructions,iTLB-load-misses,cache-misses,"
	"minor-faults,major-faults,cpu-migrations,task-clock,"
	"tlb:tlb_flush,exceptions:page_fault_user";

static void print_pmus(FILE *f)
{
	pfm_pmu_t p;
	int n = 0;

	fprintf(f, "libpfm PMUs active:");
	pfm_for_all_pmus(p)
	{
		pfm_pmu_info_t info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(p, &info) == PFM_SUCCESS &&
		    info.is_present) {
			fprintf(f, " %s", info.name);
			n++;
		}
	}
	fprintf(f, "%s\n", n ? "" : " none");
}

static void print_group(FILE *f, const char *title, const char *list)
{
	static struct ctr_event evs[CTR_MAX_EVENTS];
	char why[256];
	int n = ctr_encode_list(list, evs, CTR_MAX_EVENTS, why, sizeof(why));
	struct ctr_set *s;

	fprintf(f, "\n%s:\n", title);
	if (n < 0) {
		fprintf(f, "  %s\n", why);
		return;
	}
	s = ctr_set_open(evs, n);
	for (int i = 0; i < n; i++) {
		const char *w = s ? ctr_set_why(s, i) : "out of memory";

		fprintf(f, "  %-44s %s%s\n", evs[i].name, w ? "no: " : "yes",
			w ? w : "");
		if (!w && evs[i].note[0])
			fprintf(f, "  %-44s (%s)\n", "", evs[i].note);
	}
	ctr_set_close(s);
}

int ctr_print_list(FILE *f)
{
	char dummy[8];

	/* Initializes libpfm as a side effect. */
	ctr_encode_list("page-faults", (struct ctr_event[1]){0}, 1, dummy,
			sizeof(dummy));
	fprintf(f, "cpu vendor: %s\n", ctr_vendor_name(ctr_cpu_vendor()));
	print_pmus(f);
	print_group(f, "--counters=tlb", "tlb");
	print_group(f, "--counters=hvo", "hvo");
	print_group(f, "others", extra);
	fprintf(f, "\nAny libpfm name (NAME:u / NAME:k), perf generic name, "
		   "raw rNNNN or sys:tracepoint\nworks too; NAME@all counts "
		   "on every CPU.\n");
	return 0;
}
