// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench: dispatch to a self-registered subcommand.  Commands that
 * change kernel state first restore what a killed run left behind.
 */
#include "cmd.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: hvobench COMMAND [options]\n"
		   "       hvobench help COMMAND | COMMAND --help\n"
		   "       hvobench -h | --help | --version\n\ncommands:\n");
	for (int i = 0; hvo_cmd_at(i); i++)
		fprintf(f, "  %-10s %s\n", hvo_cmd_at(i)->name,
			hvo_cmd_at(i)->summary);
	fprintf(f, "\nExit status: 0 success, 1 failure, 2 bad input or "
		   "refused.  See hvobench(1).\n");
}

static const struct hvo_cmd *find(const char *name)
{
	const struct hvo_cmd *cmd = hvo_cmd_find(name);

	if (!cmd)
		fprintf(stderr,
			"hvobench: unknown command '%s' (hvobench --help)\n",
			name);
	return cmd;
}

int main(int argc, char **argv)
{
	const struct hvo_cmd *cmd;

	if (argc < 2) {
		fprintf(stderr, "hvobench: no command given (hvobench --help "
				"lists them)\n");
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hvobench %s\n", HVOBENCH_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		char *av[] = {argv[2], "--help", NULL};

		if (argc > 3) {
			fprintf(stderr, "hvobench help: one command at a "
					"time\n");
			return 2;
		}
		cmd = find(argv[2]);
		return cmd ? cmd->main(2, av) : 2;
	}
	cmd = find(argv[1]);
	if (!cmd)
		return 2;
	if (cmd->recover_first)
		hvo_cmd_recover();
	return cmd->main(argc - 1, argv + 1);
}
