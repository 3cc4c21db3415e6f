// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb-poison - hard memory failure (MADV_HWPOISON) of one base page of
 * a mapped private 2M HugeTLB page, round after round.  memory_failure()
 * cannot set the flag in the struct page of a tail of an HVO-optimized
 * folio (its vmemmap page is shared and read-only): it keeps the raw page
 * on the folio's list, and when the folio is freed the vmemmap is restored
 * and the flag moved to the raw page.  So each round goes through the
 * restore of a poisoned folio.
 *
 * usage: hugetlb-poison ROUNDS
 * Each round a child maps a private 2M page, fills it, reports the PFN of
 * its page k (k = 1 + round % 511, a tail) and poisons it; the kernel
 * kills it with SIGBUS (action required) or madvise returns.  After the
 * child is gone the parent checks that the raw page is marked poisoned in
 * /proc/kpageflags.  Prints "hugetlb-poison: rounds=N poisoned=N sigbus=N
 * flagged=N nomem=N errors=N"; exits 0 when pages were poisoned without
 * error, 1 on errors, 2 on bad usage, 4 when nothing could be poisoned
 * (no 2M page, or MADV_HWPOISON refused: no CONFIG_MEMORY_FAILURE).
 * Refuses to run (exit 2) where the kernel command line has no
 * hvo.events=: poisoned memory is lost until the next boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HPAGE	     (2UL << 20)
#define PAGE	     4096UL
#define KPF_HWPOISON (1ULL << 19)
#define PM_PFN_MASK  ((1ULL << 55) - 1)

enum {
	CHILD_POISONED = 0,
	CHILD_NOMEM = 3,
	CHILD_REFUSED = 5,
	CHILD_ERROR = 6
};

static uint64_t read_u64(const char *path, uint64_t index)
{
	uint64_t v = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &v, sizeof(v), index * sizeof(v)) != sizeof(v))
		v = 0;
	close(fd);
	return v;
}

/*
 * MADV_HWPOISON takes memory away for good: only in the matrix's guests.
 * hvo.ctl=poison-neighbour (a negative control of this check) looks for
 * the flag on the page after the poisoned one, which must then fail.
 */
static int neighbour;

static int in_matrix_guest(void)
{
	char buf[4096] = "";
	int fd = open("/proc/cmdline", O_RDONLY);

	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	neighbour = strstr(buf, "hvo.ctl=poison-neighbour") != NULL;
	return strstr(buf, "hvo.events=") != NULL;
}

static int child(unsigned long k, int wfd)
{
	unsigned char *p =
		mmap(NULL, HPAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	uint64_t pfn;

	if (p == MAP_FAILED)
		return CHILD_NOMEM;
	memset(p, 0x5a, HPAGE);
	pfn = read_u64("/proc/self/pagemap", (uintptr_t)(p + k * PAGE) / PAGE) &
	      PM_PFN_MASK;
	if (write(wfd, &pfn, sizeof(pfn)) != sizeof(pfn))
		return CHILD_ERROR;
	if (madvise(p + k * PAGE, PAGE, MADV_HWPOISON))
		return errno == EINVAL || errno == EPERM ? CHILD_REFUSED
							 : CHILD_ERROR;
	return CHILD_POISONED;
}

int main(int argc, char **argv)
{
	unsigned long rounds, poisoned = 0, sigbus = 0, flagged = 0, nomem = 0,
			      errors = 0, refused = 0;
	char *tail;

	if (argc != 2 || (rounds = strtoul(argv[1], &tail, 10)) == 0 || *tail) {
		fprintf(stderr, "usage: hugetlb-poison ROUNDS\n");
		return 2;
	}
	if (!in_matrix_guest()) {
		fprintf(stderr, "hugetlb-poison: refusing to run outside a "
				"kernel matrix guest "
				"(no hvo.events= in /proc/cmdline): poisoned "
				"memory is lost until reboot\n");
		return 2;
	}
	for (unsigned long r = 0; r < rounds; r++) {
		uint64_t pfn = 0;
		int pfd[2], status;
		pid_t pid;

		if (pipe(pfd)) {
			errors++;
			break;
		}
		pid = fork();
		if (pid == 0) {
			close(pfd[0]);
			_exit(child(1 + r % 511, pfd[1]));
		}
		close(pfd[1]);
		if (pid < 0 || read(pfd[0], &pfn, sizeof(pfn)) < 0)
			pfn = 0;
		close(pfd[0]);
		if (pfn && neighbour)
			pfn++;
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			errors++;
			continue;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_NOMEM) {
			nomem++;
			usleep(100000);
			continue;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_REFUSED) {
			refused++;
			continue;
		}
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
			sigbus++;
		} else if (!WIFEXITED(status) ||
			   WEXITSTATUS(status) != CHILD_POISONED) {
			errors++;
			continue;
		}
		poisoned++;
		/* The folio was freed with the child: its raw page keeps the flag. */
		for (int i = 0; i < 20 && pfn; i++) {
			if (read_u64("/proc/kpageflags", pfn) & KPF_HWPOISON) {
				flagged++;
				break;
			}
			usleep(50000);
		}
		if (!pfn ||
		    !(read_u64("/proc/kpageflags", pfn) & KPF_HWPOISON)) {
			fprintf(stderr,
				"hugetlb-poison: pfn %#llx not marked "
				"poisoned\n",
				(unsigned long long)pfn);
			errors++;
		}
	}
	printf("hugetlb-poison: rounds=%lu poisoned=%lu sigbus=%lu flagged=%lu "
	       "nomem=%lu "
	       "refused=%lu errors=%lu\n",
	       rounds, poisoned, sigbus, flagged, nomem, refused, errors);
	if (errors)
		return 1;
	return poisoned ? 0 : 4;
}
