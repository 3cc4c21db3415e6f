// SPDX-License-Identifier: GPL-2.0
/*
 * A hundred thousand comparisons were each built as a jansson object and
 * dumped through a callback per token: half of a large compare's time.
 * These write the same bytes straight into a buffer; unit/report_rjw
 * checks them against jansson's.
 */
#include "rjw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rjw_raw(struct rjw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 1024;
		char *q;

		while (w->len + n + 1 > cap)
			cap *= 2;
		q = realloc(w->buf, cap);
		if (!q) {
			w->oom = true;
			return;
		}
		w->buf = q;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void rjw_str(struct rjw *w, const char *s)
{
	const char *run = s;

	rjw_raw(w, "\"", 1);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rjw_raw(w, run, (size_t)(p - run));
		run = p + 1;
		switch (c) {
		case '"':
			rjw_raw(w, "\\\"", 2);
			break;
		case '\\':
			rjw_raw(w, "\\\\", 2);
			break;
		case '\b':
			rjw_raw(w, "\\b", 2);
			break;
		case '\f':
			rjw_raw(w, "\\f", 2);
			break;
		case '\n':
			rjw_raw(w, "\\n", 2);
			break;
		case '\r':
			rjw_raw(w, "\\r", 2);
			break;
		case '\t':
			rjw_raw(w, "\\t", 2);
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			rjw_raw(w, esc, 6);
		}
	}
	rjw_raw(w, run, strlen(run));
	rjw_raw(w, "\"", 1);
}

void rjw_real(struct rjw *w, double v)
{
	char b[40], *e;
	int n;

	if (!isfinite(v)) {
		rjw_raw(w, "null", 4);
		return;
	}
	n = snprintf(b, sizeof(b), "%.10g", v);
	e = strchr(b, 'e');
	if (e) {
		/* "1e+05" -> "1e5", "1e-05" -> "1e-5" */
		char *d = e + 1, *s = e + 1;

		if (*s == '-')
			d = ++s;
		else if (*s == '+')
			s++;
		while (*s == '0' && s[1])
			s++;
		memmove(d, s, strlen(s) + 1);
		n = (int)strlen(b);
	} else if (!strchr(b, '.')) {
		/* A real keeps looking like one: "100" -> "100.0" */
		memcpy(b + n, ".0", 3);
		n += 2;
	}
	rjw_raw(w, b, (size_t)n);
}

void rjw_int(struct rjw *w, long long v)
{
	char b[24];

	rjw_raw(w, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

void rjw_bool(struct rjw *w, bool v)
{
	rjw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void rjw_open(struct rjw *w)
{
	rjw_raw(w, "{", 1);
	w->member = false;
}

void rjw_key(struct rjw *w, const char *k)
{
	if (w->member)
		rjw_raw(w, ",", 1);
	w->member = true;
	rjw_str(w, k);
	rjw_raw(w, ":", 1);
}

void rjw_close(struct rjw *w)
{
	rjw_raw(w, "}", 1);
	w->member = true;
}
