// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench restore: put back what a killed run changed (from its journal)
 * and print the hugetlb state, so a person or a test can see it is clean.
 */
#include "cmd.h"
#include "opt.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_state(void)
{
	uint64_t kb[8], v;
	int n = hugetlb_sizes(kb, 8);

	for (int i = 0; i < n; i++) {
		char sz[16];
		uint64_t oc = 0;

		v = 0;
		hugetlb_pool_get(kb[i], -1, "nr_hugepages", &v);
		hugetlb_pool_get(kb[i], -1, "nr_overcommit_hugepages", &oc);
		printf("hugetlb %s: nr_hugepages=%" PRIu64
		       " nr_overcommit_hugepages=%" PRIu64 "\n",
		       sys_size_str(kb[i], sz, sizeof(sz)), v, oc);
	}
	if (!sys_get_u64("/proc/sys/vm/hugetlb_optimize_vmemmap", &v))
		printf("vm.hugetlb_optimize_vmemmap=%" PRIu64 "\n", v);
}

static const char restore_usage[] =
	"[options]\n"
	"Restore the kernel state a killed run left in its journal: wait\n"
	"(bounded) for that run's leftover processes to exit, write every\n"
	"journalled value back, wait until the kernel reports them all\n"
	"(pages still being freed included), then print the hugetlb state.\n"
	"A live run's journal is left alone.  Exit status: 0 restored or\n"
	"nothing to do, 1 something still pending (named on stderr), 2 a\n"
	"live run holds the lock, or bad input.";

static int restore_main(int argc, char **argv)
{
	char journal[PATH_MAX];
	int ret;

	static double wait = 30;
	static const struct bench_opt restore_opts[] = {
		SYS_STATE_DIR_OPT,
		{"wait", "S",
		 "at most S seconds for a killed run's leftovers to\n"
		 "exit and the kernel to reach the journalled values\n"
		 "(default 30)",
		 .num = &wait, .lo = 0, .hi = 3600},
		{0}};
	const struct bench_opt *tables[] = {restore_opts, NULL};
	int first;

	ret = bench_opt_parse("hvobench restore", argc, argv, tables,
			      restore_usage, &first);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (first < argc)
		return bench_opt_bad("hvobench restore",
				     "unexpected argument '%s'", argv[first]);
	sys_set_recover_wait(wait);
	snprintf(journal, sizeof(journal), "%s/journal", sys_state_dir());
	if (access(journal, F_OK) == 0 && geteuid() != 0) {
		fprintf(stderr,
			"hvobench restore: %s exists; must be root to "
			"restore it\n",
			journal);
		return 2;
	}
	ret = sys_recover();
	if (ret < 0)
		return 1;
	if (access(journal, F_OK) == 0) {
		/* sys_recover() leaves a journal a live run still owns. */
		fprintf(stderr,
			"hvobench restore: a running hvobench holds %s/lock "
			"and will restore %s itself\n",
			sys_state_dir(), journal);
		return 2;
	}
	printf("no journal in %s: nothing left to restore\n", sys_state_dir());
	print_state();
	return 0;
}

HVO_COMMAND(restore,
	    .summary = "restore kernel state left by a killed run (journal)",
	    .main = restore_main); /* recovers itself, after its options */

/* main() runs this before every recover_first command. */
__attribute__((constructor)) static void restore_register_recover(void)
{
	hvo_cmd_set_recover(sys_recover);
}
