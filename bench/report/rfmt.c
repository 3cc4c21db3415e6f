// SPDX-License-Identifier: GPL-2.0
/* Number formatting for the report: short, unit-aware, fixed meaning. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void scaled(char *buf, size_t len, double v, const char *const *sfx,
		   const double *div, const char *tail)
{
	double a = fabs(v);
	int i = 0;

	while (sfx[i + 1] && a >= div[i + 1])
		i++;
	snprintf(buf, len, "%.4g%s%s", v / div[i], sfx[i], tail);
}

void rfmt_value(char *buf, size_t len, double v, enum runit u)
{
	static const char *const tsfx[] = {"ns", "us", "ms", "s", NULL};
	static const double tdiv[] = {1, 1e3, 1e6, 1e9};
	static const char *const nsfx[] = {"", "k", "M", "G", "T", NULL};
	static const double ndiv[] = {1, 1e3, 1e6, 1e9, 1e12};

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (u == RU_NS)
		scaled(buf, len, v, tsfx, tdiv, "");
	else
		scaled(buf, len, v, nsfx, ndiv, u == RU_PER_S ? "/s" : "");
}

static void factor(char *buf, size_t len, double ratio)
{
	if (ratio < 1000)
		snprintf(buf, len, "x%.3g", ratio);
	else
		snprintf(buf, len, "x%.0f", ratio);
}

/* A ratio as a signed percent change; very large ones as a factor. */
void rfmt_pct(char *buf, size_t len, double ratio)
{
	double pct = (ratio - 1) * 100;

	if (!isfinite(ratio))
		snprintf(buf, len, "-");
	else if (fabs(pct) < 999.95)
		snprintf(buf, len, "%+.1f%%", pct);
	else
		factor(buf, len, ratio);
}

/* Both bounds of a ratio interval in one style: percent, else factors. */
void rfmt_ratio_ci(char *lo, char *hi, size_t len, double a, double b)
{
	if (fabs(a - 1) < 9.9995 && fabs(b - 1) < 9.9995) {
		rfmt_pct(lo, len, a);
		rfmt_pct(hi, len, b);
	} else {
		factor(lo, len, a);
		factor(hi, len, b);
	}
}

void rfmt_diff(char *buf, size_t len, double d, enum runit u)
{
	char v[32];

	rfmt_value(v, sizeof(v), fabs(d), u);
	snprintf(buf, len, "%s%s", d < 0 ? "-" : "+", v);
}

void rfmt_p(char *buf, size_t len, double p)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 0.0001)
		snprintf(buf, len, "<1e-4");
	else
		snprintf(buf, len, "%.4f", p);
}

const char *rfmt_verdict(int verdict)
{
	switch (verdict) {
	case -1:
		return "better";
	case 1:
		return "worse";
	case 2:
		return "changed";
	default:
		return "";
	}
}

const char *rcorr_name(enum rcorr c)
{
	return c == RCORR_HOLM ? "Holm" : "Benjamini-Hochberg";
}

void rfmt_wrap(FILE *f, const char *indent, const char *text, int width)
{
	rfmt_hang(f, indent, indent, text, width);
}

void rfmt_hang(FILE *f, const char *first, const char *rest, const char *text,
	       int width)
{
	const char *p = text, *indent = first;
	int room = width - (int)strlen(indent);

	if (room < 20)
		room = 20;
	while (*p) {
		int n = (int)strlen(p), cut = n;

		if (n > room) {
			/* Break at the last space that fits, else hard. */
			cut = room;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (p[cut] != ' ')
				cut = room;
		}
		fprintf(f, "%s%.*s\n", indent, cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		indent = rest;
		room = width - (int)strlen(indent);
		if (room < 20)
			room = 20;
	}
}

/* Control bytes as \xNN; a C1 control is two bytes (U+0080..U+009F). */
static bool is_ctl(const unsigned char *p, const unsigned char *start)
{
	if (*p < 0x20 || *p == 0x7f)
		return true;
	if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return true;
	return p > start && p[-1] == 0xc2 && *p >= 0x80 && *p <= 0x9f;
}

bool rsafe_clean(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == 0xc2)
			return false;
	return true;
}

char *rsafe_dup(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(strlen(s) * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = u; *p; p++) {
		if (is_ctl(p, u))
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}
