// SPDX-License-Identifier: GPL-2.0
/*
 * The environment extension: the record goes into context.hvobench.env,
 * and each row gets the /proc/vmstat deltas of its timed region
 * (hvobench.vmstat_delta, non-zero entries only).  Paused stretches are
 * left out, like the timing: a snapshot at each pause and resume.
 */
#include <jansson.h>

#include "bench.h"
#include "env.h"

struct env_rep {
	bool valid, running;
	struct env_vmstat base; /* at the start of the current stretch */
	struct env_vmstat acc;	/* deltas summed over the stretches */
};

static struct env_vmstat now; /* scratch: main thread only */

static void env_context(void *obj)
{
	json_object_set_new(obj, "env", env_record());
}

static void stretch_begin(struct bench_state *st)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (!r || env_vmstat_read(NULL, &r->base))
		return;
	r->running = true;
}

static void stretch_end(struct bench_state *st)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (!r || !r->running || env_vmstat_read(NULL, &now))
		return;
	env_vmstat_add_delta(&r->acc, &r->base, &now);
	r->running = false;
	r->valid = true;
}

static void env_row(struct bench_state *st, void *obj)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (r && r->valid)
		json_object_set_new(obj, "vmstat_delta",
				    env_vmstat_json(&r->acc));
}

BENCH_EXT_REGISTER(env, .context = env_context, .start = stretch_begin,
		   .stop = stretch_end, .pause = stretch_end,
		   .resume = stretch_begin, .row = env_row);
