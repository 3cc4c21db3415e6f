/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HVOBENCH_RESULT_H
#define HVOBENCH_RESULT_H

#include "harness.h"

#define MAX_METRICS (4 + MAX_USER_CTR)

struct metric {
	char name[48];
	double value;
};

/* A user counter with its flags applied. */
double result_counter(const struct bench_result *r, const struct user_ctr *c);
double result_items_rate(const struct bench_result *r);
double result_bytes_rate(const struct bench_result *r);
/* real_time, cpu_time, rates, user counters, in a stable order. */
int result_metrics(const struct bench_result *r, struct metric *m, int max);
void result_aggregate(const struct bench_result *r, int n, int k,
		      struct stats *s);
void format_time(char *buf, size_t len, double ns);
void format_si(char *buf, size_t len, double v);

#endif
