/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compare report: result sets read from JSON files, comparisons between
 * two sets (or two values of one parameter within a set), renderers and
 * plots.  Reads JSON files and nothing else.
 *
 * Errors are written into a caller's buffer (one line, no newline) and the
 * function returns -1; the command prints the line and exits 2.
 */
#ifndef HVOBENCH_REPORT_H
#define HVOBENCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RERR_LEN 8192

enum rdir { RDIR_NONE, RDIR_LOWER, RDIR_HIGHER };
enum runit { RU_NONE, RU_NS, RU_PER_S };

struct rmetric {
	char *name;
	enum rdir dir;
	enum runit unit;
	double *v;
	uint32_t *run; /* index of the result file each value came from */
	size_t n, cap;
};

struct rbucket {
	double lo, hi, count;
};

/* A latency histogram pooled over every row of a benchmark. */
struct rhist {
	char *name;
	struct rbucket *b;
	size_t n, cap;
};

struct rkv {
	char *key, *val;
};

/* A row label ("regime=split") and how many rows carried it. */
struct rlabel {
	char *text;
	size_t n;
};

struct rbench {
	char *name;
	struct rkv *params;
	size_t nparams;
	struct rmetric *m;
	size_t nm, capm;
	struct rhist *h;
	size_t nh;
	size_t vm_rows;	  /* rows with a vmstat_delta object (zeros omitted) */
	uint32_t *vm_run; /* the run of each of those rows */
	uint32_t cur_run; /* run of the row being read */
	size_t rows;	  /* iteration rows read (with a time) */
	struct rlabel *labels;
	size_t nlabels;
	char *control_for; /* the axis this row is a control for (runner) */
	char *primary;	   /* declared primary metric; NULL: real_time */
};

/* One result file: its environment, flattened to "a.b.c" = "value". */
struct rrun {
	char *path;
	struct rkv *env;
	size_t nenv, capenv;
};

struct rskip {
	char *name, *reason;
};

struct rset {
	char *label; /* the path given on the command line */
	struct rrun *runs;
	size_t nruns;
	struct rbench *b;
	size_t nb;
	struct rskip *skip;
	size_t nskip, capb;
	size_t *ht; /* open-addressing index of b by name (capacity htcap) */
	size_t htcap;
};

/* rset.c: containers */
struct rbench *rset_bench(struct rset *s, const char *name);
struct rbench *rset_find(const struct rset *s, const char *name);
struct rmetric *rbench_metric(struct rbench *b, const char *name, enum rdir dir,
			      enum runit unit);
const struct rmetric *rbench_find_metric(const struct rbench *b,
					 const char *name);
int rmetric_add(struct rmetric *m, double v, uint32_t run);
struct rhist *rbench_hist(struct rbench *b, const char *name);
int rhist_add(struct rhist *h, double lo, double hi, double count);
void rhist_finish(struct rhist *h); /* sort by bound, merge duplicates */
const char *rbench_param(const struct rbench *b, const char *key);
int rbench_label(struct rbench *b, const char *text);
/* "text (n), text (n)" of a benchmark's labels into buf. */
void rbench_labels_str(const struct rbench *b, char *buf, size_t len);
int rset_add_skip(struct rset *s, const char *name, const char *reason);
void rset_free(struct rset *s);
/* Value at quantile q of a pooled histogram (linear within a bucket). */
double rhist_quantile(const struct rhist *h, double q);

/* rread.c: load a file or a directory (recursively, *.json) into s. */
int rset_load(struct rset *s, const char *path, char *err, size_t len);
/* Load one JSON document from memory (the fuzz target uses this). */
int rset_load_buf(struct rset *s, const char *buf, size_t size,
		  const char *name, char *err, size_t len);

/* A copy of s with control characters escaped (\xNN): safe to print. */
char *rsafe_dup(const char *s);
/* True when s has no byte that may start a control character (C0, DEL,
 * C1's lead byte): rsafe_dup would copy it as it is. */
bool rsafe_clean(const char *s);

/* rrow.c: one row of benchmarks[] (rjson.h) into the set. */
struct json_t;
struct rj;
int rrow_add(struct rset *s, const struct rj *row, size_t idx, char *err,
	     size_t len);
/* Google Benchmark's own row fields: every other number is a counter. */
bool rrow_gb_field(const char *k);
/* Nanoseconds in one time_unit ("ns", "us", "ms", "s"; NULL: ns); 0 if
 * unknown. */
double rrow_unit_ns(const char *u);
/* renv.c: flatten a context object into run->env. */
int renv_flatten(struct rrun *run, struct json_t *context);

enum rcorr { RCORR_BH, RCORR_HOLM };
enum rformat { RFMT_TEXT, RFMT_MARKDOWN, RFMT_JSON };

struct ropts {
	double alpha;
	enum rcorr corr;
	const char *filter; /* regex on benchmark names */
	const char *metric; /* comma list of regexes on metric names */
	const char *by;	    /* "param" or "param:v1,v2" */
	bool color;
};

/* How a comparison was tested. */
enum rtest {
	RT_WITHIN, /* Mann-Whitney on repetitions: both sides share one run */
	RT_RUNS,   /* Welch on per-run medians: the run is the unit */
	RT_NONE,   /* not tested (see excl) */
};

/* Why a comparison is outside its multiplicity family. */
enum rexcl {
	RX_NONE,
	RX_N1,		/* a side has one value: no CI, no test */
	RX_UNREACHABLE, /* the exact test cannot reach alpha at this n */
	RX_DERIVED,	/* a rate computed from the time (1/time) */
	RX_CONSTANT,	/* each side constant: nothing to test */
	RX_ONE_RUN,	/* A/B with < 2 runs a side: between-run var unknown */
	RX_NOSPREAD,	/* per-run medians without any spread */
	RX_COUNT,
};

/* One benchmark x metric comparison. */
struct rcmp {
	const char *bench; /* display name: name, or pairing key with --by */
	size_t pair;	   /* index into rreport.pairs */
	const struct rmetric *ma, *mb;
	size_t na, nb;
	double med_a, med_b, mean_a, mean_b;
	double change; /* med_b / med_a - 1; NaN when med_a is 0 */
	bool ratio;    /* est/lo/hi are B/A ratios; else B - A differences */
	double est, lo, hi;
	bool hl_exact, mwu_exact;
	double u1, p, q;
	double conf;	   /* CI coverage achieved (below nominal at tiny n) */
	double cv_a, cv_b; /* spread: coefficient of variation */
	size_t runs_a, runs_b;
	enum rtest test;
	enum rexcl excl;
	bool primary; /* the benchmark's primary metric */
	bool shown;   /* passes --metric */
	bool control; /* a control row (marked by the runner) */
	bool noise;   /* |change| below the controls' largest */
	bool sig;
	int verdict; /* -1 better, 1 worse, 2 changed (no direction), 0 */
	size_t drop_a, drop_b; /* rows of this benchmark without the metric */
};

/* A multiplicity family: one per primary metric, one per secondary. */
struct rfamily {
	const char *metric;
	bool primary;
	size_t m, n_sig;
};

/* Benchmarks paired between the two sides. */
struct rpair {
	char *key;
	const struct rbench *a, *b;
};

struct rreport {
	struct ropts o;
	const struct rset *sa, *sb; /* the same set with --by */
	char *label_a, *label_b;    /* "A", "B" or "hvo:off", "hvo:on" */
	char *by_param;
	struct rpair *pairs;
	size_t npairs;
	struct rcmp *c;
	size_t nc;
	char **only_a, **only_b;
	size_t nonly_a, nonly_b;
	size_t n_identical; /* metrics equal and constant on both sides */
	size_t n_noparam;   /* --by: benchmarks without the parameter */
	/* Primary metrics: significant ones by direction; left out. */
	size_t n_better, n_worse, n_changed;
	size_t n_primary, excl[RX_COUNT];
	struct rfamily *fam;
	size_t nfam;
	/* The finding: indices into c, largest effect first. */
	size_t *find, nfind;
	bool find_tested; /* significant rows; else largest untested ones */
	/* Controls: the largest |change| among control rows. */
	double noise;
	const char *noise_bench;
	size_t n_control;
	char **warn; /* every warning, computed once */
	size_t nwarn;
	char **plots; /* image base names with what each shows */
	char **plot_titles;
	size_t nplots;
};

/* rcompare.c */
int rreport_build(struct rreport *r, const struct rset *a, const struct rset *b,
		  const struct ropts *o, char *err, size_t len);
void rreport_free(struct rreport *r);
/* In a multiplicity family: tested, and not left out for a reason. */
bool rcmp_tested(const struct rcmp *c);
/* rwarn.c: the warning lines into r->warn; 0 or -1 (ENOMEM). */
int rreport_warnings(struct rreport *r);
/* rfind.c: the finding and the controls' noise floor. */
int rreport_finding(struct rreport *r);
const char *rexcl_name(enum rexcl x);

/* rfmt.c: value formatting shared by the renderers. */
void rfmt_value(char *buf, size_t len, double v, enum runit u);
void rfmt_pct(char *buf, size_t len, double ratio);
void rfmt_ratio_ci(char *lo, char *hi, size_t len, double a, double b);
void rfmt_diff(char *buf, size_t len, double d, enum runit u);
void rfmt_p(char *buf, size_t len, double p);
const char *rfmt_verdict(int verdict);
const char *rcorr_name(enum rcorr c);
/* Write text wrapped at width columns, each line after indent. */
void rfmt_wrap(FILE *f, const char *indent, const char *text, int width);
/* The same with another indent after the first line (lists). */
void rfmt_hang(FILE *f, const char *first, const char *rest, const char *text,
	       int width);

/* Renderers. */
void rtext_print(FILE *f, const struct rreport *r);
/* Its first screen only: sides, finding, controls, families. */
void rtext_headline(FILE *f, const struct rreport *r);
/* "[lo,hi]" of a comparison's CI, "-" without one; its change. */
void rtext_ci(char *buf, size_t len, const struct rcmp *c);
void rtext_change(char *buf, size_t len, const struct rcmp *c);
void rmd_print(FILE *f, const struct rreport *r);
int rjson_print(FILE *f, const struct rreport *r);
/* renv.c: environment diff (A vs B) or brief (--by); text or markdown. */
void renv_print(FILE *f, const struct rreport *r, bool markdown);
/* Brief environment (object) or differing keys (array of key/a/b). */
struct json_t *renv_json(const struct rreport *r);
/* Environment keys that differ between the runs of one set. */
size_t renv_varying(const struct rset *s, char *names, size_t len);

/* rplot.c: plot data and gnuplot images into dir; 0 or -1 with err. */
int rplot_write(struct rreport *r, const char *dir, char *err, size_t len);

#endif
