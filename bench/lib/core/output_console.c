// SPDX-License-Identifier: GPL-2.0
/* Console table, one row per repetition and per aggregate. */
#include "result.h"

#include <math.h>
#include <string.h>

static const char *const agg_names[] = {"mean", "median", "stddev",
					"cv",	"min",	  "max"};

static void con_begin(FILE *f)
{
	fprintf(f, "%-58s %12s %12s %10s\n", "Benchmark", "Time", "CPU",
		"Iterations");
	fprintf(f, "%.*s\n", 96,
		"--------------------------------------------------------------"
		"--"
		"--------------------------------------------------------------"
		"--");
}

static void print_hists(FILE *f, const struct bench_result *r)
{
	for (int i = 0; i < r->nhist; i++) {
		const struct bench_hist *h = r->hist[i];
		char p50[24], p99[24], mx[24];

		if (!h->count)
			continue;
		format_time(p50, sizeof(p50), (double)hist_quantile(h, 0.5));
		format_time(p99, sizeof(p99), (double)hist_quantile(h, 0.99));
		format_time(mx, sizeof(mx), (double)h->max);
		fprintf(f, "    %s: n=%llu p50=%s p99=%s max=%s\n", h->name,
			(unsigned long long)h->count, p50, p99, mx);
	}
}

static void con_result(FILE *f, const struct bench_result *r)
{
	const char *name = r->inst->name;
	char rt[24], ct[24], buf[32];

	if (r->skipped || r->failed) {
		fprintf(f, "%-58s %s: %s\n", name,
			r->skipped ? "SKIPPED" : "ERROR", r->reason);
		return;
	}
	double s = 1e9 / unit_scale(r->unit);

	format_time(rt, sizeof(rt), r->real_time * s);
	format_time(ct, sizeof(ct), r->cpu_time * s);
	fprintf(f, "%-58s %12s %12s %10llu", name, rt, ct,
		(unsigned long long)r->iterations);
	if (r->items) {
		format_si(buf, sizeof(buf), result_items_rate(r));
		fprintf(f, " items/s=%s", buf);
	}
	if (r->bytes) {
		format_si(buf, sizeof(buf), result_bytes_rate(r));
		fprintf(f, " bytes/s=%s", buf);
	}
	for (int i = 0; i < r->nctr; i++) {
		format_si(buf, sizeof(buf), result_counter(r, &r->ctr[i]));
		fprintf(f, " %s=%s", r->ctr[i].name, buf);
	}
	for (int i = 0; i < r->nvalues; i++) {
		if (r->values[i].note[0] && isnan(r->values[i].value))
			continue; /* unavailable: said once by its owner */
		format_si(buf, sizeof(buf), r->values[i].value);
		fprintf(f, " %s=%s", r->values[i].name, buf);
	}
	if (r->label[0])
		fprintf(f, " %s", r->label);
	fputc('\n', f);
	print_hists(f, r);
}

static void con_aggregate(FILE *f, const struct bench_result *r, int n)
{
	struct stats s;
	double sc = 1e9 / unit_scale(r->unit);

	result_aggregate(r, n, 0, &s);
	const double v[] = {s.mean, s.median, s.stddev, s.cv, s.min, s.max};
	struct stats c;

	result_aggregate(r, n, 1, &c);
	const double cv[] = {c.mean, c.median, c.stddev, c.cv, c.min, c.max};

	for (size_t i = 0; i < sizeof(agg_names) / sizeof(agg_names[0]); i++) {
		char name[300], rt[24], ct[24];

		snprintf(name, sizeof(name), "%s_%s", r->inst->name,
			 agg_names[i]);
		if (!strcmp(agg_names[i], "cv")) {
			snprintf(rt, sizeof(rt), "%.2f%%", v[i] * 100);
			snprintf(ct, sizeof(ct), "%.2f%%", cv[i] * 100);
		} else {
			format_time(rt, sizeof(rt), v[i] * sc);
			format_time(ct, sizeof(ct), cv[i] * sc);
		}
		fprintf(f, "%-58s %12s %12s %10d\n", name, rt, ct, n);
	}
}

static int con_end(FILE *f)
{
	(void)f;
	return 0;
}

const struct bench_output output_console = {
	.begin = con_begin,
	.result = con_result,
	.aggregate = con_aggregate,
	.end = con_end,
};
