/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbench: the hvobench harness. One public header.
 *
 * A benchmark is a function taking a state; it loops while bench_loop()
 * says so.  The harness owns the loop and the clock: it grows the
 * iteration count to reach --min-time, warms up, repeats, aggregates and
 * prints.  It knows nothing about hugetlb: requirements that need
 * domain knowledge are expressed through a check callback.
 *
 *	static void bm_empty(struct bench_state *st)
 *	{
 *		while (bench_loop(st))
 *			;
 *	}
 *	BENCH_REGISTER(empty, .name = "demo/empty", .fn = bm_empty,
 *		       .desc = "empty loop", .params = { { "n", "1,8..64*2" } });
 *
 * Parameters: a spec is a comma list of values; an element "lo..hi*m"
 * expands to lo, lo*m, ... , hi (m defaults to 8).  Values are integers
 * with an optional binary suffix (K, M, G: 2M = 2097152) or words
 * (on, off, private).  Instances are the cartesian product of all
 * parameters, named  family/bench/param:value/...  with the value as
 * written in the spec.  A parameter named "threads" runs the body in
 * that many threads released by one start barrier.
 */
#ifndef HVOBENCH_BENCH_H
#define HVOBENCH_BENCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_PARAMS 8
#define BENCH_MAX_REASON 256

struct bench_state;
struct bench_hist;
struct bench_opt;

typedef void (*bench_fn)(struct bench_state *st);
/* Return 0 if runnable; else write the reason into why and return 1. */
typedef int (*bench_check_fn)(const struct bench_state *st, char *why,
			      size_t len);

struct bench_param {
	const char *name;
	const char *spec;
};

/* Requirements; each unmet one turns the instance into a skip with reason. */
struct bench_reqs {
	bool root;		/* effective uid 0 */
	const char *path;	/* must exist (file or directory) */
	const char *writable;	/* must be writable by us */
	const char *kconfig;	/* CONFIG_FOO must be y or m */
	uint64_t min_mem_avail; /* bytes of MemAvailable */
	bench_check_fn check;	/* domain check, e.g. huge page size */
};

/*
 * One suite's arguments (the way Google Benchmark chains Args): params
 * listed here replace the definition's spec of the same name; non-zero
 * numbers replace the definition's.  Several sets may name one suite:
 * their instances are united (duplicates once).
 */
struct bench_args {
	const char *suite; /* "quick", "full", ...; NULL ends the list */
	struct bench_param params[BENCH_MAX_PARAMS];
	uint64_t iterations;
	double min_time;
	int repetitions;
	/*
	 * Adaptive rounds: repeat until the 95% CI of each axis ratio (or
	 * of the mean, without an axis) is within +-precision (0.03 = 3%),
	 * or budget seconds (default 20) of this benchmark are spent.
	 */
	double precision;
	double budget;
};

#define BENCH_MAX_ARGS 4

/*
 * Instances an axis cannot affect (e.g. 4K anonymous faults for "hvo"):
 * the report's measured noise floor.  when: "param:value" pairs joined by
 * '/', all of which must match ("" or NULL: every instance).
 */
struct bench_control {
	const char *axis;
	const char *when;
};

struct bench_def {
	const char *name; /* "family/bench"; default: the id */
	const char *desc;
	bench_fn fn;
	/*
	 * Around every run (calibration runs too), outside the timed region.
	 * setup may bench_skip()/bench_error(); teardown then does not run,
	 * so a setup that fails cleans up what it did itself.
	 */
	void (*setup)(struct bench_state *st);
	void (*teardown)(struct bench_state *st);
	struct bench_param params[BENCH_MAX_PARAMS];
	struct bench_reqs reqs;
	/*
	 * A parameter whose name is a kernel-state axis (see
	 * BENCH_AXIS_REGISTER, e.g. "hvo") is applied by the harness before
	 * the instance's setup, never by the benchmark.
	 */
	struct bench_args args[BENCH_MAX_ARGS];
	struct bench_control control;
	const char *suites; /* without args: comma list, default "quick,full" */
	uint64_t iterations; /* fixed count; 0 = grow to min_time */
	double min_time;     /* seconds; 0 = command-line default */
	int repetitions;     /* 0 = command-line default */
	bool manual_time;    /* body calls bench_set_iteration_time() */
	bool use_real_time;  /* threads: report wall, not CPU, time */
	const char *unit;    /* "ns" (default), "us", "ms", "s" */
	/*
	 * Params compared within a set, like the axes (which always are):
	 * instances differing only in these run interleaved and pair up
	 * in the report (e.g. "vmemmap"; comma list).
	 */
	const char *group_by;
	/*
	 * Run order: lower first, then by name (default 0).  For benchmarks
	 * that need a state others change for good, e.g. a vmemmap no HVO
	 * run has split yet this boot.
	 */
	int order;
	/* Measures the first run itself (e.g. a cold pool): no warm-up. */
	bool no_warmup;
};

/* Registration; link order and file do not matter. */
void bench_register(const struct bench_def *def, const char *id);

#define BENCH_REGISTER(id, ...)                                                \
	static const struct bench_def bench_def_##id = {__VA_ARGS__};          \
	__attribute__((constructor)) static void bench_reg_##id(void)          \
	{                                                                      \
		bench_register(&bench_def_##id, #id);                          \
	}

/*
 * A kernel-state axis: a parameter (e.g. "hvo") that names a switchable
 * kernel state.  Before each block of an instance that has the parameter
 * the harness calls apply(value); instances without it get apply(NULL):
 * the state the run started in.  apply returns 0, 1 (skip) or -1 (error)
 * with the reason in why.  observe() gives the state actually in force,
 * recorded in the row; a row whose observed state differs from its value
 * is an error.
 */
struct bench_axis {
	const char *name;
	int (*apply)(const char *value, char *why, size_t len);
	void (*observe)(char *buf, size_t len);
};

void bench_axis_register(const struct bench_axis *axis);

#define BENCH_AXIS_REGISTER(id, ...)                                           \
	static const struct bench_axis bench_axis_##id = {__VA_ARGS__};        \
	__attribute__((constructor)) static void bench_axis_reg_##id(void)     \
	{                                                                      \
		bench_axis_register(&bench_axis_##id);                         \
	}

/* ---- the loop -------------------------------------------------------- */

/*
 * True while the body should run one more iteration.  The fast path is
 * inline (a countdown: the first member of struct bench_state) so the
 * loop costs what Google Benchmark's range-for costs.
 */
bool bench_loop_slow(struct bench_state *st);
static inline bool bench_loop(struct bench_state *st)
{
	uint64_t *left = (uint64_t *)st;

	if (__builtin_expect(*left != 0, 1)) {
		(*left)--;
		return true;
	}
	return bench_loop_slow(st);
}

/*
 * The same loop with the count in a register, for bodies of a few
 * nanoseconds (a "memory" clobber in the body cannot force it through
 * memory):  bench_range(st) { body; }
 * A bench_skip()/bench_error() inside takes effect when the body returns.
 */
uint64_t bench_loop_begin(struct bench_state *st);
bool bench_loop_end(struct bench_state *st);
#define bench_range(st)                                                        \
	for (uint64_t bench_n_ = bench_loop_begin(st);                         \
	     bench_n_ || bench_loop_end(st); bench_n_--)

uint64_t bench_iterations(const struct bench_state *st);

/* Exclude setup work inside the loop from timing (and counters). */
void bench_pause(struct bench_state *st);
void bench_resume(struct bench_state *st);

/* Manual timing: the duration of this iteration, in seconds. */
void bench_set_iteration_time(struct bench_state *st, double seconds);

/* Work done over the whole run (all iterations): gives items/s, bytes/s. */
void bench_set_items(struct bench_state *st, int64_t items);
void bench_set_bytes(struct bench_state *st, int64_t bytes);

/* ---- parameters ------------------------------------------------------ */

/* Integer value of a parameter (suffixes K/M/G; on/yes/true = 1, off = 0). */
int64_t bench_arg(const struct bench_state *st, const char *name);
/* The value as written in the spec. */
const char *bench_arg_str(const struct bench_state *st, const char *name);
bool bench_has_arg(const struct bench_state *st, const char *name);
const char *bench_instance_name(const struct bench_state *st);
int bench_thread_index(const struct bench_state *st);
int bench_threads(const struct bench_state *st);
/* True when the selected suite is "quick" (benchmarks may shrink sizes). */
bool bench_quick(const struct bench_state *st);

/* ---- outcome --------------------------------------------------------- */

/* Skip (or fail) this instance with a reason; the body should return. */
void bench_skip(struct bench_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bench_error(struct bench_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool bench_skipped(const struct bench_state *st);

/* ---- user counters --------------------------------------------------- */

enum bench_ctr_flags {
	BENCH_CTR_DEFAULT = 0,
	BENCH_CTR_RATE = 1 << 0,	/* divided by elapsed seconds */
	BENCH_CTR_AVG_ITER = 1 << 1,	/* divided by iterations */
	BENCH_CTR_AVG_THREADS = 1 << 2, /* divided by threads */
};

/* Set (not add) a counter; threads' values are summed. */
void bench_counter(struct bench_state *st, const char *name, double value,
		   unsigned int flags);

/* Free-form text shown in the row (e.g. "regime=split"). */
void bench_label(struct bench_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- per-operation latency ------------------------------------------- */

/*
 * A named log-linear histogram owned by the run; threads get their own
 * and the harness merges them.  Values are nanoseconds.
 */
struct bench_hist *bench_hist(struct bench_state *st, const char *name);
void bench_hist_record(struct bench_hist *h, uint64_t ns);

/* ---- clocks ---------------------------------------------------------- */

uint64_t bench_now_ns(void);	     /* CLOCK_MONOTONIC */
uint64_t bench_thread_cpu_ns(void);  /* CLOCK_THREAD_CPUTIME_ID */
uint64_t bench_process_cpu_ns(void); /* CLOCK_PROCESS_CPUTIME_ID */

/* ---- running --------------------------------------------------------- */

/*
 * A program's whole command line (run options and --list; every suite by
 * default) parsed and run; returns the exit status.  argv[0] names the
 * program in messages.
 */
int bench_main(int argc, char **argv);
/*
 * hvobench run in two steps, for callers that act between parse and run
 * (quick suite by default); usage: the text after "usage: ARGV0 ".
 */
int bench_init(int argc, char **argv, const char *usage);
const char *bench_out(void); /* --out, or NULL */
void bench_set_out(const char *path);
int bench_run(void);
/* hvobench list: selection options only, then print the names. */
int bench_list(int argc, char **argv, const char *usage);

/*
 * Extensions to the run: other modules (counters, topology, environment,
 * system-state) hook in without the harness knowing them.
 */
struct bench_ext {
	const char *name;
	/*
	 * Higher runs closer to the timed region: started later, stopped
	 * earlier (counters use BENCH_EXT_INNERMOST).
	 */
	int priority;
	/* Its options for `run` (see opt.h), ended by a NULL name. */
	const struct bench_opt *opts;
	/* Around the whole run. */
	int (*run_begin)(void);
	void (*run_end)(void);
	/* Add fields to the JSON object context.hvobench (a json_t *). */
	void (*context)(void *json_object);
	/* Per instance: before the first repetition, after the last. */
	void (*instance_begin)(struct bench_state *st);
	void (*instance_end)(struct bench_state *st);
	/*
	 * Around each timed region (one repetition of one instance).
	 * Single-threaded: called in the benchmark's thread right at the
	 * edges of the timed region.  With a "threads" parameter: called by
	 * the main thread before the workers are created and after they are
	 * joined; thread_init runs in each worker before the start barrier.
	 */
	void (*start)(struct bench_state *st);
	void (*stop)(struct bench_state *st);
	/* Called on every bench_pause/bench_resume of the main thread. */
	void (*pause)(struct bench_state *st);
	void (*resume)(struct bench_state *st);
	/* Per thread the harness starts, before the start barrier. */
	void (*thread_init)(struct bench_state *st);
	/* Add fields to one row's "hvobench" object (a json_t *). */
	void (*row)(struct bench_state *st, void *json_object);
};

#define BENCH_EXT_INNERMOST 100

void bench_ext_register(const struct bench_ext *ext);

#define BENCH_EXT_REGISTER(id, ...)                                            \
	static const struct bench_ext bench_ext_##id = {.name = #id,           \
							__VA_ARGS__};          \
	__attribute__((constructor)) static void bench_ext_reg_##id(void)      \
	{                                                                      \
		bench_ext_register(&bench_ext_##id);                           \
	}

/*
 * Per-repetition storage an extension can attach to the state (e.g. its
 * counter readings); freed by the harness.  key is the extension name.
 */
void *bench_ext_data(struct bench_state *st, const char *key, size_t size);
/*
 * Counters reported by extensions: name, total value over the run, and an
 * optional note (e.g. "unavailable: no PMU").  Written to the row's
 * hvobench.counters with per_iter and per_item, and shown on the console.
 */
void bench_ext_value(struct bench_state *st, const char *name, double value,
		     const char *note);
/* Items (from bench_set_items) and iterations of this repetition. */
int64_t bench_items(const struct bench_state *st);

/* Log line to stderr (not in the result). */
void bench_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An option's error on stderr, prefixed like the harness's own errors
 * ("hvobench: ..."); fmt ends the line itself. */
void bench_opt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
