/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-side perf counters for hvobench (libpfm4 + perf_event_open).
 *
 * The work hvobench measures happens in the kernel, so events count in
 * user AND kernel mode by default.  Event names (--counters=LIST):
 *
 *   DTLB_LOAD_MISSES:WALK_COMPLETED   libpfm4 name (this CPU's PMU)
 *   skl::DTLB_LOAD_MISSES:STLB_HIT    libpfm4 name with an explicit PMU
 *   dTLB-load-misses, cycles          perf generic names
 *   r0e08                             raw code
 *   page-faults, context-switches     software events
 *   tlb:tlb_flush                     tracepoint (id read from tracefs)
 *   NAME:u, NAME:k                    user-only / kernel-only
 *   NAME@all                          system-wide: one counter per online
 *                                     CPU (pid -1), summed; sees what
 *                                     happens outside the benchmark's
 *                                     threads (IPI receivers, kworkers)
 *
 * :u and :k restrict hardware (and raw) events only.  Software events and
 * tracepoints are always opened for user and kernel (a tracepoint fires in
 * the kernel: excluding it would read 0); a modifier on them is ignored
 * and the row's note says so.
 *
 * Presets: "tlb" (per CPU vendor: Intel, AMD, arm64, else generic) and
 * "hvo" (TLB flushes, IPIs sent and received, faults, context switches).
 *
 * Without @all a counter follows the benchmark: opened with inherit=1 on
 * the thread that starts the timed region, so worker threads and forked
 * children created afterwards are counted too.
 */
#ifndef HVOBENCH_COUNTERS_H
#define HVOBENCH_COUNTERS_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CTR_MAX_EVENTS 48
#define CTR_NAME_LEN   128
#define CTR_WHY_LEN    160

enum ctr_kind { CTR_HW, CTR_SW, CTR_TRACEPOINT };

struct ctr_event {
	char name[CTR_NAME_LEN]; /* as the user wrote it */
	char encoding[192];	 /* libpfm fstr or tracefs id path */
	struct perf_event_attr attr;
	enum ctr_kind kind;
	bool system_wide;
	bool available;
	char why[CTR_WHY_LEN];	/* reason when unavailable */
	char note[CTR_WHY_LEN]; /* e.g. "modifier ignored" */
};

/* ---- names and presets (counters_encode.c, counters_preset.c) ----- */

/*
 * Encode one event name into ev.  Returns 0 when it encoded; otherwise
 * ev->available is false and ev->why says why (never fatal).
 */
int ctr_encode(const char *name, struct ctr_event *ev);

/*
 * Tracepoint id from tracefs (mounting tracefs for the lookup and
 * unmounting it again when it was not mounted).  0 or -errno.
 */
int ctr_tracepoint_id(const char *sys, const char *event, uint64_t *id);

enum ctr_vendor {
	CTR_VENDOR_OTHER,
	CTR_VENDOR_INTEL,
	CTR_VENDOR_AMD,
	CTR_VENDOR_ARM64
};

enum ctr_vendor ctr_cpu_vendor(void);
const char *ctr_vendor_name(enum ctr_vendor v);

/*
 * One entry of an expanded list: the label reported, and the names tried
 * in order until one encodes (a preset gives a raw code as fallback for
 * CPUs libpfm has no table for).
 */
struct ctr_spec {
	char label[CTR_NAME_LEN];
	char alt[2][192];
	int nalt;
};

/*
 * Expand a comma list (presets "tlb" and "hvo" included) for a CPU vendor
 * and architecture (x86 or not).  Duplicates are dropped.  Returns the
 * count, or -1 with a message in why (empty name, too many events).
 */
int ctr_expand(const char *list, enum ctr_vendor vendor, bool x86,
	       struct ctr_spec *out, int max, char *why, size_t whylen);

/* Encode the first alternative of spec that encodes; else like ctr_encode. */
int ctr_encode_spec(const struct ctr_spec *spec, struct ctr_event *ev);

/* ---- counting (counters_set.c) ------------------------------------ */

/*
 * Multiplex scaling: a count seen for running of enabled nanoseconds is
 * extrapolated to raw * enabled / running.  *ratio = running / enabled
 * (1.0: counted all the time).  Returns -1 when the event was enabled but
 * never scheduled (nothing to extrapolate from), else 0.
 */
int ctr_scale(uint64_t raw, uint64_t enabled, uint64_t running, double *value,
	      double *ratio);

struct ctr_value {
	bool ok;
	double value; /* scaled, summed over CPUs/groups */
	double ratio; /* smallest running/enabled of its groups */
	char why[CTR_WHY_LEN];
};

struct ctr_set;

/*
 * Open the available events of evs[0..n): per-thread ones on the calling
 * thread (inherit), @all ones on every online CPU.  Events that fail to
 * open are marked in the set (see ctr_set_why), not fatal.  NULL only when
 * out of memory.
 */
struct ctr_set *ctr_set_open(const struct ctr_event *evs, int n);
void ctr_set_close(struct ctr_set *s);
/* Reason event i could not be opened, or NULL when it is counting. */
const char *ctr_set_why(const struct ctr_set *s, int i);
void ctr_set_reset(struct ctr_set *s);
void ctr_set_enable(struct ctr_set *s);
void ctr_set_disable(struct ctr_set *s);
/* Read every event into vals[0..n).  0, or -errno if a read failed. */
int ctr_set_read(struct ctr_set *s, struct ctr_value *vals);

/* ---- the extension's helpers (counters_ext.c, counters_list.c) ---- */

bool ctr_is_x86(void);
/* Expand and encode a --counters list; count, or -1 with why. */
int ctr_encode_list(const char *list, struct ctr_event *evs, int max, char *why,
		    size_t whylen);
/* --counters=list: what this machine can count; returns exit status. */
int ctr_print_list(FILE *f);

#endif
