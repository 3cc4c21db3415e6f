// SPDX-License-Identifier: GPL-2.0
/* Derived numbers of a result, shared by every output. */
#include "result.h"

#include <math.h>
#include <string.h>

double result_counter(const struct bench_result *r, const struct user_ctr *c)
{
	double v = c->value;

	if (c->flags & BENCH_CTR_RATE)
		v = r->real_s > 0 ? v / r->real_s : NAN;
	if (c->flags & BENCH_CTR_AVG_ITER)
		v = r->iterations ? v / (double)r->iterations : NAN;
	if (c->flags & BENCH_CTR_AVG_THREADS)
		v /= r->inst->threads;
	return v;
}

double result_items_rate(const struct bench_result *r)
{
	return r->items && r->real_s > 0 ? (double)r->items / r->real_s : 0;
}

double result_bytes_rate(const struct bench_result *r)
{
	return r->bytes && r->real_s > 0 ? (double)r->bytes / r->real_s : 0;
}

int result_metrics(const struct bench_result *r, struct metric *m, int max)
{
	int n = 0;

#define ADD(nm, val)                                                           \
	do {                                                                   \
		if (n < max) {                                                 \
			snprintf(m[n].name, sizeof(m[n].name), "%s", nm);      \
			m[n++].value = (val);                                  \
		}                                                              \
	} while (0)
	ADD("real_time", r->real_time);
	ADD("cpu_time", r->cpu_time);
	if (r->items)
		ADD("items_per_second", result_items_rate(r));
	if (r->bytes)
		ADD("bytes_per_second", result_bytes_rate(r));
	for (int i = 0; i < r->nctr; i++)
		ADD(r->ctr[i].name, result_counter(r, &r->ctr[i]));
#undef ADD
	return n;
}

/* Aggregate metric k over n repetitions of one instance. */
void result_aggregate(const struct bench_result *r, int n, int k,
		      struct stats *s)
{
	double x[n];
	struct metric m[MAX_METRICS];
	int cnt = 0;

	for (int i = 0; i < n; i++) {
		int nm = result_metrics(&r[i], m, MAX_METRICS);

		if (k < nm)
			x[cnt++] = m[k].value;
	}
	stats_compute(x, (size_t)cnt, s);
}

void format_time(char *buf, size_t len, double ns)
{
	if (isnan(ns))
		snprintf(buf, len, "nan");
	else if (ns < 1e3)
		snprintf(buf, len, "%.1fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.3fs", ns / 1e9);
}

void format_si(char *buf, size_t len, double v)
{
	static const char *const sfx[] = {"", "k", "M", "G", "T"};
	int i = 0;

	while (fabs(v) >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, i ? "%.4g%s" : "%.4g", v, sfx[i]);
}
