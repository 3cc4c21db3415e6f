// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench pool: run a command with a hugetlb pool of a given size (and
 * HVO on or off), then put everything back.  The same journalled, checked
 * writes the benchmarks use, for experiments by hand and for tests: an
 * unsafe size is refused before anything is changed.
 */
#include "cmd.h"
#include "sys.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct pool_args {
	uint64_t kb, pages, overcommit;
	int hvo; /* -1: leave as is */
	char **cmd;
};

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "hvobench pool: %s '%s': %s\n", what, arg,
		strerror(EINVAL));
	return 2;
}

static int parse(int argc, char **argv, struct pool_args *a)
{
	a->hvo = -1;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = strchr(s, '=');
		char *end;

		v = v ? v + 1 : "";
		if (!strcmp(s, "--")) {
			a->cmd = argv + i + 1;
			break;
		} else if (!strncmp(s, "--size=", 7)) {
			a->kb = hugetlb_parse_size(v);
			if (!a->kb)
				return bad("bad huge page size", v);
		} else if (!strncmp(s, "--pages=", 8) ||
			   !strncmp(s, "--overcommit=", 13)) {
			uint64_t n;

			errno = 0;
			n = strtoull(v, &end, 10);
			if (errno || end == v || *end || *v == '-')
				return bad("bad page count", s);
			*(s[2] == 'p' ? &a->pages : &a->overcommit) = n;
		} else if (!strncmp(s, "--hvo=", 6)) {
			if (strcmp(v, "on") && strcmp(v, "off"))
				return bad("--hvo must be on or off, not", v);
			a->hvo = !strcmp(v, "on");
		} else if (!strncmp(s, "--state-dir=", 12) && *v == '/') {
			sys_set_state_dir(v);
		} else if (!strncmp(s, "--safety-margin=", 16)) {
			uint64_t b;

			if (sys_parse_size(v, &b) || !b)
				return bad("bad --safety-margin", v);
			sys_set_safety_margin(b);
		} else if (!strcmp(s, "--help")) {
			printf("usage: hvobench pool --size=2M --pages=N "
			       "[--hvo=on|off] [--overcommit=N]\n"
			       "       [--safety-margin=SIZE] "
			       "[--state-dir=DIR] -- COMMAND [ARGS]\n");
			exit(0);
		} else {
			return bad("unknown argument", s);
		}
	}
	if (!a->kb || !a->cmd || !a->cmd[0]) {
		fprintf(stderr,
			"hvobench pool: needs --size=SIZE and -- "
			"COMMAND (hvobench pool --help): %s\n",
			strerror(EINVAL));
		return 2;
	}
	return 0;
}

static int run(char **cmd)
{
	int status;
	pid_t pid = fork();

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
	struct pool_args a = {0};
	char why[256], sz[16];
	uint64_t got = 0;
	int ret = parse(argc, argv, &a);

	if (ret)
		return ret;
	if (geteuid() != 0) {
		fprintf(stderr, "hvobench pool: must be root: %s\n",
			strerror(EPERM));
		return 2;
	}
	if (!hugetlb_size_present(a.kb))
		return bad("huge page size not offered by this kernel",
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
	ret = run(a.cmd);
out:
	if (sys_end() && !ret)
		ret = 1;
	return ret < 0 ? 1 : ret;
}

HVO_COMMAND(pool, .summary = "run a command with a hugetlb pool, then restore",
	    .main = pool_main, .recover_first = true);
