// SPDX-License-Identifier: GPL-2.0
#include "params.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int param_parse_int(const char *s, int64_t *v)
{
	static const char *const yes[] = {"on", "yes", "true"};
	static const char *const no[] = {"off", "no", "false"};
	char *end;

	for (size_t i = 0; i < 3; i++) {
		if (!strcasecmp(s, yes[i]))
			return *v = 1, 0;
		if (!strcasecmp(s, no[i]))
			return *v = 0, 0;
	}
	errno = 0;
	long long x = strtoll(s, &end, 0);

	if (end == s || errno)
		return -1;
	int shift = 0;

	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		end++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		end++;
		break;
	case 'G':
	case 'g':
		shift = 30;
		end++;
		break;
	case 'T':
	case 't':
		shift = 40;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || x < 0 || (shift && x > (INT64_MAX >> shift)))
		return -1;
	*v = (int64_t)x << shift;
	return 0;
}

static int add_value(struct param_axis *axis, const char *v, size_t len,
		     char *err, size_t errlen)
{
	if (axis->n >= PARAM_MAX_VALUES) {
		snprintf(err, errlen, "parameter %s: more than %d values",
			 axis->name, PARAM_MAX_VALUES);
		return -1;
	}
	if (!len || len >= PARAM_VALUE_LEN) {
		snprintf(err, errlen, "parameter %s: bad value '%.*s'",
			 axis->name, (int)len, v);
		return -1;
	}
	memcpy(axis->value[axis->n], v, len);
	axis->value[axis->n][len] = '\0';
	axis->n++;
	return 0;
}

/* "lo..hi*m": lo, lo*m, lo*m^2 ... and hi itself, like Google's Range(). */
static int add_range(struct param_axis *axis, const char *tok, char *err,
		     size_t errlen)
{
	char lo_s[PARAM_VALUE_LEN], hi_s[PARAM_VALUE_LEN];
	const char *dots = strstr(tok, "..");
	const char *star = strchr(tok, '*');
	int64_t lo, hi, mult = 8;

	if ((size_t)(dots - tok) >= sizeof(lo_s))
		goto bad;
	snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dots - tok), tok);
	snprintf(hi_s, sizeof(hi_s), "%.*s",
		 (int)(star ? star - dots - 2 : (long)strlen(dots + 2)),
		 dots + 2);
	if (param_parse_int(lo_s, &lo) || param_parse_int(hi_s, &hi) ||
	    lo > hi || lo < 1)
		goto bad;
	if (star && (param_parse_int(star + 1, &mult) || mult < 2))
		goto bad;
	for (int64_t v = lo; v < hi; v *= mult) {
		char buf[PARAM_VALUE_LEN];
		int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);

		if (add_value(axis, buf, (size_t)n, err, errlen))
			return -1;
		if (v > INT64_MAX / mult)
			break;
	}
	char buf[PARAM_VALUE_LEN];
	int n = snprintf(buf, sizeof(buf), "%lld", (long long)hi);

	return add_value(axis, buf, (size_t)n, err, errlen);
bad:
	snprintf(err, errlen, "parameter %s: bad range '%s' (want lo..hi*mult)",
		 axis->name, tok);
	return -1;
}

int param_expand(const char *name, const char *spec, struct param_axis *axis,
		 char *err, size_t len)
{
	memset(axis, 0, sizeof(*axis));
	axis->name = name;
	if (!spec || !*spec) {
		snprintf(err, len, "parameter %s: empty spec", name);
		return -1;
	}
	const char *p = spec;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char tok[64];

		if (n >= sizeof(tok)) {
			snprintf(err, len, "parameter %s: value too long",
				 name);
			return -1;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (strstr(tok, "..")) {
			if (add_range(axis, tok, err, len))
				return -1;
		} else if (add_value(axis, tok, n, err, len)) {
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}
