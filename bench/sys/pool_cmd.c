// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench pool: run a command with a hugetlb pool of a given size (and
 * HVO on or off), then put everything back.  The same journalled, checked
 * writes the benchmarks use, for experiments by hand and for tests: an
 * unsafe size is refused before anything is changed.
 */
#include "cmd.h"
#include "opt.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct pool_args {
	uint64_t kb, pages, overcommit;
	int hvo; /* -1: leave as is */
} a;

static int set_size(const char *name, const char *v)
{
	(void)name;
	a.kb = hugetlb_parse_size(v);
	return a.kb ? 0
		    : bench_opt_bad("hvobench pool",
				    "--size: '%s' is not a huge page size", v);
}

static int set_count(const char *name, const char *v)
{
	char *end;
	uint64_t n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || *v == '-')
		return bench_opt_bad("hvobench pool",
				     "--%s: '%s' is not a page count", name, v);
	*(name[0] == 'p' ? &a.pages : &a.overcommit) = n;
	return 0;
}

static int set_hvo(const char *name, const char *v)
{
	(void)name;
	if (strcmp(v, "on") && strcmp(v, "off"))
		return bench_opt_bad("hvobench pool",
				     "--hvo: '%s' is not on or off", v);
	a.hvo = !strcmp(v, "on");
	return 0;
}

static const struct bench_opt pool_opts[] = {
	{"size", "SIZE", "huge page size (2M, 1G; required)", .set = set_size},
	{"pages", "N", "pool size in pages (default 0)", .set = set_count},
	{"overcommit", "N", "nr_overcommit_hugepages (default 0)",
	 .set = set_count},
	{"hvo", "on|off", "vm.hugetlb_optimize_vmemmap (default: as is)",
	 .set = set_hvo},
	SYS_SESSION_OPTS,
	{0}};

static const char pool_usage[] =
	"--size=SIZE [options] -- COMMAND [ARGS]\n"
	"Run COMMAND with a hugetlb pool of the given size (and HVO on or\n"
	"off), then put every value back.  Sizes beyond MemAvailable minus\n"
	"the safety margin are refused before anything changes.  Exit\n"
	"status: COMMAND's (128+signal if killed), 2 bad input or refused.";

/* The command to run, or NULL after one line on stderr (status 2). */
static char **parse(int argc, char **argv, int *rc)
{
	const struct bench_opt *tables[] = {pool_opts, NULL};
	int first = argc;

	a.hvo = -1;
	*rc = bench_opt_parse("hvobench pool", argc, argv, tables, pool_usage,
			      &first);
	if (*rc == 1)
		*rc = 0;
	else if (!*rc && (!a.kb || first >= argc))
		*rc = bench_opt_bad("hvobench pool",
				    "needs --size=SIZE and -- COMMAND "
				    "(hvobench pool --help)");
	return *rc || first >= argc ? NULL : argv + first;
}

static int run(char **cmd)
{
	int status;
	pid_t pid = sys_fork();

	if (pid < 0) {
		fprintf(stderr, "hvobench pool: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(cmd[0], cmd);
		fprintf(stderr, "hvobench pool: %s: %s\n", cmd[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int pool_main(int argc, char **argv)
{
	char why[256], sz[16];
	uint64_t got = 0;
	int ret;
	char **cmd = parse(argc, argv, &ret);

	if (!cmd)
		return ret;
	if (geteuid() != 0) {
		fprintf(stderr, "hvobench pool: must be root: %s\n",
			strerror(EPERM));
		return 2;
	}
	if (!hugetlb_size_present(a.kb))
		return bench_opt_bad("hvobench pool",
				     "--size: %s pages are not offered by this "
				     "kernel",
				     sys_size_str(a.kb, sz, sizeof(sz)));
	/* Refuse before the first change, so a refusal changes nothing. */
	if (hugetlb_pool_check(a.kb, a.pages, why, sizeof(why))) {
		fprintf(stderr, "hvobench pool: refusing: %s\n", why);
		return 2;
	}
	if (a.hvo >= 0 && !hvo_available()) {
		fprintf(stderr,
			"hvobench pool: --hvo: kernel has no "
			"vm.hugetlb_optimize_vmemmap: %s\n",
			strerror(ENOENT));
		return 2;
	}
	if (sys_begin())
		return 2;
	if (a.hvo >= 0 && (ret = hvo_set(a.hvo))) {
		fprintf(stderr, "hvobench pool: setting HVO: %s\n",
			strerror(-ret));
		goto out;
	}
	if (a.overcommit && (ret = hugetlb_overcommit_set(a.kb, a.overcommit)))
		goto out;
	ret = hugetlb_pool_set(a.kb, -1, a.pages, &got);
	if (ret) {
		fprintf(stderr, "hvobench pool: setting the pool: %s\n",
			strerror(-ret));
		goto out;
	}
	fprintf(stderr,
		"hvobench pool: %s pool has %" PRIu64 " pages (asked %" PRIu64
		")\n",
		sys_size_str(a.kb, sz, sizeof(sz)), got, a.pages);
	ret = run(cmd);
out:
	if (sys_end() && !ret)
		ret = 1;
	return ret < 0 ? 1 : ret;
}

HVO_COMMAND(pool, .summary = "run a command with a hugetlb pool, then restore",
	    .main = pool_main, .recover_first = true);
