// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb-scan - check every struct page of every HugeTLB folio, through
 * /proc/kpageflags, when the pool is quiet (no allocation or free running).
 *
 * A HugeTLB folio must read as one page with KPF_COMPOUND_HEAD|KPF_HUGE
 * followed by exactly (folio size / base page size - 1) pages with
 * KPF_COMPOUND_TAIL|KPF_HUGE, its size one of the hstates in
 * /sys/kernel/mm/hugepages.  A vmemmap remap or rollback that writes the
 * wrong struct page contents (a head overwritten by a tail, a tail left
 * looking like a head after restore) breaks that shape, and a per-size
 * count of folios that differs from the hstate's nr_hugepages shows a folio
 * the pool lost or gained.
 *
 * usage: hugetlb-scan [--heads N]
 * --heads N: print the physical addresses of up to N HugeTLB folio heads,
 * picked at random, one a line, and nothing else (for soft_offline_page).
 * Otherwise prints "hugetlb-scan: pfns=N folios=SIZE:COUNT/POOL,... bad_runs=N
 * orphan_tails=N hwpoison=N" and, for the first problems, one line each;
 * exits 0 when consistent, 1 when not, 2 on bad usage or an unreadable file.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HUGE	  17
#define KPF_HWPOISON	  19
#define HSTATES_DIR	  "/sys/kernel/mm/hugepages"
#define MAX_HSTATES	  8
#define MAX_REPORTS	  5
#define CHUNK		  65536

struct hstate_count {
	unsigned long kb;
	unsigned long pages; /* base pages per folio */
	unsigned long pool;  /* nr_hugepages */
	unsigned long found;
};

static struct hstate_count hs[MAX_HSTATES];
static int nr_hs;
static unsigned long reports;
static unsigned long want_heads, nr_heads_seen;
static unsigned long heads_out[64];

static void report(const char *fmt, unsigned long a, unsigned long b)
{
	if (reports++ < MAX_REPORTS) {
		printf("hugetlb-scan: ");
		printf(fmt, a, b);
		printf("\n");
	}
}

static int read_ulong(const char *path, unsigned long *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%lu", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static int load_hstates(unsigned long page_kb)
{
	DIR *d = opendir(HSTATES_DIR);
	struct dirent *e;
	char path[512];

	if (!d) {
		fprintf(stderr, "hugetlb-scan: %s: %s\n", HSTATES_DIR,
			strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) && nr_hs < MAX_HSTATES) {
		unsigned long kb;

		if (sscanf(e->d_name, "hugepages-%lukB", &kb) != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/nr_hugepages", HSTATES_DIR,
			 e->d_name);
		hs[nr_hs].kb = kb;
		hs[nr_hs].pages = kb / page_kb;
		if (read_ulong(path, &hs[nr_hs].pool))
			continue;
		nr_hs++;
	}
	closedir(d);
	return 0;
}

static struct hstate_count *hstate_of(unsigned long pages)
{
	for (int i = 0; i < nr_hs; i++)
		if (hs[i].pages == pages)
			return &hs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static uint64_t buf[CHUNK];
	unsigned long page_kb = (unsigned long)sysconf(_SC_PAGESIZE) / 1024;
	unsigned long pfn = 0, head = 0, run = 0, bad_runs = 0, orphans = 0,
		      hwpoison = 0;
	int in_run = 0, fd, rc = 0;
	ssize_t n;

	if (argc == 3 && !strcmp(argv[1], "--heads")) {
		char *end;

		want_heads = strtoul(argv[2], &end, 10);
		if (*end || !want_heads || want_heads > 64) {
			fprintf(stderr,
				"hugetlb-scan: --heads wants 1..64, got '%s'\n",
				argv[2]);
			return 2;
		}
		srandom((unsigned int)getpid());
	} else if (argc != 1) {
		fprintf(stderr, "usage: hugetlb-scan [--heads N]\n");
		return 2;
	}
	if (load_hstates(page_kb))
		return 2;
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "hugetlb-scan: /proc/kpageflags: %s\n",
			strerror(errno));
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n / 8; i++, pfn++) {
			uint64_t f = buf[i];
			int huge = !!(f & (1ULL << KPF_HUGE));
			int htail = huge && (f & (1ULL << KPF_COMPOUND_TAIL));

			if (f & (1ULL << KPF_HWPOISON))
				hwpoison++;
			if (in_run && htail) {
				run++;
				continue;
			}
			if (in_run) { /* the run ended: is it a whole folio? */
				struct hstate_count *h = hstate_of(run);

				if (h) {
					h->found++;
				} else {
					bad_runs++;
					report("bad run: head pfn %#lx spans "
					       "%lu pages",
					       head, run);
				}
				in_run = 0;
			}
			if (huge && (f & (1ULL << KPF_COMPOUND_HEAD))) {
				/* reservoir sampling of want_heads heads */
				unsigned long k = nr_heads_seen++;

				if (k < want_heads)
					heads_out[k] = pfn;
				else if ((k = (unsigned long)random() %
					      (k + 1)) < want_heads)
					heads_out[k] = pfn;
				in_run = 1;
				head = pfn;
				run = 1;
			} else if (htail) {
				orphans++;
				report("orphan tail: pfn %#lx has no HugeTLB "
				       "head before it (flags %#lx)",
				       pfn, (unsigned long)f);
			}
		}
	}
	if (n < 0) {
		fprintf(stderr, "hugetlb-scan: read /proc/kpageflags: %s\n",
			strerror(errno));
		close(fd);
		return 2;
	}
	close(fd);
	if (in_run) {
		struct hstate_count *h = hstate_of(run);

		if (h)
			h->found++;
		else
			bad_runs++;
	}
	if (want_heads) {
		for (unsigned long k = 0; k < want_heads && k < nr_heads_seen;
		     k++)
			printf("%#lx\n", heads_out[k] * page_kb * 1024);
		return 0;
	}
	printf("hugetlb-scan: pfns=%lu folios=", pfn);
	for (int i = 0; i < nr_hs; i++) {
		printf("%s%luk:%lu/%lu", i ? "," : "", hs[i].kb, hs[i].found,
		       hs[i].pool);
		if (hs[i].found != hs[i].pool)
			rc = 1;
	}
	printf(" bad_runs=%lu orphan_tails=%lu hwpoison=%lu\n", bad_runs,
	       orphans, hwpoison);
	if (bad_runs || orphans)
		rc = 1;
	return rc;
}
