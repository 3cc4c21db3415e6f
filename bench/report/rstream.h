/* SPDX-License-Identifier: GPL-2.0 */
/* Streaming reader of one result document (bench/report/rstream.c). */
#ifndef HVOBENCH_RSTREAM_H
#define HVOBENCH_RSTREAM_H

#include "rjson.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct rstream {
	void *ctx;
	/* A top-level member other than the benchmarks array. */
	int (*member)(void *ctx, const char *key, json_t *v, char *err,
		      size_t len);
	/* One element of benchmarks[], in order (valid until it returns). */
	int (*row)(void *ctx, const struct rj *row, size_t idx, char *err,
		   size_t len);
	bool mapped; /* buf is a read-only file mapping: drop read pages */
};

#define RSTREAM_NOT_OBJECT 1 /* valid JSON, but not an object */
#define RSTREAM_NO_ROWS	   2 /* an object without a benchmarks array */

/*
 * Walk a document: 0, RSTREAM_NOT_OBJECT, RSTREAM_NO_ROWS; -1 when a
 * callback failed (its message in err); -2 on invalid JSON (je says
 * where, in the whole document's lines and columns).
 */
int rstream_parse(const char *buf, size_t size, const struct rstream *cb,
		  json_error_t *je, char *err, size_t len);

#endif
