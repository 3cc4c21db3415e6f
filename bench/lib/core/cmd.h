/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvobench subcommands register themselves; main.c only dispatches.
 */
#ifndef HVOBENCH_CMD_H
#define HVOBENCH_CMD_H

#include <stdbool.h>

struct hvo_cmd {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv); /* argv[0] is the subcommand */
	/* Restore a killed run's journal before running (state-changing). */
	bool recover_first;
};

void hvo_cmd_register(const struct hvo_cmd *cmd);
const struct hvo_cmd *hvo_cmd_find(const char *name);
const struct hvo_cmd *hvo_cmd_at(int i);

/*
 * The state module registers how to restore a killed run's journal
 * (from a constructor); main runs it before recover_first commands.
 */
void hvo_cmd_set_recover(int (*recover)(void));
int hvo_cmd_recover(void);

/*
 * The run store registers how a finished run's result file is recorded
 * (from a constructor; absent in the static guest build); run calls it.
 * A failure is reported by the hook and never fails the run.
 */
void hvo_cmd_set_record(int (*record)(const char *json_path));
int hvo_cmd_record(const char *json_path);

/*
 * The run store registers how `compare` selects its sets from the store
 * (--kernel, --host, --run); compare hands its command line over when
 * wanted() says so.  Absent in the static guest build.
 */
void hvo_cmd_set_select(bool (*wanted)(int argc, char **argv),
			int (*select_main)(int argc, char **argv));
/* The store's compare, or -1 when the command line is not for it. */
int hvo_cmd_select(int argc, char **argv);

#define HVO_COMMAND(id, ...)                                                   \
	static const struct hvo_cmd hvo_cmd_##id = {.name = #id, __VA_ARGS__}; \
	__attribute__((constructor)) static void hvo_cmd_reg_##id(void)        \
	{                                                                      \
		hvo_cmd_register(&hvo_cmd_##id);                               \
	}

#endif
