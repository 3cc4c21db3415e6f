/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state journal: original values of every file hvobench wrote, so
 * they can be put back after any exit, including SIGKILL.
 *
 * On disk (sys_state_dir()/journal), one header line then one line per
 * file, appended and fsync'd BEFORE the first write to that file:
 *
 *	hvobench-journal 1 pid=1234 boot=<boot_id>
 *	/proc/sys/vm/hugetlb_optimize_vmemmap<TAB>0
 *	/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages<TAB>0
 *
 * A torn last line (power loss mid-append) has no newline and is ignored:
 * its write had not happened yet.  Restore goes in reverse order, so a
 * pool is shrunk before the HVO setting it was grown under is put back.
 *
 * Everything here that runs in a signal handler uses only open, read,
 * write, close, unlink and nanosleep on precomputed data.
 */
#ifndef HVOBENCH_JOURNAL_H
#define HVOBENCH_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#define JOURNAL_MAX	 64
#define JOURNAL_PATH_MAX 256
#define JOURNAL_VAL_MAX	 128
#define JOURNAL_MAGIC	 "hvobench-journal 1"

struct journal_entry {
	char path[JOURNAL_PATH_MAX];
	char value[JOURNAL_VAL_MAX];
	size_t vlen;
};

/* Normalize a value as read: trim whitespace, keep "[x]" of a choice. */
void journal_normalize(char *v);
/* One line "path\tvalue\n" into buf; -EINVAL if unrepresentable. */
int journal_format_entry(char *buf, size_t len, const char *path,
			 const char *value);
/*
 * Parse a journal file's text into e[0..max); returns the count, or
 * -EINVAL (bad header or line; first bad line number in *bad_line).
 */
int journal_parse(const char *text, size_t len, struct journal_entry *e,
		  int max, int *bad_line);
/* Read a whole journal file and parse it; -ENOENT when there is none. */
int journal_load(const char *file, struct journal_entry *e, int max);

/*
 * Write every entry back, last first, and check each by reading it back
 * (retrying briefly: freeing huge pages can be deferred to a kworker).
 * Async-signal-safe.  Returns the number of entries that did not verify;
 * with report, one line per failure goes to stderr.
 */
int journal_restore(const struct journal_entry *e, int n, bool report);

/* Async-signal-safe helpers used by the above. */
bool journal_value_matches(const char *path, const char *value, size_t vlen);
/* Write one entry's value back once; 0 or -1. */
int journal_put(const struct journal_entry *je);

#endif
