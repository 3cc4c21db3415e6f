// SPDX-License-Identifier: GPL-2.0
/*
 * The journal end to end on ordinary temp files standing in for sysfs:
 * journalled writes, restore at sys_end, recovery after a process dies
 * without restoring, restore from a fatal signal, and the lock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "sys.h"

static char dir[256], f1[PATH_MAX], f2[PATH_MAX], jfile[PATH_MAX];

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *get_file(const char *path)
{
	static char buf[256];

	assert_int_equal(sys_get(path, buf, sizeof(buf)), 0);
	return buf;
}

static int setup(void **unused)
{
	(void)unused;
	snprintf(dir, sizeof(dir), "/tmp/hvobench-unit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(f1, sizeof(f1), "%s/nr_hugepages", dir);
	snprintf(f2, sizeof(f2), "%s/enabled", dir);
	snprintf(jfile, sizeof(jfile), "%s/state/journal", dir);
	/* Same-length values: a regular file, unlike sysfs, keeps a tail. */
	put_file(f1, "5\n");
	put_file(f2, "always [madvise] never\n");
	strcat(dir, "/state");
	setenv("HVOBENCH_STATE_DIR", dir, 1);
	return 0;
}

static int teardown(void **unused)
{
	char cmd[PATH_MAX + 16];

	(void)unused;
	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void test_outside_session(void **unused)
{
	(void)unused;
	assert_false(sys_active());
	assert_int_equal(sys_set(f1, "7"), -ENOLCK);
	assert_string_equal(get_file(f1), "5");
}

static void test_set_and_end(void **unused)
{
	struct journal_entry e[8];

	(void)unused;
	assert_int_equal(sys_begin(), 0);
	assert_true(sys_active());
	assert_int_equal(sys_set(f1, "7"), 0);
	assert_int_equal(sys_set(f1, "8"), 0);
	assert_int_equal(sys_set(f2, "never"), 0);
	assert_string_equal(get_file(f1), "8");
	/* The journal holds the originals, once each, in order. */
	assert_int_equal(journal_load(jfile, e, 8), 2);
	assert_string_equal(e[0].path, f1);
	assert_string_equal(e[0].value, "5");
	assert_string_equal(e[1].path, f2);
	assert_string_equal(e[1].value, "madvise");
	assert_int_equal(sys_end(), 0);
	assert_false(sys_active());
	assert_string_equal(get_file(f1), "5");
	assert_string_equal(get_file(f2), "madvise");
	assert_int_equal(access(jfile, F_OK), -1);
}

/* A child that changes state and dies without restoring (like kill -9). */
static void test_recover_after_death(void **unused)
{
	int status;
	pid_t pid;

	(void)unused;
	if (geteuid() != 0)
		skip(); /* sys_recover() restores only as root */
	put_file(f2, "always [madvise] never\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (sys_begin() || sys_set(f1, "9") || sys_set(f2, "never"))
			_exit(1);
		_exit(0); /* skips atexit: nothing restored */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(get_file(f1), "9");
	assert_int_equal(access(jfile, F_OK), 0);
	assert_int_equal(sys_recover(), 2);
	assert_string_equal(get_file(f1), "5");
	assert_string_equal(get_file(f2), "madvise");
	assert_int_equal(access(jfile, F_OK), -1);
	/* Nothing left: recover is a no-op. */
	assert_int_equal(sys_recover(), 0);
}

static void test_signal_restores(void **unused)
{
	int status;
	pid_t pid;

	(void)unused;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (sys_begin() || sys_set(f1, "6"))
			_exit(1);
		raise(SIGTERM);
		_exit(2); /* not reached: the handler re-raises */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_string_equal(get_file(f1), "5");
	assert_int_equal(access(jfile, F_OK), -1);
}

static void test_lock(void **unused)
{
	int go[2], ready[2], status;
	char c;
	pid_t pid;

	(void)unused;
	if (geteuid() != 0)
		skip();
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int bad = sys_begin() || sys_set(f1, "4");

		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			bad = 1;
		_exit(sys_end() || bad);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	/* Second session refused; recover leaves the live run's journal. */
	assert_int_equal(sys_begin(), -EBUSY);
	assert_false(sys_active());
	assert_int_equal(sys_recover(), 0);
	assert_string_equal(get_file(f1), "4");
	assert_int_equal(access(jfile, F_OK), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(get_file(f1), "5");
	/* Free again. */
	assert_int_equal(sys_begin(), 0);
	assert_int_equal(sys_end(), 0);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

static void test_corrupt_journal_kept(void **unused)
{
	(void)unused;
	if (geteuid() != 0)
		skip();
	put_file(jfile, "garbage\n");
	assert_true(sys_recover() < 0);
	assert_int_equal(access(jfile, F_OK), 0);
	/* A run refuses to start on top of a journal it cannot restore. */
	assert_true(sys_begin() < 0);
	assert_false(sys_active());
	unlink(jfile);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outside_session),
		cmocka_unit_test(test_set_and_end),
		cmocka_unit_test(test_recover_after_death),
		cmocka_unit_test(test_signal_restores),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_corrupt_journal_kept),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
