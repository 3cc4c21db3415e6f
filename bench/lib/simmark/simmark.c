// SPDX-License-Identifier: GPL-2.0
/*
 * --sim-markers: mark each timed region for the tlbsim QEMU plugin
 * (simmark.h has the encoding).  An extension innermost around the region,
 * so the markers sit closest to the clock reads.
 */
#include "simmark.h"

#include "bench.h"
#include "harness.h"
#include "opt.h"

#include <jansson.h>
#include <stdlib.h>

static bool enabled;

/*
 * Rows so far per instance: the repetition of the next one.  The runner
 * interleaves instances round by round, so a count per instance_begin
 * would restart every round.
 */
static struct {
	const void *inst;
	uint32_t rows;
} * rows;
static size_t nrows;

static uint32_t next_row(const void *inst)
{
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].inst == inst)
			return rows[i].rows++;
	void *p = realloc(rows, (nrows + 1) * sizeof(*rows));

	if (!p)
		return 0;
	rows = p;
	rows[nrows].inst = inst;
	rows[nrows].rows = 1;
	nrows++;
	return 0;
}

void simmark(enum simmark_kind kind, uint32_t data)
{
	uint32_t msg = (uint32_t)kind | data << 3;

	if (!enabled)
		return;
	for (int i = 0; i < SIMMARK_MSG_BITS; i++, msg >>= 1) {
		if (msg & 1)
			SIMMARK_CODE(SIMMARK_BIT1);
		else
			SIMMARK_CODE(SIMMARK_BIT0);
	}
	SIMMARK_CODE(SIMMARK_EOM);
}

static int sm_run_begin(void)
{
	if (!enabled)
		return 0;
#if !defined(__x86_64__) && !defined(__aarch64__)
	bench_log("--sim-markers: no marker instruction for this architecture");
	return 2;
#endif
	simmark(SIMMARK_HELLO, 0);
	return 0;
}

static void sm_context(void *obj)
{
	if (enabled)
		json_object_set_new(obj, "sim_markers", json_true());
}

static uint32_t id_of(const struct bench_state *st)
{
	return simmark_id(st->inst->family_index, st->inst->instance_index);
}

static void sm_start(struct bench_state *st)
{
	simmark(SIMMARK_BEGIN, id_of(st));
}

static void sm_stop(struct bench_state *st)
{
	simmark(SIMMARK_END, id_of(st));
}

static void sm_pause(struct bench_state *st)
{
	(void)st;
	simmark(SIMMARK_PAUSE, 0);
}

static void sm_resume(struct bench_state *st)
{
	(void)st;
	simmark(SIMMARK_RESUME, 0);
}

/* Only the run that becomes a row (not calibration or warm-up) is kept. */
static void sm_row(struct bench_state *st, void *obj)
{
	(void)obj;
	simmark(SIMMARK_COMMIT, next_row(st->inst));
}

static const struct bench_opt sm_opts[] = {
	{"sim-markers", NULL,
	 "mark each timed region for the tlbsim QEMU plugin\n"
	 "(bench/tlbsim/README.md)",
	 .flag = &enabled},
	{0}};

BENCH_EXT_REGISTER(simmark, .priority = BENCH_EXT_INNERMOST + 1,
		   .opts = sm_opts, .run_begin = sm_run_begin,
		   .context = sm_context, .start = sm_start, .stop = sm_stop,
		   .pause = sm_pause, .resume = sm_resume, .row = sm_row);
