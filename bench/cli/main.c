// SPDX-License-Identifier: GPL-2.0
/*
 * hvobench: dispatch to a self-registered subcommand.  Commands that
 * change kernel state first restore what a killed run left behind.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: hvobench COMMAND [options]   (hvobench COMMAND "
		   "--help)\n\ncommands:\n");
	for (int i = 0; hvo_cmd_at(i); i++)
		fprintf(f, "  %-10s %s\n", hvo_cmd_at(i)->name,
			hvo_cmd_at(i)->summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "hvobench: no command given (hvobench --help "
				"lists them)\n");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	const struct hvo_cmd *cmd = hvo_cmd_find(argv[1]);

	if (!cmd) {
		fprintf(stderr,
			"hvobench: unknown command '%s' (hvobench --help)\n",
			argv[1]);
		return 2;
	}
	if (cmd->recover_first)
		hvo_cmd_recover();
	return cmd->main(argc - 1, argv + 1);
}
