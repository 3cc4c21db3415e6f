// SPDX-License-Identifier: GPL-2.0
/*
 * The environment record holds every field issue 3 asks for on this
 * machine; the kconfig filter and vmstat deltas on known inputs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "env/env.h"

/* A field by dotted path ("kernel.release"); fails when it is absent. */
static json_t *field(json_t *o, const char *path)
{
	char buf[256], *save = NULL;
	json_t *cur = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k;
	     k = strtok_r(NULL, ".", &save)) {
		cur = json_object_get(cur, k);
		if (!cur)
			fail_msg("env record lacks %s (at '%s')", path, k);
	}
	return cur;
}

static void test_every_field(void **unused)
{
	static const char *const must_be_set[] = {
		"suite.version",
		"suite.build_type",
		"kernel.release",
		"kernel.version",
		"kernel.cmdline",
		"kernel.aslr",
		"kconfig.source",
		"hugetlb.meminfo.MemAvailable_bytes",
		"thp.enabled",
		"thp.defrag",
		"vm.overcommit_memory",
		"perf.perf_event_paranoid",
		"perf.hardware_pmu.present",
		"cpu.model_name",
		"cpu.online",
		"virtualization.virtualized",
		"clock.clocksource",
		"clock.resolution_ns",
		"clock.timer_overhead_ns",
		NULL,
	};
	/* Present, but may be null where the machine lacks the feature. */
	static const char *const may_be_null[] = {
		"hugetlb.hugetlb_optimize_vmemmap",
		"hugetlb.nr_overcommit_hugepages",
		"cpu.cpufreq.governor",
		"virtualization.systemd_detect_virt",
		"virtualization.note",
		"cpu.midr_el1",
		NULL,
	};
	json_t *r = env_record(), *pools;

	(void)unused;
	for (const char *const *p = must_be_set; *p; p++)
		if (json_is_null(field(r, *p)))
			fail_msg("%s is null on this machine", *p);
	for (const char *const *p = may_be_null; *p; p++)
		field(r, *p);
#if defined(__x86_64__)
	field(r, "cpu.vendor");
	assert_true(json_is_integer(field(r, "cpu.family")));
	assert_true(json_is_integer(field(r, "cpu.model")));
	assert_true(json_is_integer(field(r, "cpu.stepping")));
	field(r, "cpu.microcode");
#endif
	/* Every huge page size: nr/free/resv/surplus/overcommit, per node. */
	pools = field(r, "hugetlb.pools");
	if (!access("/sys/kernel/mm/hugepages", F_OK))
		assert_true(json_array_size(pools) >= 1);
	for (size_t i = 0; i < json_array_size(pools); i++) {
		json_t *p = json_array_get(pools, i);

		assert_true(json_is_integer(field(p, "size_kb")));
		assert_true(json_is_integer(field(p, "nr_hugepages")));
		assert_true(json_is_integer(field(p, "free_hugepages")));
		assert_true(json_is_integer(field(p, "resv_hugepages")));
		assert_true(json_is_integer(field(p, "surplus_hugepages")));
		assert_true(
			json_is_integer(field(p, "nr_overcommit_hugepages")));
		assert_true(json_array_size(field(p, "nodes")) >= 1);
	}
	/* Virtualized: the record says TLB effects need bare metal. */
	if (json_is_true(field(r, "virtualization.virtualized")))
		assert_non_null(strstr(
			json_string_value(field(r, "virtualization.note")),
			"bare metal"));
	/* Kernel config: this machine has /proc/config.gz. */
	if (!access("/proc/config.gz", R_OK)) {
		assert_string_equal(
			json_string_value(field(r, "kconfig.source")),
			"/proc/config.gz");
		field(r, "kconfig.options.CONFIG_HUGETLB_PAGE");
	}
	/* The hardware PMU probe explains a "no". */
	if (json_is_false(field(r, "perf.hardware_pmu.present")))
		assert_true(json_is_string(field(r, "perf.hardware_pmu.why")));
	json_decref(r);
}

static void test_kconfig_parse(void **unused)
{
	const char *text = "CONFIG_HUGETLB_PAGE=y\n"
			   "# CONFIG_GUP_TEST is not set\n"
			   "CONFIG_SPARSEMEM_VMEMMAP=y\n"
			   "CONFIG_HZ=250\n"
			   "CONFIG_DEFAULT_HOSTNAME=\"(none)\"\n"
			   "CONFIG_USB=m\n"
			   "# CONFIG_USB_FOO is not set\n"
			   "CONFIG_PTDUMP_DEBUGFS=y\n"
			   "# a comment\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	json_t *o = json_object();

	(void)unused;
	assert_non_null(f);
	assert_int_equal(env_kconfig_parse(f, o), 5);
	fclose(f);
	assert_string_equal(
		json_string_value(json_object_get(o, "CONFIG_GUP_TEST")), "n");
	assert_string_equal(
		json_string_value(json_object_get(o, "CONFIG_HUGETLB_PAGE")),
		"y");
	assert_string_equal(json_string_value(json_object_get(o, "CONFIG_HZ")),
			    "250");
	assert_null(json_object_get(o, "CONFIG_USB"));
	assert_null(json_object_get(o, "CONFIG_USB_FOO"));
	json_decref(o);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_vmstat_delta(void **unused)
{
	char a[] = "/tmp/env_vmstat_a_XXXXXX", b[] = "/tmp/env_vmstat_b_XXXXXX";
	struct env_vmstat before, after, acc;
	json_t *d;

	(void)unused;
	close(mkstemp(a));
	close(mkstemp(b));
	write_file(a, "nr_free_pages 100\nnr_memmap_pages 5000\n"
		      "htlb_buddy_alloc_success 10\nthp_fault_alloc 3\n"
		      "pgfault 1000\nnr_tlb_remote_flush 7\n");
	write_file(b, "nr_free_pages 50\nnr_memmap_pages 4993\n"
		      "htlb_buddy_alloc_success 74\nthp_fault_alloc 3\n"
		      "pgfault 1100\nnr_tlb_remote_flush 9\ncompact_stall 1\n");
	assert_int_equal(env_vmstat_read(a, &before), 0);
	assert_int_equal(env_vmstat_read(b, &after), 0);
	memset(&acc, 0, sizeof(acc));
	env_vmstat_add_delta(&acc, &before, &after);
	env_vmstat_add_delta(&acc, &before, &after); /* two stretches */
	d = env_vmstat_json(&acc);
	/* HVO freed 7 vmemmap pages per stretch: a negative delta. */
	assert_int_equal(
		json_integer_value(json_object_get(d, "nr_memmap_pages")), -14);
	assert_int_equal(json_integer_value(json_object_get(
				 d, "htlb_buddy_alloc_success")),
			 128);
	assert_int_equal(json_integer_value(json_object_get(d, "pgfault")),
			 200);
	assert_int_equal(
		json_integer_value(json_object_get(d, "nr_tlb_remote_flush")),
		4);
	assert_null(json_object_get(d, "thp_fault_alloc")); /* zero: left out */
	assert_null(json_object_get(d, "nr_free_pages"));   /* not relevant */
	assert_null(json_object_get(d, "compact_stall"));   /* no "before" */
	json_decref(d);
	unlink(a);
	unlink(b);
	assert_int_equal(env_vmstat_read("/nonexistent/vmstat", &after),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_field),
		cmocka_unit_test(test_kconfig_parse),
		cmocka_unit_test(test_vmstat_delta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
