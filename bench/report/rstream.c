// SPDX-License-Identifier: GPL-2.0
/*
 * A result document read member by member and row by row: a small scanner
 * finds where each top-level member ends (strings, nesting) for jansson
 * to parse and validate it, and the rows go to our own reader (rjson.c).
 * So a file of a million rows never becomes one tree in memory, and
 * consumed parts of a mapped file are dropped.
 */
#include "rstream.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Drop mapped pages already read once this many bytes have passed. */
#define DROP_EVERY (64UL << 20)

struct scan {
	const char *buf;
	size_t size, pos, dropped;
	const struct rstream *cb;
	json_error_t *je;
};

static void ws(struct scan *s)
{
	while (s->pos < s->size && strchr(" \t\r\n", s->buf[s->pos]) &&
	       s->buf[s->pos])
		s->pos++;
}

/* End (exclusive) of the value at pos, or size when it is cut short. */
static size_t value_end(const struct scan *s, size_t p)
{
	size_t depth = 0;
	bool str = false;

	for (; p < s->size; p++) {
		char c = s->buf[p];

		if (str) {
			if (c == '\\')
				p++;
			else if (c == '"' && (str = false, !depth))
				return p + 1;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && depth && !--depth)
			return p + 1;
		else if (!depth && strchr(",}] \t\r\n", c))
			return p;
	}
	return s->size;
}

/* jansson's error in a slice at off, moved to the whole document. */
static void place(struct scan *s, size_t off, const json_error_t *in)
{
	int line = 1, col = 1;

	for (size_t i = 0; i < off && i < s->size; i++) {
		if (s->buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	*s->je = *in;
	s->je->line = line + in->line - 1;
	s->je->column = in->line == 1 ? col + in->column - 1 : in->column;
	s->je->position = (int)(off + (size_t)in->position);
}

static void fail(struct scan *s, const char *text)
{
	json_error_t e = {.line = 1, .column = 0, .position = 1};

	snprintf(e.text, sizeof(e.text), "%s", text);
	place(s, s->pos, &e);
}

/* Parse the value at pos (it must be complete) and step over it. */
static json_t *take(struct scan *s)
{
	size_t end = value_end(s, s->pos);
	json_error_t e;
	json_t *v;

	if (end == s->pos) {
		fail(s, s->pos < s->size ? "'[' or '{' or value expected"
					 : "unexpected end of file");
		return NULL;
	}
	v = json_loadb(s->buf + s->pos, end - s->pos,
		       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &e);
	if (!v) {
		place(s, s->pos, &e);
		return NULL;
	}
	s->pos = end;
	return v;
}

static void drop_read(struct scan *s)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t upto;

	if (!s->cb->mapped || pg <= 0 || s->pos - s->dropped < DROP_EVERY)
		return;
	upto = s->pos / (size_t)pg * (size_t)pg;
	/* Read-only file pages: dropping them only costs a re-read. */
	madvise((char *)(uintptr_t)s->buf + s->dropped, upto - s->dropped,
		MADV_DONTNEED);
	s->dropped = upto;
}

/*
 * A row by our reader; one it refuses goes to jansson, which names the
 * error (or, should the two ever disagree, reads it after all).
 */
static const struct rj *row_at(struct scan *s, struct rj_reader *rd, char *err,
			       size_t len)
{
	const struct rj *row;
	size_t used;
	json_t *j;

	row = rj_parse(rd, s->buf + s->pos, s->size - s->pos, &used);
	if (row && row->type == RJ_OBJ) {
		s->pos += used;
		return row;
	}
	j = take(s);
	if (!j)
		return NULL;
	row = rj_from_jansson(rd, j);
	json_decref(j);
	if (!row)
		snprintf(err, len, "out of memory reading a row");
	return row;
}

/* The benchmarks array, one row at a time. */
static int rows(struct scan *s, char *err, size_t len)
{
	struct rj_reader *rd = rj_new();
	size_t idx = 0;
	int ret = -2;

	if (!rd) {
		snprintf(err, len, "out of memory reading rows");
		return -1;
	}
	s->pos++; /* '[' */
	ws(s);
	if (s->pos < s->size && s->buf[s->pos] == ']') {
		s->pos++;
		ret = 0;
		goto out;
	}
	for (;;) {
		const struct rj *row;
		int rc;

		ws(s);
		err[0] = '\0';
		row = row_at(s, rd, err, len);
		if (!row) {
			ret = err[0] ? -1 : -2;
			goto out;
		}
		rc = s->cb->row(s->cb->ctx, row, idx++, err, len);
		rj_reset(rd);
		if (rc) {
			ret = -1;
			goto out;
		}
		drop_read(s);
		ws(s);
		if (s->pos < s->size && s->buf[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->pos < s->size && s->buf[s->pos] == ']') {
			s->pos++;
			ret = 0;
			goto out;
		}
		fail(s, s->pos < s->size ? "',' or ']' expected"
					 : "unexpected end of file");
		goto out;
	}
out:
	rj_free(rd);
	return ret;
}

/* A member's key; seen keys are kept to refuse duplicates. */
static int key(struct scan *s, json_t *seen, const char **k)
{
	json_t *v;

	if (s->pos >= s->size || s->buf[s->pos] != '"') {
		fail(s, s->pos < s->size ? "string or '}' expected"
					 : "unexpected end of file");
		return -1;
	}
	v = take(s);
	if (!v)
		return -1;
	if (json_object_get(seen, json_string_value(v))) {
		fail(s, "duplicate object key");
		json_decref(v);
		return -1;
	}
	json_object_set_new(seen, json_string_value(v), json_true());
	*k = json_object_iter_key(
		json_object_iter_at(seen, json_string_value(v)));
	json_decref(v);
	return 0;
}

static int members(struct scan *s, bool *has_rows, char *err, size_t len)
{
	json_t *seen = json_object();
	int ret = -2;

	if (!seen)
		return -1;
	s->pos++; /* '{' */
	ws(s);
	if (s->pos < s->size && s->buf[s->pos] == '}') {
		s->pos++;
		ret = 0;
		goto out;
	}
	for (;;) {
		const char *k;
		json_t *v;

		ws(s);
		if (key(s, seen, &k))
			goto out;
		ws(s);
		if (s->pos >= s->size || s->buf[s->pos] != ':') {
			fail(s, "':' expected");
			goto out;
		}
		s->pos++;
		ws(s);
		if (!strcmp(k, "benchmarks") && s->pos < s->size &&
		    s->buf[s->pos] == '[') {
			*has_rows = true;
			ret = rows(s, err, len);
			if (ret)
				goto out;
			ret = -2;
		} else {
			v = take(s);
			if (!v)
				goto out;
			if (s->cb->member(s->cb->ctx, k, v, err, len)) {
				json_decref(v);
				ret = -1;
				goto out;
			}
			json_decref(v);
		}
		ws(s);
		if (s->pos < s->size && s->buf[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->pos < s->size && s->buf[s->pos] == '}') {
			s->pos++;
			break;
		}
		fail(s, s->pos < s->size ? "',' or '}' expected"
					 : "unexpected end of file");
		goto out;
	}
	ret = 0;
out:
	json_decref(seen);
	return ret;
}

int rstream_parse(const char *buf, size_t size, const struct rstream *cb,
		  json_error_t *je, char *err, size_t len)
{
	struct scan s = {.buf = buf, .size = size, .cb = cb, .je = je};
	bool has_rows = false;
	int rc;

	ws(&s);
	if (s.pos == s.size) {
		fail(&s, "empty file");
		je->position = 0;
		return -2;
	}
	if (buf[s.pos] != '{') {
		/* Invalid JSON says so; valid JSON is not a result. */
		json_t *v = json_loadb(buf, size, JSON_DECODE_ANY, je);

		json_decref(v);
		return v ? RSTREAM_NOT_OBJECT : -2;
	}
	rc = members(&s, &has_rows, err, len);
	if (rc)
		return rc;
	ws(&s);
	if (s.pos != s.size) {
		fail(&s, "end of file expected");
		return -2;
	}
	return has_rows ? 0 : RSTREAM_NO_ROWS;
}
