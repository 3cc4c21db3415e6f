/* SPDX-License-Identifier: GPL-2.0 */
/* libbench internals shared by the runner, the options and the outputs. */
#ifndef HVOBENCH_HARNESS_H
#define HVOBENCH_HARNESS_H

#include "bench.h"
#include "hist.h"
#include "params.h"
#include "stats.h"

#include <pthread.h>
#include <regex.h>
#include <stdio.h>

#define MAX_BENCH      512
#define MAX_EXT	       16
#define MAX_USER_CTR   32
#define MAX_HIST       8
#define MAX_EXT_DATA   8
#define MAX_EXT_VALUES 48
#define MAX_AXES       4
#define AXIS_VALUE_LEN 32

struct user_ctr {
	char name[48];
	double value;
	unsigned int flags;
};

struct ext_value {
	char name[64];
	double value;
	char note[96];
};

struct ext_data {
	const char *key;
	void *data;
};

/* One instance: a definition with one value per parameter. */
struct bench_instance {
	const struct bench_def *def;
	const char *family; /* the definition's name */
	int family_index, instance_index;
	int nparams;
	const char *pname[BENCH_MAX_PARAMS];
	const char *pvalue[BENCH_MAX_PARAMS];
	char name[256];
	int threads;
	const struct bench_args *args; /* the suite's arguments, or NULL */
	const char *suites;	       /* suites this instance is in */
	/* Kernel-state axes among the params (index into pname). */
	int naxes;
	int axis_param[MAX_AXES];
	const char *control_for; /* axis name, or NULL */
};

/* Shared by the threads of one repetition. */
struct bench_run {
	pthread_barrier_t barrier;
	pthread_mutex_t lock;
	bool skipped, failed;
	char reason[BENCH_MAX_REASON];
};

struct bench_state {
	uint64_t left; /* must stay first: the inline bench_loop's countdown */
	struct bench_run *run;
	const struct bench_instance *inst;
	bool quick;
	int thread_index;
	uint64_t max_iters;
	bool started, finished, paused;
	bool ranged;	   /* bench_range: the count lives in the caller */
	uint64_t t0, cpu0; /* current timing segment */
	uint64_t wall_ns, cpu_ns; /* accumulated */
	uint64_t t_begin, t_end;  /* absolute, for the threads' union */
	double manual_s;
	int64_t items, bytes;
	int nctr;
	struct user_ctr ctr[MAX_USER_CTR];
	int nhist;
	struct bench_hist *hist[MAX_HIST];
	char label[128];
	int ndata;
	struct ext_data data[MAX_EXT_DATA];
	int nvalues;
	struct ext_value values[MAX_EXT_VALUES];
};

/* The outcome of one repetition, as printed. */
struct bench_result {
	const struct bench_instance *inst;
	int repetition, repetitions;
	bool skipped, failed;
	char reason[BENCH_MAX_REASON];
	uint64_t iterations;	    /* all threads */
	double real_s, cpu_s;	    /* totals over the run */
	double real_time, cpu_time; /* per iteration, in unit */
	const char *unit;
	int64_t items, bytes;
	int nctr;
	struct user_ctr ctr[MAX_USER_CTR];
	int nhist;
	struct bench_hist *hist[MAX_HIST];
	char label[128];
	int nvalues;
	struct ext_value values[MAX_EXT_VALUES];
	void *ext_json;	  /* json_t * from the row hooks */
	int round, block; /* interleaving: round of the set, block in the run */
	/* Every registered axis as observed after the block (axis order). */
	char observed[MAX_AXES][AXIS_VALUE_LEN];
	const char *stop; /* what ended the rounds (set on every row) */
	double ci;	  /* relative 95% CI half-width when it ended, or NAN */
};

struct bench_opts {
	const char *filter;
	regex_t re;
	bool have_re;
	bool list;
	int repetitions;
	double min_time, warmup;
	enum { FMT_CONSOLE, FMT_JSON, FMT_CSV } format;
	const char *out;
	const char *suite;
	int ncontext;
	const char *context[32];
	char **argv;
	int argc;
	bool progress;
	bool shuffle;
	unsigned int seed;
	double precision;  /* --precision: overrides every benchmark's */
	double budget;	   /* --budget: seconds per benchmark (precision) */
	double run_budget; /* --run-budget: seconds for the whole run */
	enum { LIST_INSTANCES, LIST_BENCHMARKS } list_kind;
};

extern struct bench_opts bench_opts;
extern double bench_timer_overhead_ns, bench_clock_res_ns;
extern uint64_t bench_run_t0; /* start of the measured run */

int bench_count(void);
const struct bench_def *bench_at(int i);
const char *bench_name_at(int i);
int bench_ext_count(void);
const struct bench_ext *bench_ext_at(int i);
int bench_axis_count(void);
const struct bench_axis *bench_axis_at(int i);
int bench_axis_find(const char *name);
/* Effective per-instance settings (suite arguments over the definition). */
uint64_t inst_iterations(const struct bench_instance *in);
double inst_min_time(const struct bench_instance *in);
int inst_repetitions(const struct bench_instance *in);
double inst_precision(const struct bench_instance *in);
double inst_budget(const struct bench_instance *in);

/*
 * Call one hook of every extension that has it.  Extensions are kept in
 * ascending .priority; starts go in that order and stops in reverse, so
 * the highest priority (the counters) sits innermost around the region.
 */
#define EXT_EACH(field, st, reverse)                                           \
	do {                                                                   \
		int n_ = bench_ext_count();                                    \
		for (int k_ = 0; k_ < n_; k_++) {                              \
			const struct bench_ext *e_ =                           \
				bench_ext_at((reverse) ? n_ - 1 - k_ : k_);    \
			if (e_->field)                                         \
				e_->field(st);                                 \
		}                                                              \
	} while (0)
#define EXT_CALL(field, st) EXT_EACH(field, st, false)

/* Expand every registered definition into instances. */
int bench_instances(struct bench_instance **out, int *n, char *err, size_t len);
/* Free what bench_instances() returned. */
void bench_instances_free(struct bench_instance *v, int n);
/*
 * Run instances that differ only in their axes as alternating blocks,
 * round by round (A B, B A, A B ...); res[m] gets member m's rows.
 * *block numbers blocks over the whole run.  -1 if any failed.
 */
int bench_run_set(const struct bench_instance *const *members, int n,
		  struct bench_result **res, int *nres, int *block);
/* word is an element of the comma list (suites, group_by). */
bool bench_word_in(const char *list, const char *word);
bool bench_param_compared(const struct bench_instance *in, int p);
/* Same set: same definition, same values of every non-axis parameter. */
bool bench_same_set(const struct bench_instance *a,
		    const struct bench_instance *b);
void bench_result_free(struct bench_result *r);

double unit_scale(const char *unit); /* seconds -> unit */

/* Outputs (output_*.c). */
struct bench_output {
	void (*begin)(FILE *f);
	void (*result)(FILE *f, const struct bench_result *r);
	void (*aggregate)(FILE *f, const struct bench_result *r, int n);
	int (*end)(FILE *f);
};
extern const struct bench_output output_console, output_json, output_csv;
/* One result as its JSON row (a new object), for the CSV writer too. */
struct json_t *output_json_row(const struct bench_result *r);

#endif
