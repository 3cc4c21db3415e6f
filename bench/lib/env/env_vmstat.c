// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/vmstat deltas per benchmark row: the counters that show what HVO
 * and hugetlb did (vmemmap pages freed, buddy allocations, THP, compaction,
 * TLB flushes where the kernel counts them).
 *
 * vmstat is system-wide and per-CPU differentials are folded lazily, so a
 * delta includes other processes' work and may lag by a few pages; it is
 * evidence of direction and size, not an exact per-benchmark count.
 */
#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const prefixes[] = {
	"nr_memmap", "htlb_",	"hugetlb",    "thp_", "compact_",
	"nr_tlb_",   "pgfault", "pgmajfault", NULL,
};

bool env_vmstat_relevant(const char *name)
{
	for (const char *const *p = prefixes; *p; p++)
		if (!strncmp(name, *p, strlen(*p)))
			return true;
	return false;
}

/* One read() and a hand parser (the kernel's side costs ~50 us here). */
int env_vmstat_read(const char *path, struct env_vmstat *s)
{
	static char buf[32768];
	int fd = open(path ? path : "/proc/vmstat", O_RDONLY | O_CLOEXEC);
	ssize_t len = 0, got;
	char *p, *end;

	s->n = 0;
	if (fd < 0)
		return -errno;
	while ((got = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += got;
	if (got < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	close(fd);
	buf[len] = '\0';
	for (p = buf, end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *sp = memchr(p, ' ', (size_t)((nl ? nl : end) - p));
		size_t nlen = sp ? (size_t)(sp - p) : 0;

		if (!nl)
			nl = end;
		if (sp && nlen < sizeof(s->name[0]) && s->n < ENV_VMSTAT_MAX) {
			memcpy(s->name[s->n], p, nlen);
			s->name[s->n][nlen] = '\0';
			if (env_vmstat_relevant(s->name[s->n]))
				s->value[s->n++] = strtoull(sp + 1, NULL, 10);
		}
		p = nl + 1;
	}
	return 0;
}

static int find(const struct env_vmstat *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return i;
	return -1;
}

void env_vmstat_add_delta(struct env_vmstat *acc,
			  const struct env_vmstat *before,
			  const struct env_vmstat *after)
{
	for (int i = 0; i < after->n; i++) {
		int b = find(before, after->name[i]), a;

		if (b < 0)
			continue;
		a = find(acc, after->name[i]);
		if (a < 0) {
			if (acc->n == ENV_VMSTAT_MAX)
				continue;
			a = acc->n++;
			snprintf(acc->name[a], sizeof(acc->name[0]), "%s",
				 after->name[i]);
			acc->value[a] = 0;
		}
		/* Unsigned wrap-around keeps signed deltas exact. */
		acc->value[a] += after->value[i] - before->value[b];
	}
}

json_t *env_vmstat_json(const struct env_vmstat *d)
{
	json_t *o = json_object();

	for (int i = 0; i < d->n; i++)
		if (d->value[i])
			json_object_set_new(
				o, d->name[i],
				json_integer((json_int_t)(int64_t)d->value[i]));
	return o;
}
