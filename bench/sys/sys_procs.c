// SPDX-License-Identifier: GPL-2.0
/*
 * Who is still there after a run was killed: processes holding a lock
 * file open, and processes with hugetlb memory mapped (whose pages the
 * pool cannot give back until they exit).  Reads /proc only.
 */
#include "sys.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool sys_proc_holds(long pid, const struct stat *file)
{
	char dir[64], link[320];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%ld/fd", pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		struct stat st;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		found = !stat(link, &st) && st.st_dev == file->st_dev &&
			st.st_ino == file->st_ino;
	}
	closedir(d);
	return found;
}

/* Calls fn for every pid in /proc; stops when fn returns non-zero. */
static void each_pid(int (*fn)(long pid, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]) &&
		    fn(strtol(e->d_name, NULL, 10), arg))
			break;
	closedir(d);
}

struct list {
	char *buf;
	size_t len, used;
	const struct stat *file;
};

static void append(struct list *l, const char *fmt, long pid, long kb)
{
	char comm[64] = "?", path[64];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	if (l->used >= l->len)
		return;
	n = snprintf(l->buf + l->used, l->len - l->used, fmt,
		     l->used ? ", " : "", pid, comm, kb);
	if (n > 0)
		l->used += (size_t)n;
}

static int add_holder(long pid, void *arg)
{
	struct list *l = arg;

	if (sys_proc_holds(pid, l->file))
		append(l, "%s%ld (%s)", pid, 0);
	return 0;
}

int sys_procs_holding(const struct stat *file, char *buf, size_t len)
{
	struct list l = {buf, len, 0, file};

	buf[0] = '\0';
	each_pid(add_holder, &l);
	return l.used ? 1 : 0;
}

static int add_hugetlb(long pid, void *arg)
{
	char path[64], line[128];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HugetlbPages: %ld kB", &kb) == 1)
			break;
	fclose(f);
	if (kb > 0)
		append(arg, "%s%ld (%s) %ld kB", pid, kb);
	return 0;
}

int sys_procs_hugetlb(char *buf, size_t len)
{
	struct list l = {buf, len, 0, NULL};

	buf[0] = '\0';
	each_pid(add_hugetlb, &l);
	return l.used ? 1 : 0;
}
