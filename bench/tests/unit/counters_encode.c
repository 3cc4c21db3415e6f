// SPDX-License-Identifier: GPL-2.0
/*
 * Counter names -> perf_event_attr.  CPU-specific names encode on any
 * machine with LIBPFM_ENCODE_INACTIVE=1; the expected configs are the
 * event|umask<<8 codes of libpfm 4.13's tables (Intel SDM / AMD PPR).
 * libpfm's arm64 tables are only built into arm64 libpfm, so arm64 is
 * checked through the preset's raw fallback (Armv8 PMUv3 common events).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters/counters.h"

static struct ctr_event ev;

static void expect_hw(const char *name, uint64_t config, bool eu, bool ek)
{
	int rc = ctr_encode(name, &ev);

	if (rc)
		fail_msg("%s: %s", name, ev.why);
	assert_true(ev.available);
	assert_int_equal(ev.kind, CTR_HW);
	assert_int_equal(ev.attr.type, PERF_TYPE_RAW);
	if (ev.attr.config != config)
		fail_msg("%s: config %#llx, want %#llx", name,
			 (unsigned long long)ev.attr.config,
			 (unsigned long long)config);
	assert_int_equal(ev.attr.exclude_user, eu);
	assert_int_equal(ev.attr.exclude_kernel, ek);
	assert_int_equal(ev.attr.size, sizeof(ev.attr));
}

static void test_intel(void **unused)
{
	(void)unused;
	/* DTLB_LOAD_MISSES is event 0x08; WALK_COMPLETED umask 0x0e. */
	expect_hw("skl::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x0e08, false, false);
	expect_hw("skl::DTLB_LOAD_MISSES:WALK_COMPLETED:u", 0x0e08, false,
		  true);
	expect_hw("skl::DTLB_LOAD_MISSES:WALK_COMPLETED:k", 0x0e08, true,
		  false);
	expect_hw("skl::DTLB_LOAD_MISSES:STLB_HIT", 0x2008, false, false);
	expect_hw("skl::DTLB_STORE_MISSES:WALK_COMPLETED", 0x0e49, false,
		  false);
	expect_hw("skl::DTLB_STORE_MISSES:STLB_HIT", 0x2049, false, false);
	expect_hw("icl::DTLB_LOAD_MISSES:WALK_COMPLETED", 0x0e08, false, false);
	expect_hw("icl::DTLB_LOAD_MISSES:WALK_COMPLETED_4K", 0x0208, false,
		  false);
	/* WALK_ACTIVE is WALK_PENDING (0x10) with cmask 1. */
	expect_hw("icl::DTLB_LOAD_MISSES:WALK_ACTIVE", 0x1001008, false, false);
}

static void test_amd(void **unused)
{
	(void)unused;
	/* ls_l1_d_tlb_miss is event 0x45; L2-TLB misses umask 0xf0. */
	expect_hw("amd64_fam19h_zen3::L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS:"
		  "TLB_RELOAD_2M_L2_MISS:TLB_RELOAD_1G_L2_MISS:"
		  "TLB_RELOAD_COALESCED_PAGE_MISS",
		  0xf045, false, false);
	expect_hw("amd64_fam19h_zen4::L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS",
		  0x1045, false, false);
	expect_hw("amd64_fam19h_zen4::L1_DTLB_MISS:TLB_RELOAD_2M_L2_MISS:k",
		  0x4045, true, false);
	expect_hw("amd64_fam19h_zen3::L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT:u",
		  0x0145, false, true);
}

/* The tlb preset for a vendor, each entry encoded as the run would. */
static int encode_preset(enum ctr_vendor v, struct ctr_event *evs, int max)
{
	struct ctr_spec specs[CTR_MAX_EVENTS];
	char why[128];
	int n = ctr_expand("tlb", v, v != CTR_VENDOR_ARM64, specs, max, why,
			   sizeof(why));

	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		ctr_encode_spec(&specs[i], &evs[i]);
	return n;
}

static const struct ctr_event *find(const struct ctr_event *evs, int n,
				    const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(evs[i].name, name))
			return &evs[i];
	fail_msg("%s missing from the preset", name);
	return NULL;
}

static void test_arm64_preset(void **unused)
{
	struct ctr_event evs[CTR_MAX_EVENTS];
	int n = encode_preset(CTR_VENDOR_ARM64, evs, CTR_MAX_EVENTS);
	static const struct {
		const char *name;
		uint64_t code;
	} want[] = {{"DTLB_WALK", 0x34},
		    {"L1D_TLB_REFILL", 0x05},
		    {"L2D_TLB_REFILL", 0x2d}};

	(void)unused;
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		const struct ctr_event *e = find(evs, n, want[k].name);

		assert_true(e->available);
		assert_int_equal(e->attr.type, PERF_TYPE_RAW);
		assert_int_equal(e->attr.config, want[k].code);
		assert_false(e->attr.exclude_kernel);
		assert_false(e->attr.exclude_user);
#if !defined(__aarch64__)
		/* No arm64 libpfm table here: the raw code stood in. */
		assert_non_null(strstr(e->note, "encoded as raw"));
#endif
	}
	find(evs, n, "dTLB-load-misses");
}

static void test_amd_preset(void **unused)
{
	struct ctr_event evs[CTR_MAX_EVENTS];
	int n = encode_preset(CTR_VENDOR_AMD, evs, CTR_MAX_EVENTS);
	const struct ctr_event *e =
		find(evs, n, "ls_l1_d_tlb_miss.all_l2_miss");

	(void)unused;
	assert_true(e->available);
	assert_int_equal(e->attr.config, 0xf045);
	assert_int_equal(
		find(evs, n, "ls_l1_d_tlb_miss.all_l2_hit")->attr.config,
		0x0f45);
}

static void test_intel_preset(void **unused)
{
	struct ctr_spec specs[CTR_MAX_EVENTS];
	char why[128];
	int n = ctr_expand("tlb", CTR_VENDOR_INTEL, true, specs, CTR_MAX_EVENTS,
			   why, sizeof(why));
	bool walk = false, stlb = false, active = false, store = false;

	(void)unused;
	for (int i = 0; i < n; i++) {
		walk |= !strcmp(specs[i].label,
				"DTLB_LOAD_MISSES:WALK_COMPLETED_2M_4M");
		stlb |= !strcmp(specs[i].label, "DTLB_LOAD_MISSES:STLB_HIT");
		active |=
			!strcmp(specs[i].label, "DTLB_LOAD_MISSES:WALK_ACTIVE");
		store |= !strcmp(specs[i].label,
				 "DTLB_STORE_MISSES:WALK_COMPLETED");
	}
	assert_true(walk && stlb && active && store);
	/* Other vendors: the generic names only. */
	n = ctr_expand("tlb", CTR_VENDOR_OTHER, false, specs, CTR_MAX_EVENTS,
		       why, sizeof(why));
	assert_int_equal(n, 2);
	assert_string_equal(specs[0].label, "dTLB-load-misses");
}

static void test_generic_and_software(void **unused)
{
	(void)unused;
	assert_int_equal(ctr_encode("dTLB-load-misses", &ev), 0);
	assert_int_equal(ev.attr.type, PERF_TYPE_HW_CACHE);
	assert_int_equal(ev.attr.config,
			 PERF_COUNT_HW_CACHE_DTLB |
				 (PERF_COUNT_HW_CACHE_OP_READ << 8) |
				 (PERF_COUNT_HW_CACHE_RESULT_MISS << 16));
	assert_int_equal(ctr_encode("r0e08:k", &ev), 0);
	assert_int_equal(ev.attr.type, PERF_TYPE_RAW);
	assert_int_equal(ev.attr.config, 0x0e08);
	assert_true(ev.attr.exclude_user);

	assert_int_equal(ctr_encode("page-faults", &ev), 0);
	assert_int_equal(ev.kind, CTR_SW);
	assert_int_equal(ev.attr.type, PERF_TYPE_SOFTWARE);
	assert_int_equal(ev.attr.config, PERF_COUNT_SW_PAGE_FAULTS);
	assert_false(ev.attr.exclude_kernel);
	assert_string_equal(ev.note, "");
	/* Documented: a modifier on a software event is ignored, noted. */
	assert_int_equal(ctr_encode("page-faults:u", &ev), 0);
	assert_false(ev.attr.exclude_kernel);
	assert_false(ev.attr.exclude_user);
	assert_non_null(strstr(ev.note, "modifier ignored"));
	assert_int_equal(ctr_encode("context-switches:k", &ev), 0);
	assert_false(ev.attr.exclude_user);

	assert_int_equal(ctr_encode("context-switches@all", &ev), 0);
	assert_true(ev.system_wide);
	assert_string_equal(ev.name, "context-switches@all");
}

static void test_unknown(void **unused)
{
	(void)unused;
	assert_int_not_equal(ctr_encode("NO_SUCH_EVENT_XYZ", &ev), 0);
	assert_false(ev.available);
	assert_non_null(strstr(ev.why, "not found"));
	assert_int_not_equal(ctr_encode("@all", &ev), 0);
	assert_false(ev.available);
	assert_int_not_equal(ctr_encode("skl::DTLB_LOAD_MISSES:NO_UMASK", &ev),
			     0);
	assert_true(ev.why[0]);
}

static void test_tracepoint(void **unused)
{
	const char *tp = "/sys/kernel/tracing/events";
	bool mounted = !access(tp, F_OK);
	uint64_t id;

	(void)unused;
	if (geteuid())
		skip();
	if (ctr_encode("tlb:tlb_flush", &ev))
		fail_msg("tlb:tlb_flush: %s", ev.why);
	assert_int_equal(ev.kind, CTR_TRACEPOINT);
	assert_int_equal(ev.attr.type, PERF_TYPE_TRACEPOINT);
	assert_int_equal(ctr_tracepoint_id("tlb", "tlb_flush", &id), 0);
	assert_int_equal(ev.attr.config, id);
	/* Tracepoints ignore :u / :k (they fire in the kernel). */
	assert_int_equal(ctr_encode("tlb:tlb_flush:u", &ev), 0);
	assert_false(ev.attr.exclude_kernel);
	assert_non_null(strstr(ev.note, "ignored"));
	assert_int_not_equal(ctr_encode("tlb:no_such_tracepoint", &ev), 0);
	assert_non_null(strstr(ev.why, "No such file"));
	/* The lookups leave tracefs mounted or not, as they found it. */
	assert_int_equal(!access(tp, F_OK), mounted);
}

static void test_expand(void **unused)
{
	struct ctr_spec specs[CTR_MAX_EVENTS];
	char why[128];
	int n;

	(void)unused;
	assert_int_equal(ctr_expand("", CTR_VENDOR_INTEL, true, specs, 8, why,
				    sizeof(why)),
			 -1);
	assert_int_equal(ctr_expand("a,,b", CTR_VENDOR_INTEL, true, specs, 8,
				    why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(ctr_expand("a,b,c", CTR_VENDOR_INTEL, true, specs, 2,
				    why, sizeof(why)),
			 -1);
	/* Duplicates collapse; order is kept. */
	n = ctr_expand("page-faults,hvo,page-faults", CTR_VENDOR_AMD, true,
		       specs, CTR_MAX_EVENTS, why, sizeof(why));
	assert_true(n > 8);
	assert_string_equal(specs[0].label, "page-faults");
	for (int i = 1; i < n; i++)
		assert_string_not_equal(specs[i].label, "page-faults");
	bool recv = false, sw = false;

	for (int i = 0; i < n; i++) {
		recv |= !strcmp(specs[i].label,
				"irq_vectors:call_function_single_entry@all");
		sw |= !strcmp(specs[i].label, "tlb:tlb_flush@all");
	}
	assert_true(recv && sw);
	/* arm64 has no irq_vectors: the generic ipi:ipi_entry instead. */
	n = ctr_expand("hvo", CTR_VENDOR_ARM64, false, specs, CTR_MAX_EVENTS,
		       why, sizeof(why));
	recv = false;
	for (int i = 0; i < n; i++) {
		assert_null(strstr(specs[i].label, "irq_vectors"));
		recv |= !strcmp(specs[i].label, "ipi:ipi_entry@all");
	}
	assert_true(recv);
}

int main(void)
{
	/* Before libpfm's first initialization. */
	setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_arm64_preset),
		cmocka_unit_test(test_amd_preset),
		cmocka_unit_test(test_intel_preset),
		cmocka_unit_test(test_generic_and_software),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_tracepoint),
		cmocka_unit_test(test_expand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
