// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb-cow - copy-on-write of private HugeTLB pages, again and again:
 * each copy allocates a new folio (optimized by HVO, so its tail struct
 * pages are mapped read-only) and copies the old one into it page by page,
 * which is where arch copy code writes to the new folio's struct pages
 * (e.g. arm64 copy_highpage() resetting the KASAN tag of each page).
 *
 * usage: hugetlb-cow SECONDS
 * Each round maps a private 2M page, fills it, forks; the child writes one
 * byte (the copy) and checks that the rest of the copy matches.  Prints
 * "hugetlb-cow: rounds=N copies=N nomem=N errors=N"; exits 0 without
 * errors, 1 with, 2 on bad usage, 4 when no 2M page could ever be mapped.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HPAGE (2UL << 20)

static int child_copy(unsigned char *p)
{
	p[0] ^= 0xff; /* the copy happens here */
	/* The parent wrote the first byte of each 4K page. */
	for (unsigned long i = 4096; i < HPAGE; i += 4096)
		if (p[i] != (unsigned char)(i >> 12))
			return 1;
	return p[0] == (unsigned char)~0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0, copies = 0, nomem = 0, errors = 0;
	struct timespec now, end;
	char *tail;
	long secs;

	if (argc != 2 || (secs = strtol(argv[1], &tail, 10)) <= 0 || *tail) {
		fprintf(stderr, "usage: hugetlb-cow SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	do {
		unsigned char *p;
		int status;
		pid_t pid;

		rounds++;
		p = mmap(NULL, HPAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED) {
			nomem++;
			usleep(10000);
			goto next;
		}
		for (unsigned long i = 0; i < HPAGE; i += 4096)
			p[i] = (unsigned char)(i >> 12);
		pid = fork();
		if (pid < 0) {
			errors++;
		} else if (pid == 0) {
			_exit(child_copy(p));
		} else if (waitpid(pid, &status, 0) != pid) {
			errors++;
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			copies++; /* copied and checked */
		} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) {
			nomem++; /* no huge page for the copy */
		} else {
			errors++;
		}
		munmap(p, HPAGE);
	next:
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	printf("hugetlb-cow: rounds=%lu copies=%lu nomem=%lu errors=%lu\n",
	       rounds, copies, nomem, errors);
	if (errors)
		return 1;
	return copies ? 0 : 4;
}
