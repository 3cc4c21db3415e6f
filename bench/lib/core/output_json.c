// SPDX-License-Identifier: GPL-2.0
/* Google Benchmark's JSON schema with an "hvobench" object (SCHEMA.md). */
#include "result.h"
#include "json_write.h"
#include "schema.h"
#include "version.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static json_t *root, *rows, *skipped;

static json_t *num(double v)
{
	/* JSON has no NaN or infinity: absent beats invalid. */
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *caches(void)
{
	static const char *const type[] = {"Data", "Instruction", "Unified"};
	json_t *a = json_array();
	char path[128], buf[64];

	for (int i = 0; i < 16; i++) {
		int level = 0, shared = 0;
		long long size = 0;
		char t[32] = "";
		FILE *f;

#define RD(file, fmt, dst)                                                     \
	snprintf(path, sizeof(path),                                           \
		 "/sys/devices/system/cpu/cpu0/cache/index%d/" file, i);       \
	if (!(f = fopen(path, "r")))                                           \
		break;                                                         \
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, fmt, dst) != 1)         \
		(void)0;                                                       \
	fclose(f)
		RD("level", "%d", &level);
		RD("type", "%31s", t);
		RD("size", "%lldK", &size);
#undef RD
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu0/cache/index%d/"
			 "shared_cpu_list",
			 i);
		if ((f = fopen(path, "r"))) {
			int lo, hi;

			if (fgets(buf, sizeof(buf), f) &&
			    sscanf(buf, "%d-%d", &lo, &hi) == 2)
				shared = hi - lo + 1;
			else
				shared = 1;
			fclose(f);
		}
		for (size_t k = 0; k < 3; k++)
			if (!strcmp(t, type[k]))
				json_array_append_new(
					a, json_pack("{s:s,s:i,s:I,s:i}",
						     "type", type[k], "level",
						     level, "size",
						     (json_int_t)size * 1024,
						     "num_sharing", shared));
	}
	return a;
}

static void json_begin(FILE *f)
{
	char host[256] = "", date[64];
	time_t now = time(NULL);
	double load[3] = {0, 0, 0};
	json_t *argv = json_array(), *user = json_object();

	(void)f;
	gethostname(host, sizeof(host) - 1);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	if (getloadavg(load, 3) < 0)
		load[0] = load[1] = load[2] = 0;
	for (int i = 0; i < bench_opts.argc; i++)
		json_array_append_new(argv, json_string(bench_opts.argv[i]));
	for (int i = 0; i < bench_opts.ncontext; i++) {
		const char *kv = bench_opts.context[i];
		const char *eq = strchr(kv, '=');
		char key[128];

		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		json_object_set_new(user, key, json_string(eq + 1));
	}
	json_t *hvo = json_pack(
		"{s:i,s:s,s:s,s:o,s:o,s:o,s:o}", "schema_version",
		HVOBENCH_SCHEMA_VERSION, "version", HVOBENCH_VERSION, "suite",
		bench_opts.suite ? bench_opts.suite : "all", "argv", argv,
		"timer_overhead_ns", num(bench_timer_overhead_ns),
		"clock_resolution_ns", num(bench_clock_res_ns), "user", user);

	json_object_set_new(
		hvo, "order",
		json_pack("{s:s,s:b,s:o,s:o,s:o,s:o}", "axes", "interleaved",
			  "shuffle", bench_opts.shuffle, "seed",
			  bench_opts.shuffle ? json_integer(bench_opts.seed)
					     : json_null(),
			  "precision",
			  bench_opts.precision > 0 ? num(bench_opts.precision)
						   : json_null(),
			  "budget_s",
			  bench_opts.budget > 0 ? num(bench_opts.budget)
						: json_null(),
			  "run_budget_s",
			  bench_opts.run_budget > 0 ? num(bench_opts.run_budget)
						    : json_null()));
	for (int i = 0; i < bench_ext_count(); i++)
		if (bench_ext_at(i)->context)
			bench_ext_at(i)->context(hvo);
	json_t *ctx = json_pack(
		"{s:i,s:s,s:s,s:s,s:i,s:i,s:b,s:o,s:[f,f,f],s:s,s:o}",
		"json_schema_version", GBENCH_JSON_SCHEMA_VERSION, "date", date,
		"host_name", host, "executable", program_invocation_name,
		"num_cpus", (int)sysconf(_SC_NPROCESSORS_ONLN), "mhz_per_cpu",
		0, "cpu_scaling_enabled", 0, "caches", caches(), "load_avg",
		load[0], load[1], load[2], "library_build_type",
		strcmp(HVOBENCH_BUILD_TYPE, "Debug") ? "release" : "debug",
		"hvobench", hvo);

	rows = json_array();
	skipped = json_array();
	root = json_pack("{s:o,s:o,s:o}", "context", ctx, "benchmarks", rows,
			 "hvobench_skipped", skipped);
}

static json_t *hist_json(const struct bench_hist *h)
{
	json_t *b = json_array();

	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		if (h->bucket[i])
			json_array_append_new(
				b,
				json_pack("[I,I,I]", (json_int_t)hist_lower(i),
					  (json_int_t)hist_upper(i),
					  (json_int_t)h->bucket[i]));
	return json_pack("{s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:o}", "count",
			 (json_int_t)h->count, "min", (json_int_t)h->min, "max",
			 (json_int_t)h->max, "mean",
			 num(h->sum / (double)h->count), "p50",
			 (json_int_t)hist_quantile(h, 0.5), "p90",
			 (json_int_t)hist_quantile(h, 0.9), "p99",
			 (json_int_t)hist_quantile(h, 0.99), "p999",
			 (json_int_t)hist_quantile(h, 0.999), "buckets", b);
}

/* Name without the params listed in group_by: what --by pairs on. */
static void group_name(const struct bench_instance *in, char *buf, size_t len)
{
	int off = snprintf(buf, len, "%s", in->family);

	for (int p = 0; p < in->nparams; p++) {
		if (bench_param_compared(in, p))
			continue;
		off += snprintf(buf + off, len - (size_t)off, "/%s:%s",
				in->pname[p], in->pvalue[p]);
	}
}

/* The instance's axis values and every axis as observed after its block. */
static void add_axes(json_t *hvo, const struct bench_result *r)
{
	const struct bench_instance *in = r->inst;
	json_t *ax = json_object(), *obs = json_object();

	for (int k = 0; k < in->naxes; k++)
		json_object_set_new(ax, in->pname[in->axis_param[k]],
				    json_string(in->pvalue[in->axis_param[k]]));
	for (int a = 0; a < bench_axis_count() && a < MAX_AXES; a++)
		if (r->observed[a][0])
			json_object_set_new(obs, bench_axis_at(a)->name,
					    json_string(r->observed[a]));
	json_object_set_new(hvo, "axes", ax);
	json_object_set_new(hvo, "axes_observed", obs);
}

static json_t *row_common(const struct bench_result *r, const char *name)
{
	const struct bench_instance *in = r->inst;

	return json_pack("{s:s,s:i,s:i,s:s,s:i,s:i,s:i}", "name", name,
			 "family_index", in->family_index,
			 "per_family_instance_index", in->instance_index,
			 "run_name", in->name, "repetitions", r->repetitions,
			 "repetition_index", r->repetition, "threads",
			 in->threads);
}

static void json_result(FILE *f, const struct bench_result *r)
{
	const struct bench_instance *in = r->inst;

	(void)f;
	if (r->skipped || r->failed) {
		json_array_append_new(skipped,
				      json_pack("{s:s,s:s,s:b,s:i}", "name",
						in->name, "reason", r->reason,
						"error", r->failed, "round",
						r->round));
		return;
	}
	json_array_append_new(rows, output_json_row(r));
}

json_t *output_json_row(const struct bench_result *r)
{
	const struct bench_instance *in = r->inst;
	json_t *row = row_common(r, in->name);
	json_t *params = json_object(), *hists = json_object();
	json_t *hvo = r->ext_json ? json_incref(r->ext_json) : json_object();
	char group[256];

	json_object_set_new(row, "run_type", json_string("iteration"));
	json_object_set_new(row, "iterations",
			    json_integer((json_int_t)r->iterations));
	json_object_set_new(row, "real_time", num(r->real_time));
	json_object_set_new(row, "cpu_time", num(r->cpu_time));
	json_object_set_new(row, "time_unit", json_string(r->unit));
	if (r->items)
		json_object_set_new(row, "items_per_second",
				    num(result_items_rate(r)));
	if (r->bytes)
		json_object_set_new(row, "bytes_per_second",
				    num(result_bytes_rate(r)));
	for (int i = 0; i < r->nctr; i++)
		json_object_set_new(row, r->ctr[i].name,
				    num(result_counter(r, &r->ctr[i])));
	if (r->label[0])
		json_object_set_new(row, "label", json_string(r->label));
	for (int p = 0; p < in->nparams; p++)
		json_object_set_new(params, in->pname[p],
				    json_string(in->pvalue[p]));
	for (int i = 0; i < r->nhist; i++)
		if (r->hist[i]->count)
			json_object_set_new(hists, r->hist[i]->name,
					    hist_json(r->hist[i]));
	group_name(in, group, sizeof(group));
	json_object_set_new(hvo, "round", json_integer(r->round));
	json_object_set_new(hvo, "block", json_integer(r->block));
	add_axes(hvo, r);
	if (in->control_for)
		json_object_set_new(hvo, "control_for",
				    json_string(in->control_for));
	json_object_set_new(hvo, "stop",
			    json_pack("{s:s,s:i,s:o}", "reason",
				      r->stop ? r->stop : "rounds", "rounds",
				      r->repetitions, "ci_rel", num(r->ci)));
	json_object_set_new(hvo, "params", params);
	json_object_set_new(hvo, "group", json_string(group));
	json_object_set_new(hvo, "wall_ns", num(r->real_s * 1e9));
	json_object_set_new(hvo, "cpu_ns", num(r->cpu_s * 1e9));
	json_object_set_new(hvo, "items", json_integer(r->items));
	json_object_set_new(hvo, "hist", hists);
	if (r->nvalues) {
		json_t *c = json_object_get(hvo, "counters");

		if (!c) {
			c = json_object();
			json_object_set_new(hvo, "counters", c);
		}
		for (int i = 0; i < r->nvalues; i++) {
			const struct ext_value *v = &r->values[i];

			if (json_object_get(c, v->name))
				continue; /* the extension's own row wins */
			json_object_set_new(
				c, v->name,
				json_pack("{s:o,s:o,s:o,s:s}", "value",
					  num(v->value), "per_iter",
					  num(v->value / (double)r->iterations),
					  "per_item",
					  r->items ? num(v->value /
							 (double)r->items)
						   : json_null(),
					  "note", v->note));
		}
	}
	json_object_set_new(row, "hvobench", hvo);
	return row;
}

static void json_aggregate(FILE *f, const struct bench_result *r, int n)
{
	static const char *const agg[] = {"mean", "median", "stddev",
					  "cv",	  "min",    "max"};
	struct metric m[MAX_METRICS];
	int nm = result_metrics(r, m, MAX_METRICS);

	(void)f;
	for (size_t a = 0; a < sizeof(agg) / sizeof(agg[0]); a++) {
		char name[300];

		snprintf(name, sizeof(name), "%s_%s", r->inst->name, agg[a]);
		json_t *row = row_common(r, name);

		json_object_set_new(row, "run_type", json_string("aggregate"));
		json_object_set_new(row, "aggregate_name", json_string(agg[a]));
		json_object_set_new(row, "aggregate_unit",
				    json_string(strcmp(agg[a], "cv")
							? "time"
							: "percentage"));
		json_object_set_new(row, "iterations", json_integer(n));
		json_object_set_new(row, "time_unit", json_string(r->unit));
		for (int k = 0; k < nm; k++) {
			struct stats s;

			result_aggregate(r, n, k, &s);
			const double v[] = {s.mean, s.median, s.stddev,
					    s.cv,   s.min,    s.max};

			json_object_set_new(row, m[k].name, num(v[a]));
		}
		json_array_append_new(rows, row);
	}
}

static int json_end(FILE *f)
{
	int rc = json_write_shortest(root, f, 2);

	fputc('\n', f);
	json_decref(root);
	root = NULL;
	return rc;
}

const struct bench_output output_json = {
	.begin = json_begin,
	.result = json_result,
	.aggregate = json_aggregate,
	.end = json_end,
};
