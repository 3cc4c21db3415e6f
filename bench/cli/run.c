// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench run / list.  run defaults to the quick suite and writes its
 * JSON and command line to results/<host>/<kernel>/<timestamp>/.
 */
#include "bench.h"
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static bool has_opt(int argc, char **argv, const char *opt)
{
	size_t n = strlen(opt);

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], opt, n) &&
		    (argv[i][n] == '=' || argv[i][n] == '\0'))
			return true;
	return false;
}

static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static int save_cmdline(const char *dir, int argc, char **argv)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cmdline.txt", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "hvobench");
	for (int i = 0; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fputc('\n', f);
	return fclose(f);
}

static int cmd_run(int argc, char **argv)
{
	static char dir[4096], out[4200];
	char host[256] = "host";
	char **av = calloc((size_t)argc + 2, sizeof(*av));
	int ac = 0, rc;

	if (!av)
		return 1;
	for (int i = 0; i < argc; i++)
		av[ac++] = argv[i];
	if (!has_opt(argc, argv, "--suite"))
		av[ac++] = "--suite=quick";
	av[ac] = NULL;
	rc = bench_init(ac, av);
	if (rc)
		goto out;
	/* Only a valid command line gets a results directory. */
	bool to_dir = !has_opt(argc, argv, "--out") && !bench_listing();

	if (to_dir) {
		const char *base = getenv("HVOBENCH_RESULTS");
		struct utsname u;
		time_t now = time(NULL);
		char stamp[32];

		uname(&u);
		gethostname(host, sizeof(host) - 1);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S",
			 localtime(&now));
		snprintf(dir, sizeof(dir), "%s/%s/%s/%s",
			 base ? base : "results", host, u.release, stamp);
		if (mkdir_p(dir)) {
			fprintf(stderr, "hvobench: cannot create %s: %s\n", dir,
				strerror(errno));
			rc = 2;
			goto out;
		}
		snprintf(out, sizeof(out), "%s/result.json", dir);
		bench_set_out(out);
		save_cmdline(dir, argc, argv);
	}
	rc = bench_run();
	if (to_dir && rc == 2) {
		/* Refused before it began (lock held, bad output): no trace. */
		char path[4200];

		snprintf(path, sizeof(path), "%s/cmdline.txt", dir);
		unlink(path);
		rmdir(dir);
	} else if (to_dir) {
		printf("\nresults: %s\n", out);
	}
out:
	free(av);
	return rc;
}

static int cmd_list(int argc, char **argv)
{
	char **av = calloc((size_t)argc + 2, sizeof(*av));
	int rc;

	if (!av)
		return 1;
	for (int i = 0; i < argc; i++)
		av[i] = argv[i];
	av[argc] = "--list";
	rc = bench_main(argc + 1, av);
	free(av);
	return rc;
}

HVO_COMMAND(run, .summary = "run benchmarks (default: quick suite)",
	    .main = cmd_run, .recover_first = true);
HVO_COMMAND(list, .summary = "list benchmark instances", .main = cmd_list);
