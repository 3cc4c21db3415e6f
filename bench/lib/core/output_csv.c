// SPDX-License-Identifier: GPL-2.0
/*
 * CSV with every field of the JSON rows: Google Benchmark's columns
 * first, then each other field of any row flattened to a dotted path
 * (hvobench.params.size, hvobench.vmstat_delta.pgfault, user counters,
 * hvobench.counters.EVENT.value, ...), reals shortest-exact as in the
 * JSON.  The columns are known only when every row is, so rows are kept
 * and written at the end.  Skipped and failed instances are rows too.
 */
#include "json_write.h"
#include "result.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const gb_cols[] = {
	"name",		  "iterations",	      "real_time",	  "cpu_time",
	"time_unit",	  "bytes_per_second", "items_per_second", "label",
	"error_occurred", "error_message",    "skipped",	  NULL};

static json_t *rows; /* flattened rows: {"path": "text"} */
static json_t *cols; /* column name -> true, in first-seen order */

static void flatten(json_t *out, const char *prefix, json_t *v)
{
	char key[512], buf[40];
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach (v, k, x) {
			snprintf(key, sizeof(key), "%s%s%s", prefix,
				 *prefix ? "." : "", k);
			flatten(out, key, x);
		}
		return;
	case JSON_ARRAY:
		json_array_foreach (v, i, x) {
			snprintf(key, sizeof(key), "%s[%zu]", prefix, i);
			flatten(out, key, x);
		}
		return;
	case JSON_STRING:
		json_object_set_new(out, prefix, json_incref(v));
		break;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		json_object_set_new(out, prefix, json_string(buf));
		break;
	case JSON_REAL:
		json_shortest_real(buf, sizeof(buf), json_real_value(v));
		json_object_set_new(out, prefix, json_string(buf));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		json_object_set_new(
			out, prefix,
			json_string(json_is_true(v) ? "true" : "false"));
		break;
	default: /* null: an empty cell */
		json_object_set_new(out, prefix, json_string(""));
		break;
	}
	json_object_set(cols, prefix, json_true());
}

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
	(void)f;
	rows = json_array();
	cols = json_object();
	for (int i = 0; gb_cols[i]; i++)
		json_object_set(cols, gb_cols[i], json_true());
}

static void csv_result(FILE *f, const struct bench_result *r)
{
	json_t *row, *flat = json_object();

	(void)f;
	if (r->skipped || r->failed)
		row = json_pack("{s:s,s:b,s:s,s:b}", "name", r->inst->name,
				"error_occurred", r->failed, "error_message",
				r->reason, "skipped", r->skipped);
	else
		row = output_json_row(r);
	flatten(flat, "", row);
	json_decref(row);
	json_array_append_new(rows, flat);
}

static void csv_aggregate(FILE *f, const struct bench_result *r, int n)
{
	(void)f, (void)r, (void)n; /* rows carry the samples; no aggregates */
}

static int csv_end(FILE *f)
{
	const char *k;
	json_t *v, *row;
	size_t i;
	int c;

	c = 0;
	json_object_foreach (cols, k, v) {
		fputs(c++ ? "," : "", f);
		fputs(k, f);
	}
	fputc('\n', f);
	json_array_foreach (rows, i, row) {
		c = 0;
		json_object_foreach (cols, k, v) {
			const char *s =
				json_string_value(json_object_get(row, k));

			fputs(c++ ? "," : "", f);
			if (s && *s)
				csv_str(f, s);
		}
		fputc('\n', f);
	}
	json_decref(rows);
	json_decref(cols);
	rows = cols = NULL;
	return ferror(f) ? 1 : 0;
}

const struct bench_output output_csv = {
	.begin = csv_begin,
	.result = csv_result,
	.aggregate = csv_aggregate,
	.end = csv_end,
};
