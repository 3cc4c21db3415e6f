// SPDX-License-Identifier: GPL-2.0
/*
 * The counters extension: --counters=LIST hooks perf counters around every
 * timed region.  Encoding happens once per run; counters are opened per
 * instance, reset+enabled at the start of each timed region, disabled on
 * pause, and read after the region (outside the timing).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"
#include "counters.h"
#include "opt.h"

#define READ_COST_SAMPLES 64

struct rep_data {
	bool valid;
	struct ctr_value v[CTR_MAX_EVENTS];
};

static const char *list_arg;
static struct ctr_event events[CTR_MAX_EVENTS];
static int nevents;
static struct ctr_set *set;
static double read_cost_ns = -1;
/* Counts over an empty region: what starting and stopping cost. */
static double empty_count[CTR_MAX_EVENTS];
static bool empty_ok[CTR_MAX_EVENTS];

bool ctr_is_x86(void)
{
	struct utsname u;

	return !uname(&u) && (!strcmp(u.machine, "x86_64") ||
			      (u.machine[0] == 'i' && strstr(u.machine, "86")));
}

int ctr_encode_list(const char *list, struct ctr_event *evs, int max, char *why,
		    size_t whylen)
{
	static struct ctr_spec specs[CTR_MAX_EVENTS];
	int n = ctr_expand(list, ctr_cpu_vendor(), ctr_is_x86(), specs,
			   max < CTR_MAX_EVENTS ? max : CTR_MAX_EVENTS, why,
			   whylen);

	for (int i = 0; i < n; i++)
		ctr_encode_spec(&specs[i], &evs[i]);
	return n;
}

static int opt_counters(const char *opt, const char *value)
{
	struct ctr_spec specs[CTR_MAX_EVENTS];
	char why[256];

	(void)opt;
	if (!strcmp(value, "list"))
		exit(ctr_print_list(stdout));
	/* Syntax only here; unknown events are reported, not refused. */
	if (ctr_expand(value, ctr_cpu_vendor(), ctr_is_x86(), specs,
		       CTR_MAX_EVENTS, why, sizeof(why)) < 0) {
		bench_opt_err("%s\n", why);
		return 2;
	}
	list_arg = value;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median cost of reading the whole set once. */
static double measure_read_cost(struct ctr_set *s)
{
	static struct ctr_value vals[CTR_MAX_EVENTS];
	double t[READ_COST_SAMPLES];

	ctr_set_reset(s);
	ctr_set_enable(s);
	for (int i = 0; i < READ_COST_SAMPLES; i++) {
		uint64_t t0 = bench_now_ns();

		ctr_set_read(s, vals);
		t[i] = (double)(bench_now_ns() - t0);
	}
	ctr_set_disable(s);
	qsort(t, READ_COST_SAMPLES, sizeof(t[0]), cmp_double);
	return t[READ_COST_SAMPLES / 2];
}

/*
 * Enabling and disabling a counter that lives on another CPU sends that
 * CPU an IPI, so an empty region does not count zero IPIs: record the
 * smallest count of a few empty regions so a reader can tell that floor
 * from the benchmark's own work.
 */
static void measure_empty_region(struct ctr_set *s)
{
	static struct ctr_value v[CTR_MAX_EVENTS];

	for (int r = 0; r < 5; r++) {
		ctr_set_reset(s);
		ctr_set_enable(s);
		ctr_set_disable(s);
		ctr_set_read(s, v);
		for (int i = 0; i < nevents; i++) {
			if (!v[i].ok)
				continue;
			if (!empty_ok[i] || v[i].value < empty_count[i])
				empty_count[i] = v[i].value;
			empty_ok[i] = true;
		}
	}
}

/*
 * Encode and try to open everything once, so each unavailable event is
 * said once on stderr (and not retried per instance).
 */
static int counters_begin(void)
{
	char why[256];
	struct ctr_set *probe;

	if (!list_arg)
		return 0;
	nevents = ctr_encode_list(list_arg, events, CTR_MAX_EVENTS, why,
				  sizeof(why));
	if (nevents < 0) {
		bench_opt_err("%s\n", why);
		return 2;
	}
	probe = ctr_set_open(events, nevents);
	if (!probe) {
		bench_opt_err("counters: out of memory: %s\n",
			      strerror(ENOMEM));
		return 1;
	}
	for (int i = 0; i < nevents; i++) {
		const char *w = ctr_set_why(probe, i);

		if (!w)
			continue;
		events[i].available = false;
		snprintf(events[i].why, sizeof(events[i].why), "%s", w);
		bench_log("counters: %s unavailable: %s", events[i].name, w);
	}
	measure_empty_region(probe);
	read_cost_ns = measure_read_cost(probe);
	ctr_set_close(probe);
	return 0;
}

static void counters_end(void)
{
	ctr_set_close(set);
	set = NULL;
}

static json_t *num_or_null(bool ok, double v)
{
	return ok && isfinite(v) ? json_real(v) : json_null();
}

static const char *kind_name(enum ctr_kind k)
{
	return k == CTR_HW   ? "hardware"
	       : k == CTR_SW ? "software"
			     : "tracepoint";
}

static void counters_context(void *obj)
{
	json_t *c, *evs;

	if (!list_arg)
		return;
	c = json_object();
	evs = json_array();
	json_object_set_new(c, "list", json_string(list_arg));
	json_object_set_new(c, "cpu_vendor",
			    json_string(ctr_vendor_name(ctr_cpu_vendor())));
	json_object_set_new(c, "read_cost_ns",
			    read_cost_ns >= 0 ? json_real(read_cost_ns)
					      : json_null());
	json_object_set_new(c, "mode",
			    json_string("per-thread: inherit=1 from the thread "
					"starting the region; @all: every "
					"online CPU"));
	for (int i = 0; i < nevents; i++) {
		const struct ctr_event *e = &events[i];

		json_array_append_new(
			evs,
			json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:s,s:s,s:o}",
				  "name", e->name, "kind", kind_name(e->kind),
				  "encoding", e->encoding, "system_wide",
				  e->system_wide, "available", e->available,
				  "exclude_user", (int)e->attr.exclude_user,
				  "exclude_kernel", (int)e->attr.exclude_kernel,
				  "why", e->why, "note", e->note,
				  "empty_region_count",
				  num_or_null(empty_ok[i], empty_count[i])));
	}
	json_object_set_new(c, "events", evs);
	json_object_set_new(obj, "counters", c);
}

static void counters_instance_begin(struct bench_state *st)
{
	(void)st;
	if (!list_arg)
		return;
	ctr_set_close(set);
	set = ctr_set_open(events, nevents);
	if (!set)
		bench_log("counters: out of memory opening counters: %s",
			  strerror(ENOMEM));
}

static void counters_instance_end(struct bench_state *st)
{
	(void)st;
	ctr_set_close(set);
	set = NULL;
}

static void counters_start(struct bench_state *st)
{
	(void)st;
	if (!set)
		return;
	ctr_set_reset(set);
	ctr_set_enable(set);
}

static void counters_stop(struct bench_state *st)
{
	struct rep_data *d;

	if (!set)
		return;
	ctr_set_disable(set);
	d = bench_ext_data(st, "counters", sizeof(*d));
	if (!d)
		return;
	ctr_set_read(set, d->v);
	d->valid = true;
	for (int i = 0; i < nevents; i++) {
		char note[CTR_WHY_LEN + 16];

		if (d->v[i].ok) {
			bench_ext_value(st, events[i].name, d->v[i].value,
					events[i].note);
			continue;
		}
		snprintf(note, sizeof(note), "unavailable: %s", d->v[i].why);
		bench_ext_value(st, events[i].name, NAN, note);
	}
}

static void counters_pause(struct bench_state *st)
{
	(void)st;
	if (set)
		ctr_set_disable(set);
}

static void counters_resume(struct bench_state *st)
{
	(void)st;
	if (set)
		ctr_set_enable(set);
}

static void counters_row(struct bench_state *st, void *obj)
{
	struct rep_data *d;
	json_t *c;
	double iters, items;

	if (!set && !nevents)
		return;
	d = bench_ext_data(st, "counters", sizeof(*d));
	if (!d || !d->valid)
		return;
	c = json_object_get(obj, "counters");
	if (!c) {
		c = json_object();
		json_object_set_new(obj, "counters", c);
	}
	iters = (double)bench_iterations(st) * bench_threads(st);
	items = (double)bench_items(st);
	for (int i = 0; i < nevents; i++) {
		const struct ctr_value *v = &d->v[i];
		char note[CTR_WHY_LEN + 16];

		if (v->ok)
			snprintf(note, sizeof(note), "%s", events[i].note);
		else
			snprintf(note, sizeof(note), "unavailable: %s", v->why);
		json_object_set_new(
			c, events[i].name,
			json_pack("{s:o,s:o,s:o,s:o,s:b,s:s}", "value",
				  num_or_null(v->ok, v->value), "per_iter",
				  num_or_null(v->ok && iters > 0,
					      v->value / iters),
				  "per_item",
				  num_or_null(v->ok && items > 0,
					      v->value / items),
				  "scale", num_or_null(v->ok, v->ratio),
				  "system_wide", events[i].system_wide, "note",
				  note));
	}
}

static const struct bench_opt counters_opts[] = {
	{"counters", "LIST",
	 "perf events around each timed region (kernel+user):\n"
	 "libpfm/perf names, rNNNN, sys:tracepoint, NAME:u|:k,\n"
	 "NAME@all (every CPU); presets tlb, hvo; 'list' shows\n"
	 "what this machine supports",
	 .set = opt_counters},
	{0}};

BENCH_EXT_REGISTER(counters, .priority = BENCH_EXT_INNERMOST,
		   .opts = counters_opts, .run_begin = counters_begin,
		   .run_end = counters_end, .context = counters_context,
		   .instance_begin = counters_instance_begin,
		   .instance_end = counters_instance_end,
		   .start = counters_start, .stop = counters_stop,
		   .pause = counters_pause, .resume = counters_resume,
		   .row = counters_row);
