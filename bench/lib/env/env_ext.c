// SPDX-License-Identifier: GPL-2.0
/*
 * The environment extension: the record goes into context.hvobench.env,
 * and each row gets the /proc/vmstat deltas of its timed region
 * (hvobench.vmstat_delta, non-zero entries only).  Paused stretches are
 * left out, like the timing: a snapshot at each pause and resume.  A
 * snapshot costs ~50 us of kernel time, so after PAUSE_SNAPSHOTS pauses
 * in one repetition the rest are counted in, and the row says so.
 */
#include <jansson.h>

#include "bench.h"
#include "env.h"

#define PAUSE_SNAPSHOTS 256

struct env_rep {
	bool valid, running, capped;
	int pauses;
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

static void env_pause(struct bench_state *st)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (!r)
		return;
	if (r->pauses >= PAUSE_SNAPSHOTS) {
		r->capped = true;
		return;
	}
	r->pauses++;
	stretch_end(st);
}

static void env_resume(struct bench_state *st)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (r && !r->running)
		stretch_begin(st);
}

static void env_row(struct bench_state *st, void *obj)
{
	struct env_rep *r = bench_ext_data(st, "env", sizeof(*r));

	if (!r || !r->valid)
		return;
	json_object_set_new(obj, "vmstat_delta", env_vmstat_json(&r->acc));
	if (r->capped)
		json_object_set_new(obj, "vmstat_note",
				    json_sprintf("paused stretches after the "
						 "first %d pauses are included",
						 PAUSE_SNAPSHOTS));
}

BENCH_EXT_REGISTER(env, .context = env_context, .start = stretch_begin,
		   .stop = stretch_end, .pause = env_pause,
		   .resume = env_resume, .row = env_row);
