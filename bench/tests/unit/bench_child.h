/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For harness tests (include after cmocka.h): run bench_main() on args in
 * a child, check its exit status, and return the JSON it wrote.
 */
#ifndef HVOBENCH_TEST_BENCH_CHILD_H
#define HVOBENCH_TEST_BENCH_CHILD_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static json_t *run_status(const char *const *args, int want)
{
	char out[] = "/tmp/hvobench-test-XXXXXX";
	int fd = mkstemp(out);
	char outarg[64];
	char *argv[16] = {"bench-test"};
	int argc = 1, status;
	pid_t pid;

	assert_true(fd >= 0);
	close(fd);
	snprintf(outarg, sizeof(outarg), "--out=%s", out);
	for (; *args && argc < 14; args++)
		argv[argc++] = (char *)*args;
	argv[argc++] = outarg;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(3);
		_exit(bench_main(argc, argv));
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), want);
	json_error_t err;
	json_t *root = json_load_file(out, 0, &err);

	unlink(out);
	assert_non_null(root);
	return root;
}

#endif
