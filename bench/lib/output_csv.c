// SPDX-License-Identifier: GPL-2.0
/* CSV with Google Benchmark's columns, then ours. */
#include "result.h"

#include <string.h>

static void csv_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_begin(FILE *f)
{
	fputs("name,iterations,real_time,cpu_time,time_unit,bytes_per_second,"
	      "items_per_second,label,error_occurred,error_message,skipped,"
	      "repetition_index,p50_ns,p99_ns,max_ns\n",
	      f);
}

static void csv_result(FILE *f, const struct bench_result *r)
{
	csv_str(f, r->inst->name);
	if (r->skipped || r->failed) {
		fprintf(f, ",,,,,,,,%s,", r->failed ? "true" : "false");
		csv_str(f, r->reason);
		fprintf(f, ",%s,,,,\n", r->skipped ? "true" : "false");
		return;
	}
	fprintf(f, ",%llu,%.6g,%.6g,%s,", (unsigned long long)r->iterations,
		r->real_time, r->cpu_time, r->unit);
	if (r->bytes)
		fprintf(f, "%.6g", result_bytes_rate(r));
	fputc(',', f);
	if (r->items)
		fprintf(f, "%.6g", result_items_rate(r));
	fputc(',', f);
	csv_str(f, r->label);
	fprintf(f, ",false,,false,%d,", r->repetition);
	if (r->nhist && r->hist[0]->count)
		fprintf(f, "%llu,%llu,%llu",
			(unsigned long long)hist_quantile(r->hist[0], 0.5),
			(unsigned long long)hist_quantile(r->hist[0], 0.99),
			(unsigned long long)r->hist[0]->max);
	else
		fputs(",,", f);
	fputc('\n', f);
}

static void csv_aggregate(FILE *f, const struct bench_result *r, int n)
{
	(void)f, (void)r, (void)n; /* rows carry the samples; no aggregates */
}

static int csv_end(FILE *f)
{
	(void)f;
	return 0;
}

const struct bench_output output_csv = {
	.begin = csv_begin,
	.result = csv_result,
	.aggregate = csv_aggregate,
	.end = csv_end,
};
