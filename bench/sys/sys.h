/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/sys: control of global kernel state (hugetlb pools, HVO, THP,
 * overcommit, compaction) with a journal so the machine is left as found.
 *
 * Every write goes through sys_set(): the first time a path is written its
 * original value is appended to the journal (fsync'd) before the write.
 * sys_restore() puts every journalled value back; it runs at normal exit,
 * on error, on SIGINT/SIGTERM/SIGHUP/SIGABRT, and at the next start after
 * a SIGKILL (sys_recover()).  One run at a time holds the lock.
 *
 * This module knows nothing about timing.
 */
#ifndef HVOBENCH_SYS_H
#define HVOBENCH_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_state;

/* Journal/lock directory: $HVOBENCH_STATE_DIR or /var/lib/hvobench. */
const char *sys_state_dir(void);

/* Take the lock, restore a stale journal, install handlers. 0 or -errno. */
int sys_begin(void);
/* Restore everything journalled, drop the journal and the lock. */
int sys_end(void);
/* Restore a journal left by a killed run (no lock needed by caller). */
int sys_recover(void);

/* Journalled write of a sysfs/procfs file; reads are plain. 0 or -errno. */
int sys_set(const char *path, const char *value);
int sys_set_u64(const char *path, uint64_t value);
int sys_get(const char *path, char *buf, size_t len);
int sys_get_u64(const char *path, uint64_t *value);

/* /proc/meminfo field in bytes (e.g. "MemAvailable"), or -errno. */
int sys_meminfo(const char *field, uint64_t *bytes);
/* /proc/vmstat field, or -errno (-ENOENT when the kernel lacks it). */
int sys_vmstat(const char *field, uint64_t *value);

/* Bytes that pools must leave in MemAvailable (--safety-margin). */
uint64_t sys_safety_margin(void);

/* ---- hugetlb ---------------------------------------------------------- */

/* Huge page sizes (kB) the kernel offers, ascending; returns the count. */
int hugetlb_sizes(uint64_t *kb, int max);
bool hugetlb_size_present(uint64_t kb);
/* Parse "2M", "1G", "2048kB" -> kB; 0 on error. */
uint64_t hugetlb_parse_size(const char *s);

/*
 * Pool field ("nr_hugepages", "free_hugepages", "resv_hugepages",
 * "surplus_hugepages", "nr_overcommit_hugepages") for size kb, node -1
 * for global.
 */
int hugetlb_pool_get(uint64_t kb, int node, const char *field,
		     uint64_t *value);
/*
 * Set nr_hugepages (journalled).  Refuses (-ENOMEM, message) growth
 * beyond MemAvailable minus the safety margin.  *got receives what the
 * kernel actually gave (partial success is data, not an error).
 */
int hugetlb_pool_set(uint64_t kb, int node, uint64_t nr, uint64_t *got);
int hugetlb_overcommit_set(uint64_t kb, uint64_t nr);

/* vm.hugetlb_optimize_vmemmap: -ENOENT when the kernel lacks HVO. */
bool hvo_available(void);
int hvo_get(bool *on);
int hvo_set(bool on);

/* Requirement check for a benchmark's "size" parameter (bench_reqs.check). */
int hugetlb_check_size(const struct bench_state *st, char *why, size_t len);
/* Root and hugetlb sysfs writable. */
int sys_check_root(const struct bench_state *st, char *why, size_t len);

#endif
