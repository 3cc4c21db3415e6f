// SPDX-License-Identifier: GPL-2.0
/*
 * timed-write - write a value to a sysfs/procfs file and print how long the
 * write(2) took, so that the guest times memory block offline/online (and
 * pool writes) without a fork or an exec inside the timed window.
 *
 * usage: timed-write FILE VALUE
 * Prints "<microseconds> ok" or "<microseconds> error <errno name>"; exits 0
 * when the write succeeded, 1 when it failed, 2 on bad usage or open error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	size_t len;
	ssize_t n;
	int fd, err;

	if (argc != 3) {
		fprintf(stderr, "usage: timed-write FILE VALUE\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "timed-write: %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	len = strlen(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	n = write(fd, argv[2], len);
	err = errno;
	clock_gettime(CLOCK_MONOTONIC, &b);
	close(fd);
	printf("%.1f ",
	       (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3);
	if (n != (ssize_t)len) {
		printf("error %s\n", n < 0 ? strerrorname_np(err) : "short");
		return 1;
	}
	printf("ok\n");
	return 0;
}
