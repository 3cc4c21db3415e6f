// SPDX-License-Identifier: GPL-2.0
/*
 * sys_fork: a session's child must die with its SIGKILLed parent and
 * must not keep the session lock.  A "run" process takes the lock and
 * forks a child that would sleep for a minute; the test kills the run
 * and expects the lock free and the child gone within 2 s.  The same
 * with plain fork() is the negative control: the child lives on and
 * holds the lock (the bug of issue 16).
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
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys.h"

static char knob[PATH_MAX]; /* a file standing in for a sysctl */

static void put_knob(const char *v)
{
	FILE *f;

	snprintf(knob, sizeof(knob), "%s.knob", sys_state_dir());
	f = fopen(knob, "w");
	assert_non_null(f);
	fputs(v, f);
	fclose(f);
}

static bool knob_is(const char *v)
{
	char buf[32] = "";
	FILE *f = fopen(knob, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return !strcmp(buf, v);
}

/*
 * The run: lock, journal and change the knob, fork a sleeper, report its
 * pid, wait to be killed.
 */
static pid_t start_run(bool plain_fork, pid_t *child)
{
	int p[2];
	pid_t run;

	assert_int_equal(pipe(p), 0);
	run = fork();
	assert_true(run >= 0);
	if (run == 0) {
		pid_t c;

		if (sys_begin() || sys_set(knob, "5"))
			_exit(1);
		c = plain_fork ? fork() : sys_fork();
		if (c == 0) {
			sleep(60);
			_exit(0);
		}
		if (write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], child, sizeof(*child)), sizeof(*child));
	close(p[0]);
	return run;
}

static bool lock_free(void)
{
	char file[PATH_MAX];
	int fd, ok;

	snprintf(file, sizeof(file), "%s/lock", sys_state_dir());
	fd = open(file, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	ok = !flock(fd, LOCK_EX | LOCK_NB);
	close(fd);
	return ok;
}

/* Alive and not a zombie (a reparented zombie is init's to reap). */
static bool alive(pid_t pid)
{
	char path[64], buf[256], *s;
	FILE *f;
	bool live;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	s = fgets(buf, sizeof(buf), f);
	fclose(f);
	s = s ? strrchr(buf, ')') : NULL;
	live = s && s[1] == ' ' && s[2] != 'Z' && s[2] != 'X';
	return live;
}

/* Kill the run; true if within 2 s the lock is free and the child gone. */
static bool kill_and_check(bool plain_fork)
{
	const struct timespec step = {0, 10 * 1000 * 1000};
	pid_t child, run;
	bool clean = false;

	put_knob("1");
	run = start_run(plain_fork, &child);

	kill(run, SIGKILL);
	waitpid(run, NULL, 0);
	for (int i = 0; i < 200 && !clean; i++) {
		clean = lock_free() && !alive(child);
		if (!clean)
			nanosleep(&step, NULL);
	}
	if (alive(child))
		kill(child, SIGKILL);
	return clean;
}

static void test_child_dies_with_run(void **s)
{
	(void)s;
	assert_true(kill_and_check(false));
}

static void test_plain_fork_keeps_lock(void **s)
{
	(void)s;
	/* Negative control: proves the check above can fail. */
	assert_false(kill_and_check(true));
}

/*
 * restore tells a live run (pid in the lock file, holding it) from a dead
 * run's leftovers (waits for them, bounded) and restores after both.
 */
static void test_recover_live_vs_leftovers(void **s)
{
	pid_t child, run;

	(void)s;
	sys_set_recover_wait(0.3);
	put_knob("1");
	run = start_run(false, &child);
	assert_true(knob_is("5"));
	assert_int_equal(sys_recover(), 0); /* live: left alone */
	assert_true(knob_is("5"));
	kill(run, SIGKILL);
	waitpid(run, NULL, 0);
	assert_int_equal(sys_recover(), 1); /* dead: restored */
	assert_true(knob_is("1"));

	run = start_run(true, &child); /* a child that keeps the lock */
	kill(run, SIGKILL);
	waitpid(run, NULL, 0);
	assert_int_equal(sys_recover(), -ETIMEDOUT);
	assert_true(knob_is("5"));
	kill(child, SIGKILL);
	assert_int_equal(sys_recover(), 1); /* its lock goes with it */
	assert_true(knob_is("1"));
	sys_set_recover_wait(30);
}

static void test_child_writes_nothing(void **s)
{
	pid_t c;
	int st;

	(void)s;
	assert_int_equal(sys_begin(), 0);
	c = sys_fork();
	if (c == 0) /* no session in the child: writes are refused */
		_exit(sys_active() || sys_set("/tmp/x", "1") != -ENOLCK);
	assert_int_equal(waitpid(c, &st, 0), c);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(sys_active());
	assert_int_equal(sys_end(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_dies_with_run),
		cmocka_unit_test(test_plain_fork_keeps_lock),
		cmocka_unit_test(test_recover_live_vs_leftovers),
		cmocka_unit_test(test_child_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
