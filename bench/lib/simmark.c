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

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/mman.h>

static bool enabled, mapped;
static int reps_done; /* rows of the current instance */

int simmark_init(void)
{
	/* Populated read-only zero pages: a marker never faults. */
	void *p =
		mmap((void *)(uintptr_t)SIMMARK_BASE, SIMMARK_WINDOW, PROT_READ,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
			     MAP_POPULATE | MAP_NORESERVE,
		     -1, 0);

	if (p == MAP_FAILED)
		return -1;
	if (p != (void *)(uintptr_t)SIMMARK_BASE) { /* old kernels: a hint */
		munmap(p, SIMMARK_WINDOW);
		errno = EEXIST;
		return -1;
	}
	mapped = true;
	return 0;
}

void simmark(enum simmark_kind kind, uint32_t data)
{
	if (!mapped)
		return;
	data &= (uint32_t)(SIMMARK_WINDOW - 1);
	/* The kind is part of the encoding: one instruction per kind. */
	switch (kind) {
	case SIMMARK_HELLO:
		SIMMARK_INSN(SIMMARK_HELLO, data);
		break;
	case SIMMARK_BEGIN:
		SIMMARK_INSN(SIMMARK_BEGIN, data);
		break;
	case SIMMARK_END:
		SIMMARK_INSN(SIMMARK_END, data);
		break;
	case SIMMARK_PAUSE:
		SIMMARK_INSN(SIMMARK_PAUSE, data);
		break;
	case SIMMARK_RESUME:
		SIMMARK_INSN(SIMMARK_RESUME, data);
		break;
	case SIMMARK_COMMIT:
		SIMMARK_INSN(SIMMARK_COMMIT, data);
		break;
	default:
		break;
	}
}

static int sm_run_begin(void)
{
	if (!enabled)
		return 0;
#if !defined(__x86_64__) && !defined(__aarch64__)
	bench_log("--sim-markers: no marker instruction for this architecture");
	return 2;
#endif
	if (simmark_init()) {
		bench_log("--sim-markers: cannot map the marker window at "
			  "%#llx: %s",
			  (unsigned long long)SIMMARK_BASE, strerror(errno));
		return -1;
	}
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

static void sm_instance_begin(struct bench_state *st)
{
	(void)st;
	reps_done = 0;
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
	(void)st;
	(void)obj;
	simmark(SIMMARK_COMMIT, (uint32_t)reps_done++);
}

static const struct bench_opt sm_opts[] = {
	{"sim-markers", NULL,
	 "mark each timed region for the tlbsim QEMU plugin\n"
	 "(bench/tlbsim/README.md)",
	 .flag = &enabled},
	{0}};

BENCH_EXT_REGISTER(simmark, .priority = BENCH_EXT_INNERMOST + 1,
		   .opts = sm_opts, .run_begin = sm_run_begin,
		   .context = sm_context, .instance_begin = sm_instance_begin,
		   .start = sm_start, .stop = sm_stop, .pause = sm_pause,
		   .resume = sm_resume, .row = sm_row);
