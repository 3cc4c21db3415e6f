// SPDX-License-Identifier: GPL-2.0
/* `hvobench env`: print the environment record as JSON. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "env.h"
#include "opt.h"

static const char env_usage[] =
	"[options]\n"
	"Print the environment record (kernel, config, pools, THP, perf, CPU,\n"
	"virtualization, clocks) that every result carries.";

static int env_main(int argc, char **argv)
{
	size_t flags = JSON_INDENT(2) | JSON_SORT_KEYS;
	json_t *rec;
	int rc;

	static bool compact;
	static const struct bench_opt env_opts[] = {
		{"compact", NULL, "one line instead of indented",
		 .flag = &compact},
		{0}};
	const struct bench_opt *tables[] = {env_opts, NULL};
	int first;

	rc = bench_opt_parse("hvobench env", argc, argv, tables, env_usage,
			     &first);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (first < argc)
		return bench_opt_bad("hvobench env", "unexpected argument '%s'",
				     argv[first]);
	if (compact)
		flags = JSON_COMPACT | JSON_SORT_KEYS;
	rec = env_record();
	if (!rec) {
		fprintf(stderr, "hvobench env: out of memory\n");
		return 1;
	}
	rc = json_dumpf(rec, stdout, flags);
	putchar('\n');
	json_decref(rec);
	return rc ? 1 : 0;
}

HVO_COMMAND(env, .summary = "print the environment record (JSON)",
	    .main = env_main);
