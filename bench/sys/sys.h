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
#include <sys/types.h>

struct bench_state;

/*
 * Journal/lock directory: --state-dir, $HVOBENCH_STATE_DIR or
 * /var/lib/hvobench.  Kernel state is shared whatever the directory: a
 * session in another directory also takes /var/lib/hvobench/lock before
 * its first write under /proc or /sys (or uses that lock when an fd
 * inherited from its caller already holds it, as the tests' flock does);
 * if another run holds it, the write fails with -EBUSY and one message.
 */
const char *sys_state_dir(void);

/* Override the state directory (--state-dir); call before sys_begin. */
void sys_set_state_dir(const char *dir);

/*
 * --state-dir and --safety-margin for a command's option table (opt.h):
 * every command that takes them shares these lines.
 */
int sys_option(const char *name, const char *value);
#define SYS_STATE_DIR_OPT                                                      \
	{                                                                      \
		"state-dir", "DIR",                                            \
			"lock and journal directory\n"                         \
			"(default $HVOBENCH_STATE_DIR or /var/lib/hvobench)",  \
			.set = sys_option                                      \
	}
#define SYS_SESSION_OPTS                                                       \
	{"safety-margin", "SIZE",                                              \
	 "memory pools must leave in MemAvailable\n"                           \
	 "(default max(2G, MemTotal/8))",                                      \
	 .set = sys_option},                                                   \
		SYS_STATE_DIR_OPT

/*
 * Take the lock, restore a stale journal, install handlers. 0 or -errno;
 * -EBUSY (with one message line) when another run holds the lock.
 */
int sys_begin(void);
/* Restore everything journalled, drop the journal and the lock. */
int sys_end(void);
/*
 * Restore a journal left by a killed run (no lock needed by caller).
 * Safe to call anytime: no journal, not root (one message line), or a
 * live run holding the lock all return 0 and change nothing.  Returns the
 * number of values restored, or -errno when some could not be (the
 * journal is then kept).
 */
int sys_recover(void);
/* True between a successful sys_begin() and sys_end(). */
bool sys_active(void);

/*
 * fork() for every child a benchmark (or command) starts: the child gets
 * SIGKILL when its parent dies (and exits at once if the parent is gone
 * already), and holds no lock, journal or restore duty of the session.
 * Children end with _exit().  Returns as fork().
 */
pid_t sys_fork(void);
/* In a child: close the session's fds, never restore (sys_fork does it). */
void sys_session_forget(void);

/*
 * How long recovery waits (default 30 s): for the leftovers of a killed
 * run to let go of its lock, and for the kernel to reach the journalled
 * values (pages still mapped by exiting processes are freed later, with
 * HVO in a kworker).  `restore --wait=S`.
 */
void sys_set_recover_wait(double seconds);

/*
 * Free blocks by order now, a new JSON object (json_t *):
 * {"buddyinfo": {"0/Normal": [...]}, "pagetypeinfo": {"0/Normal/Movable":
 * [...]}}, each null when unreadable (pagetypeinfo is root only).
 */
void *sys_free_pages_json(void);

/* ---- processes (from /proc) ------------------------------------------ */

struct stat;
/* Does process pid have the file open? */
bool sys_proc_holds(long pid, const struct stat *file);
/* "pid (comm), ..." of processes with the file open; 1 if any. */
int sys_procs_holding(const struct stat *file, char *buf, size_t len);
/* "pid (comm) N kB, ..." of processes with hugetlb pages mapped; 1 if any. */
int sys_procs_hugetlb(char *buf, size_t len);

/* Journalled write of a sysfs/procfs file; reads are plain. 0 or -errno. */
int sys_set(const char *path, const char *value);
int sys_set_u64(const char *path, uint64_t value);
/* Read a value, trimmed; "a [b] c" choices read as "b". */
int sys_get(const char *path, char *buf, size_t len);
int sys_get_u64(const char *path, uint64_t *value);

/* /proc/meminfo field in bytes (e.g. "MemAvailable"), or -errno. */
int sys_meminfo(const char *field, uint64_t *bytes);
/* /proc/vmstat field, or -errno (-ENOENT when the kernel lacks it). */
int sys_vmstat(const char *field, uint64_t *value);

/*
 * The kernel patch's vmemmap PMD-split counter (name, if not NULL, gets
 * its /proc/vmstat name): 0, or -ENOENT on a stock kernel.  vmstat: NULL
 * for /proc/vmstat (tests pass a file).
 */
int sys_vmemmap_splits(const char *vmstat, char *name, size_t len,
		       uint64_t *val);
/*
 * The vmemmap in the kernel's page-table dump: bytes mapped by PTEs and by
 * PMDs (-errno, -ENOENT without a dump), and of n PFNs the fraction whose
 * struct page is PMD-mapped now (-1 when the dump cannot tell: none, or
 * arm64, which offsets the vmemmap by the DRAM start).
 * sys_ptdump_paths() points the reader at other files (tests; NULL: the
 * debugfs ones).
 */
int sys_ptdump_vmemmap(uint64_t *pte, uint64_t *pmd);
double sys_ptdump_pmd_frac(const uint64_t *pfn, size_t n);
void sys_ptdump_paths(const char *x86, const char *arm);

/*
 * struct page memory in pages (/proc/vmstat nr_memmap_pages plus
 * nr_memmap_boot_pages); boot, if not NULL, gets the boot part.  HVO
 * lowers it by what it frees.  0, or -ENOENT on kernels without them.
 */
int sys_memmap_pages(uint64_t *total, uint64_t *boot);
/* vmemmap_basepages on the command line (NULL: /proc/cmdline): the
 * vmemmap is PTE-mapped from boot, HVO never splits a PMD. */
bool sys_vmemmap_basepages(const char *cmdline);

/*
 * The vmemmap "4k" regime, made once per process (sys_vmemmap_split.c):
 * the 2M pool grown with HVO on as far as the safety margin allows, which
 * splits the vmemmap PMDs under that memory until reboot; journalled like
 * every change, pool and HVO put back.  Regions are the 128 MiB of memory
 * one vmemmap PMD describes.
 */
#define SYS_VMEMMAP_REGION_SHIFT 15 /* in 4K pages */
struct sys_split {
	bool tried, done;
	char why[256];	     /* why it could not be done */
	uint64_t asked, got; /* 2M pages */
	int64_t optimized;   /* pages whose vmemmap HVO freed */
	uint64_t boot_freed; /* boot vmemmap pages freed: first splits */
	uint64_t heads;	     /* huge pages seen in kpageflags */
	uint8_t *covered;    /* per region: got an optimized page */
	uint64_t nregions, ncovered, nmem;
	char confirm[96]; /* how the split is known */
	double ms;
};
/* Split (the first call only) and the outcome. */
const struct sys_split *sys_vmemmap_split(void);
/* The outcome so far, without splitting. */
const struct sys_split *sys_vmemmap_split_state(void);
/*
 * Boot vmemmap pages freed since boot (an estimate from the memory
 * blocks: -ERANGE when it does not fit); HVO frees them only after
 * splitting the PMD they sat under.
 */
int sys_boot_memmap_freed(uint64_t *freed);

/*
 * Timed repeated writes: journal path now (before its first change) and
 * return an fd (or -errno); each sys_knob_write_u64 rewrites from offset 0.
 * The caller closes the fd.  Values are not safety-checked here: check
 * with hugetlb_pool_check() first.
 */
int sys_open_knob(const char *path);
int sys_knob_write_u64(int fd, uint64_t value);
/* Journal path without writing it (before an action that changes it). */
int sys_journal_path(const char *path);

/* Bytes that pools must leave in MemAvailable (--safety-margin). */
uint64_t sys_safety_margin(void);
/* Default: max(2 GiB, MemTotal / 8). */
void sys_set_safety_margin(uint64_t bytes);

/* "512M", "2G", "2048kB", "4096" (bytes) -> bytes; 0 or -EINVAL/-ERANGE. */
int sys_parse_size(const char *s, uint64_t *bytes);
/* kB -> "2M", "1G" (as in benchmark names). */
const char *sys_size_str(uint64_t kb, char *buf, size_t len);

/* THP sysfs setting (field "enabled", "defrag"), journalled. */
int sys_thp_set(const char *field, const char *value);
/* Trigger compaction of all zones (an action; nothing to restore). */
int sys_compact(void);

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
int hugetlb_pool_get(uint64_t kb, int node, const char *field, uint64_t *value);
/*
 * Set nr_hugepages (journalled).  Refuses (-ENOMEM, message) growth
 * beyond MemAvailable minus the safety margin.  *got receives what the
 * kernel actually gave (partial success is data, not an error).
 */
int hugetlb_pool_set(uint64_t kb, int node, uint64_t nr, uint64_t *got);
int hugetlb_overcommit_set(uint64_t kb, uint64_t nr);
/*
 * Would growing the pool of size kb from its current size to nr pages
 * (or allowing nr overcommitted pages) stay within MemAvailable minus the
 * safety margin?  0, or -ENOMEM with the reason in why.
 */
int hugetlb_pool_check(uint64_t kb, uint64_t nr, char *why, size_t len);
/* Sysfs path of a pool file (node -1: global). */
int hugetlb_path(char *buf, size_t len, uint64_t kb, int node,
		 const char *field);
/*
 * Demote n pages of size kb to target_kb (journals demote_size and both
 * pools first).  -ENOENT when the kernel has no demote interface.
 */
int hugetlb_demote(uint64_t kb, uint64_t target_kb, uint64_t n);

/* vm.hugetlb_optimize_vmemmap: -ENOENT when the kernel lacks HVO. */
bool hvo_available(void);
int hvo_get(bool *on);
int hvo_set(bool on);

/* Requirement check for a benchmark's "size" parameter (bench_reqs.check). */
int hugetlb_check_size(const struct bench_state *st, char *why, size_t len);
/* Root and hugetlb sysfs writable (and a session when root). */
int sys_check_root(const struct bench_state *st, char *why, size_t len);

#endif
