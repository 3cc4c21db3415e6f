// SPDX-License-Identifier: GPL-2.0
/* `hvobench env`: print the environment record as JSON. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "env.h"

static int env_main(int argc, char **argv)
{
	size_t flags = JSON_INDENT(2) | JSON_SORT_KEYS;
	json_t *rec;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--compact")) {
			flags = JSON_COMPACT | JSON_SORT_KEYS;
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: hvobench env [--compact]\n"
			       "Print the environment record (kernel, config, "
			       "pools, THP, perf, CPU,\nvirtualization, "
			       "clocks) that every result carries.\n");
			return 0;
		} else {
			fprintf(stderr,
				"hvobench env: unknown argument '%s' "
				"(see --help)\n",
				argv[i]);
			return 2;
		}
	}
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
