/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment record: everything about the machine and kernel that
 * decides how a number should be read (issue 3, section 3), put under
 * context.hvobench.env of every result, and printed by `hvobench env`.
 *
 * Read-only: nothing here writes kernel state.  A field that cannot be
 * read is recorded as null (or "unavailable" with the reason) rather than
 * left out, so a reader can tell "absent" from "forgot".
 */
#ifndef HVOBENCH_ENV_H
#define HVOBENCH_ENV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The whole record (a new object; the caller owns it). */
json_t *env_record(void);

/* Parts of it, each a new JSON value. */
json_t *env_kernel(void);
json_t *env_kconfig(void);
json_t *env_thp(void);
json_t *env_vm_sysctls(void);
json_t *env_perf(void);
json_t *env_cpu(void);
json_t *env_virt(void);
json_t *env_clock(void);
json_t *env_system(void); /* uptime, isolcpus, mitigations, libraries */

/*
 * Parts other modules add (bench/sys: "hugetlb", which bench/lib must not
 * read): env_record() calls each with the record once its own parts are
 * in, to add sections or fields.  At most ENV_PARTS_MAX.
 */
#define ENV_PARTS_MAX 8
typedef void (*env_part_fn)(json_t *record);
void env_part_register(env_part_fn fn);
#define ENV_PART_REGISTER(id, fn)                                              \
	__attribute__((constructor)) static void env_part_reg_##id(void)       \
	{                                                                      \
		env_part_register(fn);                                         \
	}

/*
 * Keep the relevant lines of a kernel .config (HUGETLB*, *VMEMMAP*,
 * GUP_TEST, PTDUMP*, TRANSPARENT_HUGEPAGE*, memory hotplug and a few that
 * change fault cost) into obj: "CONFIG_X": "y" | "m" | "n" | value.
 * Returns how many were kept.
 */
int env_kconfig_parse(FILE *f, json_t *obj);

/* ---- small readers (env_read.c) ------------------------------------ */

/* First line of a file without the newline; -errno on failure. */
int env_read_line(const char *path, char *buf, size_t len);
/* The file as a JSON string, or null when it cannot be read. */
json_t *env_file_str(const char *path);
/* The file as a JSON integer, or null. */
json_t *env_file_int(const char *path);
/* "always [madvise] never" -> "madvise"; null when unreadable. */
json_t *env_file_choice(const char *path);

/* ---- /proc/vmstat deltas per benchmark row (env_vmstat.c) ----------- */

#define ENV_VMSTAT_MAX 96

struct env_vmstat {
	int n;
	char name[ENV_VMSTAT_MAX][40];
	uint64_t value[ENV_VMSTAT_MAX];
};

/* True for the counters worth a delta (HVO, hugetlb, THP, compaction...). */
bool env_vmstat_relevant(const char *name);
/* Read the relevant fields of /proc/vmstat (path for tests).  0 or -errno. */
int env_vmstat_read(const char *path, struct env_vmstat *s);
/*
 * acc += after - before, field by field (by name; fields missing from
 * either side are skipped).
 */
void env_vmstat_add_delta(struct env_vmstat *acc,
			  const struct env_vmstat *before,
			  const struct env_vmstat *after);
/* The non-zero entries as a JSON object of signed deltas. */
json_t *env_vmstat_json(const struct env_vmstat *delta);

#endif
