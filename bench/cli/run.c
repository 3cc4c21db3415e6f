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
	return 0;
}

/*
 * The run's own directory: parents may exist, the leaf must not (a run
 * started in the same second gets STAMP-2, -3, ...).  mkdir is atomic, so
 * two runs never share one.
 */
static int make_run_dir(char *dir, size_t len, const char *base)
{
	size_t n = strlen(base);

	if (n + 8 >= len)
		return errno = ENAMETOOLONG, -1;
	memcpy(dir, base, n + 1);
	if (mkdir_p(dir))
		return -1;
	for (int i = 2; mkdir(dir, 0755); i++) {
		if (errno != EEXIST || i > 9999)
			return -1;
		snprintf(dir + n, len - n, "-%d", i);
	}
	return 0;
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

static const char run_usage[] =
	"[options]\n"
	"Run the selected benchmarks (default: the quick suite).  Without\n"
	"--out, results go to $HVOBENCH_RESULTS (default ./results)/<host>/\n"
	"<kernel release>/<time>/result.json with cmdline.txt beside it.\n"
	"Exit status: 0 all ran or skipped, 1 a benchmark failed, 2 bad input\n"
	"or refused (another run holds the lock).";

static const char list_usage[] =
	"[options]\n"
	"Print each benchmark `run` would run with the same --suite and\n"
	"--filter (default: the quick suite) once: name, description,\n"
	"suites, kernel-state axes, requirements and controls; with\n"
	"--instances, the name of every instance instead.";

/* argv[0] becomes "hvobench CMD": the name in messages and help. */
static char **with_prog(int argc, char **argv, const char *prog)
{
	char **av = calloc((size_t)argc + 1, sizeof(*av));

	if (!av)
		return NULL;
	av[0] = (char *)prog;
	for (int i = 1; i < argc; i++)
		av[i] = argv[i];
	return av;
}

static int cmd_run(int argc, char **argv)
{
	static char dir[4096], out[4200];
	char host[256] = "host";
	char **av = with_prog(argc, argv, "hvobench run");
	int rc;

	if (!av)
		return 1;
	rc = bench_init(argc, av, run_usage);
	if (rc)
		goto out;
	/* Only a valid command line gets a results directory. */
	bool to_dir = !bench_out();

	if (to_dir) {
		const char *base = getenv("HVOBENCH_RESULTS");
		struct utsname u;
		time_t now = time(NULL);
		char stamp[32];

		uname(&u);
		gethostname(host, sizeof(host) - 1);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S",
			 localtime(&now));
		snprintf(out, sizeof(out), "%s/%s/%s/%s",
			 base ? base : "results", host, u.release, stamp);
		if (make_run_dir(dir, sizeof(dir), out)) {
			fprintf(stderr, "hvobench: cannot create %s: %s\n", out,
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
		/* The JSON is written: the store only adds to it. */
		hvo_cmd_record(out);
	}
out:
	free(av);
	return rc;
}

static int cmd_list(int argc, char **argv)
{
	char **av = with_prog(argc, argv, "hvobench list");
	int rc;

	if (!av)
		return 1;
	rc = bench_list(argc, av, list_usage);
	free(av);
	return rc;
}

HVO_COMMAND(run, .summary = "run benchmarks (default: the quick suite)",
	    .main = cmd_run, .recover_first = true);
HVO_COMMAND(list, .summary = "list benchmarks (default: quick suite)",
	    .main = cmd_list);
