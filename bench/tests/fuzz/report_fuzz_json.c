// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the report's JSON reader: any byte string is either
 * a result set or an error message, never a crash.  Loaded sets are also
 * compared with themselves (and --by=hvo) and rendered, so the statistics
 * and renderers see whatever the reader lets through.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

static FILE *sink;

static void render(const struct rset *a, const struct rset *b, const char *by)
{
	struct ropts o = {.alpha = 0.05, .corr = RCORR_BH, .by = by};
	char err[RERR_LEN] = "";
	struct rreport r;

	if (rreport_build(&r, a, b, &o, err, sizeof(err)) == 0) {
		rtext_print(sink, &r);
		rmd_print(sink, &r);
		rjson_print(sink, &r);
	}
	if (strchr(err, '\n'))
		__builtin_trap(); /* messages are one line */
	rreport_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rset s = {0};
	char err[RERR_LEN] = "";

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		return 0;
	s.label = NULL;
	if (rset_load_buf(&s, (const char *)data, size, "fuzz", err,
			  sizeof(err)) == 0) {
		render(&s, &s, NULL);
		render(&s, NULL, "hvo");
	} else if (!err[0] || strchr(err, '\n')) {
		__builtin_trap();
	}
	rset_free(&s);
	return 0;
}
