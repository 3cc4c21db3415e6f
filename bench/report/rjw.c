// SPDX-License-Identifier: GPL-2.0
/*
 * A hundred thousand comparisons were each built as a jansson object and
 * dumped through a callback per token: half of a large compare's time.
 * These write the same bytes straight into a buffer; unit/report_rjw
 * checks them against jansson's.
 */
#include "rjw.h"

#include <math.h>
#include <stdint.h>
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

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static int bitlen(u128 x)
{
	int n = 0;

	for (; x >> 64; x >>= 64)
		n += 64;
	for (uint64_t y = (uint64_t)x; y; y >>= 1)
		n++;
	return n;
}

/*
 * The 10 significant digits printf's "%.10g" shows for v (finite, not
 * 0): *d in [1e9, 1e10) and the decimal exponent *x, rounded half to
 * even from v's exact value with 128-bit integers.  False when v is too
 * large or small for them (then snprintf does it).
 */
static bool digits10(double v, uint64_t *d, int *x)
{
	int q, e = (int)floor(log10(fabs(v)));
	uint64_t m = (uint64_t)ldexp(frexp(fabs(v), &q), 53);

	q -= 53; /* |v| = m * 2^q */
	for (int tries = 0; tries < 3; tries++) {
		int s = 9 - e, e2 = q + s; /* d ~ |v| * 10^s */
		u128 p5 = 1, num = m, den = 1, dq, r;

		if (s < -27 || s > 27)
			return false; /* 5^27 < 2^63 */
		for (int i = 0; i < (s < 0 ? -s : s); i++)
			p5 *= 5;
		if (s >= 0)
			num *= p5;
		else
			den = p5;
		if (e2 > 0 && bitlen(num) + e2 <= 127)
			num <<= e2;
		else if (e2 < 0 && bitlen(den) - e2 <= 127)
			den <<= -e2;
		else if (e2)
			return false;
		dq = num / den;
		r = num % den;
		if (2 * r > den || (2 * r == den && (dq & 1)))
			dq++;
		if (dq >= 10000000000ULL)
			e++;
		else if (dq < 1000000000ULL)
			e--;
		else {
			*d = (uint64_t)dq;
			*x = e;
			return true;
		}
	}
	return false;
}

/* "%.10g" from digits10's result: trailing zeros dropped as %g does. */
static int format10(char *b, bool neg, uint64_t d, int x)
{
	char dig[11], *o = b;
	int nd = 10;

	for (int i = 9; i >= 0; i--, d /= 10)
		dig[i] = (char)('0' + d % 10);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (neg)
		*o++ = '-';
	if (x < -4 || x >= 10) {
		*o++ = dig[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)nd - 1);
			o += nd - 1;
		}
		o += sprintf(o, "e%d", x);
	} else if (x >= 0) {
		memcpy(o, dig, (size_t)x + 1);
		o += x + 1;
		if (nd > x + 1) {
			*o++ = '.';
			memcpy(o, dig + x + 1, (size_t)(nd - x - 1));
			o += nd - x - 1;
		}
	} else {
		*o++ = '0';
		*o++ = '.';
		for (int i = -1; i > x; i--)
			*o++ = '0';
		memcpy(o, dig, (size_t)nd);
		o += nd;
	}
	*o = '\0';
	return (int)(o - b);
}
#endif

void rjw_real(struct rjw *w, double v)
{
	char b[40], *e;
	int n;

	if (!isfinite(v)) {
		rjw_raw(w, "null", 4);
		return;
	}
#ifdef __SIZEOF_INT128__
	{
		/* printf's exact conversion was most of a large report. */
		uint64_t d;
		int x;

		if (v != 0 && digits10(v, &d, &x)) {
			n = format10(b, v < 0, d, x);
			if (!strchr(b, '.') && !strchr(b, 'e')) {
				memcpy(b + n, ".0", 3);
				n += 2;
			}
			rjw_raw(w, b, (size_t)n);
			return;
		}
	}
#endif
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
		rjw_raw(w, ",\"", 2);
	else
		rjw_raw(w, "\"", 1);
	w->member = true;
	rjw_raw(w, k, strlen(k));
	rjw_raw(w, "\":", 2);
}

void rjw_close(struct rjw *w)
{
	rjw_raw(w, "}", 1);
	w->member = true;
}
