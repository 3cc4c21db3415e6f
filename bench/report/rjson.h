/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON reader for the rows of benchmarks[] (bench/report/rjson.c):
 * it accepts exactly what jansson accepts with JSON_REJECT_DUPLICATES, into
 * values that live in the reader's arena until the next rj_reset.
 */
#ifndef HVOBENCH_RJSON_H
#define HVOBENCH_RJSON_H

#include <stdbool.h>
#include <stddef.h>

struct json_t;

enum rj_type {
	RJ_NULL,
	RJ_FALSE,
	RJ_TRUE,
	RJ_INT,
	RJ_REAL,
	RJ_STR,
	RJ_ARR,
	RJ_OBJ
};

struct rj_member;

struct rj {
	enum rj_type type;
	size_t n; /* bytes of a string, elements of an array or object */
	union {
		long long i;
		double d;
		const char *s; /* NUL-terminated; JSON strings hold no NUL */
		struct rj *a;
		struct rj_member *m; /* in document order */
	} u;
};

struct rj_member {
	const char *key;
	size_t klen;
	struct rj v;
};

struct rj_reader;

struct rj_reader *rj_new(void);
void rj_free(struct rj_reader *r);
/* Forget every value read so far (memory is kept for the next row). */
void rj_reset(struct rj_reader *r);
/*
 * The value at buf[0] (no leading white space); *end: bytes it took.
 * NULL when it is not valid JSON or memory ran out: jansson, which
 * reads the same language, says why and where.
 */
const struct rj *rj_parse(struct rj_reader *r, const char *buf, size_t size,
			  size_t *end);
/* A jansson value as ours (in r's arena); NULL when memory ran out. */
const struct rj *rj_from_jansson(struct rj_reader *r, const struct json_t *v);

/* Accessors: like jansson's, NULL-tolerant. */
const struct rj *rj_get(const struct rj *obj, const char *key);
static inline bool rj_is_obj(const struct rj *v)
{
	return v && v->type == RJ_OBJ;
}
static inline bool rj_is_num(const struct rj *v)
{
	return v && (v->type == RJ_INT || v->type == RJ_REAL);
}
static inline bool rj_is_true(const struct rj *v)
{
	return v && v->type == RJ_TRUE;
}
static inline double rj_num(const struct rj *v)
{
	return !v		    ? 0
	       : v->type == RJ_INT  ? (double)v->u.i
	       : v->type == RJ_REAL ? v->u.d
				    : 0;
}
static inline const char *rj_str(const struct rj *v)
{
	return v && v->type == RJ_STR ? v->u.s : NULL;
}
/* Elements of an array (0 for anything else) and the i-th of them. */
static inline size_t rj_len(const struct rj *v)
{
	return v && v->type == RJ_ARR ? v->n : 0;
}
static inline const struct rj *rj_at(const struct rj *v, size_t i)
{
	return i < rj_len(v) ? &v->u.a[i] : NULL;
}

/* Each member of an object (none for anything else), as jansson's. */
#define rj_object_foreach(o, key_, val_)                                       \
	for (size_t rj_i_ = 0;                                                 \
	     rj_is_obj(o) && rj_i_ < (o)->n &&                                 \
	     ((key_) = (o)->u.m[rj_i_].key, (val_) = &(o)->u.m[rj_i_].v, 1);   \
	     rj_i_++)
#define rj_array_foreach(arr, i, e)                                            \
	for ((i) = 0; (i) < rj_len(arr) && ((e) = rj_at(arr, i)); (i)++)

#endif
