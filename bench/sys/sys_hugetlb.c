// SPDX-License-Identifier: GPL-2.0
/* hugetlb pools, HVO, THP and compaction through the journalled writes. */
#include "bench.h"
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HUGEPAGES_DIR "/sys/kernel/mm/hugepages"
#define HVO_PATH      "/proc/sys/vm/hugetlb_optimize_vmemmap"
#define MIB	      (1024.0 * 1024.0)

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int hugetlb_sizes(uint64_t *kb, int max)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	dir = opendir(HUGEPAGES_DIR);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		unsigned long long v;
		char tail[4];

		if (sscanf(d->d_name, "hugepages-%llu%3s", &v, tail) == 2 &&
		    !strcmp(tail, "kB"))
			kb[n++] = v;
	}
	closedir(dir);
	qsort(kb, (size_t)n, sizeof(*kb), cmp_u64);
	return n;
}

int hugetlb_path(char *buf, size_t len, uint64_t kb, int node,
		 const char *field)
{
	int n;

	if (node < 0)
		n = snprintf(buf, len,
			     HUGEPAGES_DIR "/hugepages-%" PRIu64 "kB/%s", kb,
			     field);
	else
		n = snprintf(buf, len,
			     "/sys/devices/system/node/node%d/hugepages/"
			     "hugepages-%" PRIu64 "kB/%s",
			     node, kb, field);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

bool hugetlb_size_present(uint64_t kb)
{
	char p[256];

	return !hugetlb_path(p, sizeof(p), kb, -1, "nr_hugepages") &&
	       !access(p, F_OK);
}

int hugetlb_pool_get(uint64_t kb, int node, const char *field, uint64_t *value)
{
	char p[256];
	int ret = hugetlb_path(p, sizeof(p), kb, node, field);

	return ret ? ret : sys_get_u64(p, value);
}

/* Memory check for asking the kernel for `more` bytes of huge pages. */
static int check_bytes(uint64_t more, char *why, size_t len, const char *what)
{
	uint64_t avail = 0, margin = sys_safety_margin();
	int ret = sys_meminfo("MemAvailable", &avail);

	if (ret) {
		snprintf(why, len, "cannot read MemAvailable: %s",
			 strerror(-ret));
		return ret;
	}
	if (more > avail || avail - more < margin) {
		snprintf(why, len,
			 "%s needs %.0f MiB but MemAvailable is %.0f MiB "
			 "and the safety margin is %.0f MiB "
			 "(--safety-margin)",
			 what, more / MIB, avail / MIB, margin / MIB);
		return -ENOMEM;
	}
	return 0;
}

int hugetlb_pool_check(uint64_t kb, uint64_t nr, char *why, size_t len)
{
	char what[128], sz[16];
	uint64_t cur = 0;
	int ret = hugetlb_pool_get(kb, -1, "nr_hugepages", &cur);

	if (ret) {
		snprintf(why, len, "cannot read the %s pool: %s",
			 sys_size_str(kb, sz, sizeof(sz)), strerror(-ret));
		return ret;
	}
	if (nr <= cur)
		return 0;
	snprintf(what, sizeof(what),
		 "growing the %s pool from %" PRIu64 " to %" PRIu64 " pages",
		 sys_size_str(kb, sz, sizeof(sz)), cur, nr);
	return check_bytes((nr - cur) * kb * 1024, why, len, what);
}

int hugetlb_pool_set(uint64_t kb, int node, uint64_t nr, uint64_t *got)
{
	char p[256], why[BENCH_MAX_REASON];
	int ret;

	ret = hugetlb_path(p, sizeof(p), kb, node, "nr_hugepages");
	if (ret)
		return ret;
	ret = hugetlb_pool_check(kb, nr, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "hvobench: refusing: %s\n", why);
		return ret;
	}
	ret = sys_set_u64(p, nr);
	/* Partial success is data: the caller compares *got with nr. */
	if (ret && ret != -ENOMEM)
		return ret;
	return hugetlb_pool_get(kb, node, "nr_hugepages", got);
}

int hugetlb_overcommit_set(uint64_t kb, uint64_t nr)
{
	char p[256], why[BENCH_MAX_REASON], what[128], sz[16];
	int ret;

	ret = hugetlb_path(p, sizeof(p), kb, -1, "nr_overcommit_hugepages");
	if (ret)
		return ret;
	snprintf(what, sizeof(what), "allowing %" PRIu64 " surplus %s pages",
		 nr, sys_size_str(kb, sz, sizeof(sz)));
	ret = check_bytes(nr * kb * 1024, why, sizeof(why), what);
	if (ret) {
		fprintf(stderr, "hvobench: refusing: %s\n", why);
		return ret;
	}
	return sys_set_u64(p, nr);
}

/* Journal one pool file of size kb before an action changes it. */
static int journal_pool(uint64_t kb, const char *field)
{
	char q[256];
	int ret = hugetlb_path(q, sizeof(q), kb, -1, field);

	return ret ? ret : sys_journal_path(q);
}

int hugetlb_demote(uint64_t kb, uint64_t target_kb, uint64_t n)
{
	char p[256], q[256], v[32];
	int fd, ret;
	ssize_t w;

	ret = hugetlb_path(p, sizeof(p), kb, -1, "demote");
	if (!ret)
		ret = hugetlb_path(q, sizeof(q), kb, -1, "demote_size");
	if (ret)
		return ret;
	if (access(p, W_OK))
		return -errno;
	/* Demotion moves pages between pools: journal both first. */
	ret = journal_pool(kb, "nr_hugepages");
	if (!ret)
		ret = journal_pool(target_kb, "nr_hugepages");
	if (ret)
		return ret;
	snprintf(v, sizeof(v), "%" PRIu64 "kB", target_kb);
	ret = sys_set(q, v);
	if (ret)
		return ret;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(v, sizeof(v), "%" PRIu64, n);
	w = write(fd, v, strlen(v));
	ret = w < 0 ? -errno : 0;
	close(fd);
	return ret;
}

bool hvo_available(void)
{
	return !access(HVO_PATH, F_OK);
}

int hvo_get(bool *on)
{
	uint64_t v;
	int ret = sys_get_u64(HVO_PATH, &v);

	if (ret)
		return ret;
	*on = v != 0;
	return 0;
}

int hvo_set(bool on)
{
	if (!hvo_available())
		return -ENOENT;
	return sys_set(HVO_PATH, on ? "1" : "0");
}

int sys_thp_set(const char *field, const char *value)
{
	char p[256];

	snprintf(p, sizeof(p), "/sys/kernel/mm/transparent_hugepage/%s", field);
	return sys_set(p, value);
}

int sys_compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "1", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

int hugetlb_check_size(const struct bench_state *st, char *why, size_t len)
{
	const char *s;
	uint64_t kb;

	if (!bench_has_arg(st, "size")) {
		snprintf(why, len, "benchmark has no size parameter");
		return 1;
	}
	s = bench_arg_str(st, "size");
	kb = hugetlb_parse_size(s);
	if (!kb) {
		snprintf(why, len, "bad huge page size '%s'", s);
		return 1;
	}
	if (!hugetlb_size_present(kb)) {
		snprintf(why, len,
			 "huge page size %s not offered by this kernel "
			 "(no " HUGEPAGES_DIR "/hugepages-%" PRIu64 "kB)",
			 s, kb);
		return 1;
	}
	return 0;
}

int sys_check_root(const struct bench_state *st, char *why, size_t len)
{
	(void)st;
	if (geteuid() != 0) {
		snprintf(why, len, "needs root (changes hugetlb sysctls)");
		return 1;
	}
	if (access(HUGEPAGES_DIR, F_OK)) {
		snprintf(why, len, "no hugetlb (" HUGEPAGES_DIR ": %s)",
			 strerror(errno));
		return 1;
	}
	if (!sys_active()) {
		snprintf(why, len,
			 "no kernel-state session (lock/journal unavailable)");
		return 1;
	}
	return 0;
}
