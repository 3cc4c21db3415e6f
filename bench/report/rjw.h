/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compact JSON written into a growing buffer, byte for byte as jansson's
 * json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(10)) writes it (the
 * report's comparisons, one per line; bench/report/rjw.c).
 */
#ifndef HVOBENCH_RJW_H
#define HVOBENCH_RJW_H

#include <stdbool.h>
#include <stddef.h>

struct rjw {
	char *buf;
	size_t len, cap;
	bool oom;    /* a write failed: the buffer is incomplete */
	bool member; /* an object member was written: next needs a comma */
};

void rjw_raw(struct rjw *w, const char *s, size_t n);
void rjw_str(struct rjw *w, const char *s);
/* A real as jansson prints it ("%.10g", ".0" or exponent fixed); null
 * when it is not finite. */
void rjw_real(struct rjw *w, double v);
void rjw_int(struct rjw *w, long long v);
void rjw_bool(struct rjw *w, bool v);
/* '{', then members ("key":) and their values, then '}'. */
void rjw_open(struct rjw *w);
/* k is a name of ours: written as it is, never escaped. */
void rjw_key(struct rjw *w, const char *k);
void rjw_close(struct rjw *w);

#endif
