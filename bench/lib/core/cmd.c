// SPDX-License-Identifier: GPL-2.0
/* Registry of hvobench subcommands (filled by constructors). */
#include "cmd.h"

#include <string.h>

#define MAX_CMDS 32

static const struct hvo_cmd *cmds[MAX_CMDS];
static int ncmds;

void hvo_cmd_register(const struct hvo_cmd *cmd)
{
	if (ncmds < MAX_CMDS)
		cmds[ncmds++] = cmd;
}

const struct hvo_cmd *hvo_cmd_find(const char *name)
{
	for (int i = 0; i < ncmds; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

const struct hvo_cmd *hvo_cmd_at(int i)
{
	return i < ncmds ? cmds[i] : NULL;
}

static int (*recover_fn)(void);

void hvo_cmd_set_recover(int (*recover)(void))
{
	recover_fn = recover;
}

int hvo_cmd_recover(void)
{
	return recover_fn ? recover_fn() : 0;
}

static int (*record_fn)(const char *json_path);

void hvo_cmd_set_record(int (*record)(const char *json_path))
{
	record_fn = record;
}

int hvo_cmd_record(const char *json_path)
{
	return record_fn ? record_fn(json_path) : 0;
}

static bool (*select_wanted)(int argc, char **argv);
static int (*select_fn)(int argc, char **argv);

void hvo_cmd_set_select(bool (*wanted)(int argc, char **argv),
			int (*select_main)(int argc, char **argv))
{
	select_wanted = wanted;
	select_fn = select_main;
}

int hvo_cmd_select(int argc, char **argv)
{
	if (!select_wanted || !select_wanted(argc, argv))
		return -1;
	return select_fn(argc, argv);
}
