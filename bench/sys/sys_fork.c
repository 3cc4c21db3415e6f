// SPDX-License-Identifier: GPL-2.0
/*
 * fork() for benchmark children.  A plain fork would copy the session's
 * lock fds: a flock belongs to the open file description, so a child
 * that outlives a SIGKILLed parent keeps the machine "locked" and
 * `hvobench restore` takes it for a live run.  The child instead dies
 * with the parent and keeps nothing of the session.
 */
#include "sys.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

pid_t sys_fork(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid != 0)
		return pid;
	/*
	 * PDEATHSIG fires when the forking *thread* exits: fork from the
	 * thread that waits for the child.  A parent killed before prctl()
	 * is caught by the getppid() check (we were reparented already).
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	sys_session_forget();
	return 0;
}
