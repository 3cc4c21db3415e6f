// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a million rows with jansson was half of a large compare: each
 * row became a tree of hash tables.  This reader makes one pass over the
 * bytes and puts each object's members in one array, in an arena emptied
 * after every row.  It accepts the language jansson accepts (RFC 8259 with
 * UTF-8 checked, no NUL in strings, no duplicate keys, integers that fit
 * a long long, reals that do not overflow, depth <= 2048); for anything
 * else it gives up and the caller asks jansson for the error message.
 * unit/report_rjson checks that both agree, on our results and on
 * hand-made bad input.  One difference: jansson skips a NUL byte right
 * after a number or true/false/null; this reader refuses it, and jansson
 * then reads that row as before.
 */
#include "rjson.h"

#include <errno.h>
#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH   2048 /* jansson's JSON_PARSER_MAX_DEPTH */
#define ARENA_CHUNK (64UL << 10)

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct rj_reader {
	const char *buf;
	size_t size, pos;
	struct chunk *arena;
	/* Members and elements of the open containers, innermost last. */
	struct rj_member *stack;
	size_t top, cap;
};

static void *alloc(struct rj_reader *r, size_t n)
{
	struct chunk *c = r->arena;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t);
	if (!c || c->used + n > c->cap) {
		size_t cap = ARENA_CHUNK / sizeof(max_align_t);

		c = malloc(sizeof(*c) +
			   (n > cap ? n : cap) * sizeof(max_align_t));
		if (!c)
			return NULL;
		c->next = r->arena;
		c->used = 0;
		c->cap = n > cap ? n : cap;
		r->arena = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

struct rj_reader *rj_new(void)
{
	return calloc(1, sizeof(struct rj_reader));
}

void rj_reset(struct rj_reader *r)
{
	struct chunk *keep = r->arena;

	if (!keep)
		return;
	while (keep->next) {
		struct chunk *c = keep->next;

		keep->next = c->next;
		free(c);
	}
	keep->used = 0;
	r->top = 0;
}

void rj_free(struct rj_reader *r)
{
	if (!r)
		return;
	rj_reset(r);
	free(r->arena);
	free(r->stack);
	free(r);
}

static void ws(struct rj_reader *r)
{
	while (r->pos < r->size &&
	       (r->buf[r->pos] == ' ' || r->buf[r->pos] == '\n' ||
		r->buf[r->pos] == '\t' || r->buf[r->pos] == '\r'))
		r->pos++;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	uint32_t cp = p[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);

	if (p[0] < 0xc2 || p[0] > 0xf4 || avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static int hex4(const char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static char *put_utf8(char *t, uint32_t cp)
{
	if (cp < 0x80) {
		*t++ = (char)cp;
	} else if (cp < 0x800) {
		*t++ = (char)(0xc0 | cp >> 6);
		*t++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*t++ = (char)(0xe0 | cp >> 12);
		*t++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*t++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*t++ = (char)(0xf0 | cp >> 18);
		*t++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*t++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*t++ = (char)(0x80 | (cp & 0x3f));
	}
	return t;
}

/* Decode the escapes of the checked string body [p, end) into t. */
static int unescape(const char *p, const char *end, char *t, size_t *len)
{
	char *t0 = t;

	while (p < end) {
		uint32_t cp, lo;

		if (*p != '\\') {
			*t++ = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'b':
			*t++ = '\b';
			break;
		case 'f':
			*t++ = '\f';
			break;
		case 'n':
			*t++ = '\n';
			break;
		case 'r':
			*t++ = '\r';
			break;
		case 't':
			*t++ = '\t';
			break;
		case 'u':
			if (hex4(p + 1, &cp))
				return -1;
			p += 4;
			/* A high surrogate must pair with a low one. */
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - p < 7 || p[1] != '\\' ||
				    p[2] != 'u' || hex4(p + 3, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					return -1;
				cp = ((cp - 0xd800) << 10) + (lo - 0xdc00) +
				     0x10000;
				p += 6;
			} else if ((cp >= 0xdc00 && cp <= 0xdfff) || !cp) {
				return -1; /* lone low surrogate, or NUL */
			}
			t = put_utf8(t, cp);
			break;
		default: /* '"', '\\', '/' */
			*t++ = *p;
		}
		p++;
	}
	*t = '\0';
	*len = (size_t)(t - t0);
	return 0;
}

/* The string at pos ('"'), checked, decoded and NUL-terminated. */
static int string(struct rj_reader *r, const char **s, size_t *len)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t start = ++r->pos, n;
	bool esc = false;
	char *t;

	for (;;) {
		unsigned char c;

		if (r->pos >= r->size)
			return -1;
		c = b[r->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (r->pos + 1 >= r->size)
				return -1;
			c = b[r->pos + 1];
			if (c == 'u') {
				uint32_t v;

				if (r->size - r->pos < 6 ||
				    hex4(r->buf + r->pos + 2, &v))
					return -1;
				r->pos += 6;
			} else if (strchr("\"\\/bfnrt", c) && c) {
				r->pos += 2;
			} else {
				return -1;
			}
			esc = true;
			continue;
		}
		if (c >= 0x80) {
			n = utf8_len(b + r->pos, r->size - r->pos);
			if (!n)
				return -1;
			r->pos += n;
			continue;
		}
		r->pos++;
	}
	n = r->pos - start;
	r->pos++; /* '"' */
	t = alloc(r, n + 1);
	if (!t)
		return -1;
	*s = t;
	if (esc)
		return unescape(r->buf + start, r->buf + start + n, t, len);
	memcpy(t, r->buf + start, n);
	t[n] = '\0';
	*len = n;
	return 0;
}

static bool digit(const struct rj_reader *r)
{
	return r->pos < r->size && r->buf[r->pos] >= '0' &&
	       r->buf[r->pos] <= '9';
}

/*
 * Short decimals are exact in one IEEE operation (Clinger's fast path:
 * a mantissa below 2^53 times or divided by an exact power of ten), so
 * they need no strtod; the rest go through strtod like jansson's.
 */
static bool fast_real(const char *p, size_t n, double *out)
{
	static const double p10[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,
				     1e6,  1e7,	 1e8,  1e9,  1e10, 1e11,
				     1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
				     1e18, 1e19, 1e20, 1e21, 1e22};
	uint64_t m = 0;
	int digits = 0, e10 = 0, e = 0, esign = 1;
	bool neg = *p == '-', frac = false;
	size_t i = neg;

#if FLT_EVAL_METHOD != 0
	return false; /* extended precision would round twice */
#endif
	for (; i < n && p[i] != 'e' && p[i] != 'E'; i++) {
		if (p[i] == '.') {
			frac = true;
			continue;
		}
		if (m || p[i] != '0')
			digits++;
		if (digits > 15)
			return false;
		m = m * 10 + (uint64_t)(p[i] - '0');
		e10 -= frac;
	}
	if (i < n) {
		i++;
		if (p[i] == '-' || p[i] == '+')
			esign = p[i++] == '-' ? -1 : 1;
		for (; i < n; i++) {
			if (e > 100)
				return false;
			e = e * 10 + (p[i] - '0');
		}
		e10 += esign * e;
	}
	if (e10 < -22 || e10 > 22)
		return false;
	*out = e10 < 0 ? (double)m / p10[-e10] : (double)m * p10[e10];
	if (neg)
		*out = -*out;
	return true;
}

static int number(struct rj_reader *r, struct rj *v)
{
	size_t start = r->pos;
	const char *p = r->buf + start;
	char tmp[64], *num = tmp;
	bool real = false;
	size_t n;

	if (r->buf[r->pos] == '-')
		r->pos++;
	if (!digit(r))
		return -1;
	/* "01": the 1 after a leading 0 is what the caller refuses. */
	if (r->buf[r->pos] == '0')
		r->pos++;
	else
		while (digit(r))
			r->pos++;
	if (r->pos < r->size && r->buf[r->pos] == '.') {
		real = true;
		r->pos++;
		if (!digit(r))
			return -1;
		while (digit(r))
			r->pos++;
	}
	if (r->pos < r->size && (r->buf[r->pos] | 0x20) == 'e') {
		real = true;
		r->pos++;
		if (r->pos < r->size &&
		    (r->buf[r->pos] == '+' || r->buf[r->pos] == '-'))
			r->pos++;
		if (!digit(r))
			return -1;
		while (digit(r))
			r->pos++;
	}
	n = r->pos - start;
	if (!real) {
		/* Integers are long long, as jansson's; larger ones fail. */
		bool neg = *p == '-';
		uint64_t u = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;

		for (size_t i = neg; i < n; i++) {
			unsigned d = (unsigned)(p[i] - '0');

			if (u > (lim - d) / 10)
				return -1;
			u = u * 10 + d;
		}
		v->type = RJ_INT;
		v->u.i = neg ? (long long)(0 - u) : (long long)u;
		return 0;
	}
	v->type = RJ_REAL;
	if (fast_real(p, n, &v->u.d))
		return 0;
	if (n >= sizeof(tmp) && !(num = alloc(r, n + 1)))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	errno = 0;
	v->u.d = strtod(num, NULL);
	/* Overflow is an error; underflow to 0 or a subnormal is not. */
	return isinf(v->u.d) && errno == ERANGE ? -1 : 0;
}

static int literal(struct rj_reader *r, const char *word, enum rj_type t,
		   struct rj *v)
{
	size_t n = strlen(word);

	if (r->size - r->pos < n || memcmp(r->buf + r->pos, word, n))
		return -1;
	r->pos += n;
	v->type = t;
	return 0;
}

static int value(struct rj_reader *r, struct rj *v, size_t depth);

/* Room for one more member on the stack. */
static struct rj_member *push(struct rj_reader *r)
{
	if (r->top == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		void *q = realloc(r->stack, cap * sizeof(*r->stack));

		if (!q)
			return NULL;
		r->stack = q;
		r->cap = cap;
	}
	return &r->stack[r->top++];
}

/* Members base..top of the stack move into the arena. */
static int pop(struct rj_reader *r, size_t base, struct rj *v)
{
	size_t n = r->top - base;

	v->n = n;
	r->top = base;
	if (v->type == RJ_OBJ) {
		v->u.m = n ? alloc(r, n * sizeof(*v->u.m)) : NULL;
		if (n && !v->u.m)
			return -1;
		if (n)
			memcpy(v->u.m, r->stack + base, n * sizeof(*v->u.m));
		return 0;
	}
	v->u.a = n ? alloc(r, n * sizeof(*v->u.a)) : NULL;
	if (n && !v->u.a)
		return -1;
	for (size_t i = 0; i < n; i++)
		v->u.a[i] = r->stack[base + i].v;
	return 0;
}

/* An object or an array: its members go on the stack, then to the arena. */
static int container(struct rj_reader *r, struct rj *v, size_t depth)
{
	bool obj = r->buf[r->pos] == '{';
	char close = obj ? '}' : ']';
	size_t base = r->top;

	v->type = obj ? RJ_OBJ : RJ_ARR;
	r->pos++;
	ws(r);
	if (r->pos < r->size && r->buf[r->pos] == close) {
		r->pos++;
		return pop(r, base, v);
	}
	for (;;) {
		struct rj_member *m;
		const char *k = NULL;
		size_t klen = 0;
		struct rj v1;

		if (obj) {
			if (r->pos >= r->size || r->buf[r->pos] != '"' ||
			    string(r, &k, &klen))
				return -1;
			for (size_t i = base; i < r->top; i++)
				if (r->stack[i].klen == klen &&
				    !memcmp(r->stack[i].key, k, klen))
					return -1; /* duplicate key */
			ws(r);
			if (r->pos >= r->size || r->buf[r->pos] != ':')
				return -1;
			r->pos++;
			ws(r);
		}
		/* Read first: a nested container may move the stack. */
		if (value(r, &v1, depth + 1) || !(m = push(r)))
			return -1;
		m->key = k;
		m->klen = klen;
		m->v = v1;
		ws(r);
		if (r->pos < r->size && r->buf[r->pos] == ',') {
			r->pos++;
			ws(r);
			continue;
		}
		if (r->pos < r->size && r->buf[r->pos] == close) {
			r->pos++;
			return pop(r, base, v);
		}
		return -1;
	}
}

/* depth counts this value, as jansson's does: the row itself is 1. */
static int value(struct rj_reader *r, struct rj *v, size_t depth)
{
	if (depth > MAX_DEPTH || r->pos >= r->size)
		return -1;
	v->n = 0;
	switch (r->buf[r->pos]) {
	case '{':
	case '[':
		return container(r, v, depth);
	case '"':
		v->type = RJ_STR;
		return string(r, &v->u.s, &v->n);
	case 't':
		return literal(r, "true", RJ_TRUE, v);
	case 'f':
		return literal(r, "false", RJ_FALSE, v);
	case 'n':
		return literal(r, "null", RJ_NULL, v);
	default:
		return number(r, v);
	}
}

const struct rj *rj_parse(struct rj_reader *r, const char *buf, size_t size,
			  size_t *end)
{
	struct rj *v = alloc(r, sizeof(*v));

	r->buf = buf;
	r->size = size;
	r->pos = 0;
	r->top = 0;
	if (!v || value(r, v, 1))
		return NULL;
	*end = r->pos;
	return v;
}

static int convert(struct rj_reader *r, const json_t *j, struct rj *v)
{
	const char *k;
	json_t *e;
	size_t i;

	v->n = 0;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v->type = RJ_OBJ;
		v->n = json_object_size(j);
		v->u.m = alloc(r, (v->n ? v->n : 1) * sizeof(*v->u.m));
		if (!v->u.m)
			return -1;
		i = 0;
		json_object_foreach ((json_t *)j, k, e) {
			char *key = alloc(r, strlen(k) + 1);

			if (!key)
				return -1;
			v->u.m[i].key = strcpy(key, k);
			v->u.m[i].klen = strlen(k);
			if (convert(r, e, &v->u.m[i++].v))
				return -1;
		}
		return 0;
	case JSON_ARRAY:
		v->type = RJ_ARR;
		v->n = json_array_size(j);
		v->u.a = alloc(r, (v->n ? v->n : 1) * sizeof(*v->u.a));
		if (!v->u.a)
			return -1;
		json_array_foreach ((json_t *)j, i, e)
			if (convert(r, e, &v->u.a[i]))
				return -1;
		return 0;
	case JSON_STRING: {
		char *s = alloc(r, json_string_length(j) + 1);

		if (!s)
			return -1;
		v->type = RJ_STR;
		v->n = json_string_length(j);
		memcpy(s, json_string_value(j), v->n + 1);
		v->u.s = s;
		return 0;
	}
	case JSON_INTEGER:
		v->type = RJ_INT;
		v->u.i = json_integer_value(j);
		return 0;
	case JSON_REAL:
		v->type = RJ_REAL;
		v->u.d = json_real_value(j);
		return 0;
	case JSON_TRUE:
		v->type = RJ_TRUE;
		return 0;
	case JSON_FALSE:
		v->type = RJ_FALSE;
		return 0;
	default:
		v->type = RJ_NULL;
		return 0;
	}
}

const struct rj *rj_from_jansson(struct rj_reader *r, const json_t *j)
{
	struct rj *v = alloc(r, sizeof(*v));

	return v && !convert(r, j, v) ? v : NULL;
}

const struct rj *rj_get(const struct rj *obj, const char *key)
{
	size_t n = strlen(key);

	if (!rj_is_obj(obj))
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->u.m[i].klen == n && !memcmp(obj->u.m[i].key, key, n))
			return &obj->u.m[i].v;
	return NULL;
}
