// SPDX-License-Identifier: GPL-2.0
/* Journal format and restore (see journal.h); no global state here. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Hand-written so they are safe in a signal handler (no locale). */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void journal_normalize(char *v)
{
	size_t n = str_len(v), start = 0, i;
	char *open = NULL, *close = NULL;

	for (i = 0; i < n; i++) {
		if (v[i] == '[' && !open)
			open = &v[i];
		else if (v[i] == ']' && open && !close)
			close = &v[i];
	}
	/* THP-style "always [madvise] never": the selected word is it. */
	if (open && close) {
		size_t k = (size_t)(close - open - 1);

		for (i = 0; i < k; i++)
			v[i] = open[1 + i];
		v[k] = '\0';
		n = k;
	}
	while (n > 0 && is_space(v[n - 1]))
		v[--n] = '\0';
	while (start < n && is_space(v[start]))
		start++;
	if (start) {
		for (i = 0; i + start <= n; i++)
			v[i] = v[i + start];
	}
}

static bool clean(const char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			return false;
	return true;
}

int journal_format_entry(char *buf, size_t len, const char *path,
			 const char *value)
{
	int n;

	if (path[0] != '/' || !clean(path) || !clean(value) ||
	    strlen(path) >= JOURNAL_PATH_MAX ||
	    strlen(value) >= JOURNAL_VAL_MAX)
		return -EINVAL;
	n = snprintf(buf, len, "%s\t%s\n", path, value);
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	return 0;
}

int journal_parse(const char *text, size_t len, struct journal_entry *e,
		  int max, int *bad_line)
{
	size_t pos = 0, mlen = strlen(JOURNAL_MAGIC);
	int n = 0, line = 1;

	*bad_line = 0;
	if (len < mlen || memcmp(text, JOURNAL_MAGIC, mlen) ||
	    (len > mlen && text[mlen] != ' ' && text[mlen] != '\n')) {
		*bad_line = 1;
		return -EINVAL;
	}
	while (pos < len && text[pos] != '\n')
		pos++;
	if (pos >= len) /* header only, maybe torn: nothing was written */
		return 0;
	pos++;
	while (pos < len) {
		const char *l = text + pos, *nl, *tab;
		size_t ll, pl, vl;

		line++;
		nl = memchr(l, '\n', len - pos);
		if (!nl) /* torn append: that write never happened */
			break;
		ll = (size_t)(nl - l);
		pos += ll + 1;
		if (ll == 0)
			continue;
		tab = memchr(l, '\t', ll);
		if (!tab || l[0] != '/' || n >= max)
			goto bad;
		pl = (size_t)(tab - l);
		vl = ll - pl - 1;
		if (pl >= JOURNAL_PATH_MAX || vl >= JOURNAL_VAL_MAX ||
		    memchr(tab + 1, '\t', vl))
			goto bad;
		memcpy(e[n].path, l, pl);
		e[n].path[pl] = '\0';
		memcpy(e[n].value, tab + 1, vl);
		e[n].value[vl] = '\0';
		e[n].vlen = vl;
		n++;
	}
	return n;
bad:
	*bad_line = line;
	return -EINVAL;
}

int journal_load(const char *file, struct journal_entry *e, int max)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;
	int fd, ret, bad;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r;

		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap += 65536;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	ret = journal_parse(buf, len, e, max, &bad);
	if (ret == -EINVAL)
		fprintf(stderr, "hvobench: %s: line %d is not a journal line\n",
			file, bad);
out:
	free(buf);
	close(fd);
	return ret;
}

bool journal_value_matches(const char *path, const char *value, size_t vlen)
{
	char buf[JOURNAL_VAL_MAX * 4];
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r < 0)
		return false;
	buf[r] = '\0';
	journal_normalize(buf);
	return str_len(buf) == vlen && !memcmp(buf, value, vlen);
}

static void say(const char *a, const char *b, const char *c)
{
	/* write(2) only: this can run inside a signal handler. */
	if (write(2, a, str_len(a)) < 0 || write(2, b, str_len(b)) < 0 ||
	    write(2, c, str_len(c)) < 0)
		return;
}

int journal_put(const struct journal_entry *je)
{
	int fd = open(je->path, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, je->value, je->vlen);
	close(fd);
	return w == (ssize_t)je->vlen ? 0 : -1;
}

int journal_restore(const struct journal_entry *e, int n, bool report)
{
	/* 100 ms steps, up to 2 s: deferred frees finish in a kworker. */
	const struct timespec step = {0, 100 * 1000 * 1000};
	int failed = 0;

	for (int i = n - 1; i >= 0; i--) {
		bool ok = false;

		for (int t = 0; t < 20 && !ok; t++) {
			/* A write the kernel only partly honoured is retried. */
			if (t % 10 == 0)
				journal_put(&e[i]);
			ok = journal_value_matches(e[i].path, e[i].value,
						   e[i].vlen);
			if (!ok)
				nanosleep(&step, NULL);
		}
		if (!ok) {
			failed++;
			if (report) {
				say("hvobench: could not restore ", e[i].path,
				    " to ");
				say(e[i].value,
				    " (still in use?); run `hvobench restore`",
				    "\n");
			}
		}
	}
	return failed;
}
