// SPDX-License-Identifier: GPL-2.0
/*
 * JSON out with every real in its shortest exact form: the fewest
 * significant digits that read back as the same double (23.9485, not
 * jansson's %.17g 23.948499999999999).  Layout as jansson's JSON_INDENT.
 */
#include "json_write.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void json_shortest_real(char *buf, size_t len, double v)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* Stay a real for readers that tell reals from integers. */
	if (!strpbrk(buf, ".eEn"))
		strncat(buf, ".0", len - strlen(buf) - 1);
}

static void pad(FILE *f, int indent, int depth)
{
	fputc('\n', f);
	fprintf(f, "%*s", indent * depth, "");
}

static int put(const json_t *j, FILE *f, int indent, int depth)
{
	char buf[40], *s;
	const char *key;
	json_t *v;
	size_t i, n;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		n = 0;
		fputc('{', f);
		json_object_foreach ((json_t *)j, key, v) {
			json_t *k = json_string(key);

			fputs(n++ ? "," : "", f);
			pad(f, indent, depth + 1);
			s = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
			json_decref(k);
			if (!s)
				return -1;
			fprintf(f, "%s: ", s);
			free(s);
			if (put(v, f, indent, depth + 1))
				return -1;
		}
		if (n)
			pad(f, indent, depth);
		fputc('}', f);
		return 0;
	case JSON_ARRAY:
		fputc('[', f);
		json_array_foreach (j, i, v) {
			fputs(i ? "," : "", f);
			pad(f, indent, depth + 1);
			if (put(v, f, indent, depth + 1))
				return -1;
		}
		if (json_array_size(j))
			pad(f, indent, depth);
		fputc(']', f);
		return 0;
	case JSON_REAL:
		json_shortest_real(buf, sizeof(buf), json_real_value(j));
		fputs(buf, f);
		return 0;
	default: /* strings, integers, true, false, null: as jansson writes */
		s = json_dumps(j, JSON_ENCODE_ANY);
		if (!s)
			return -1;
		fputs(s, f);
		free(s);
		return 0;
	}
}

int json_write_shortest(const json_t *j, FILE *f, int indent)
{
	int rc = put(j, f, indent, 0);

	return rc || ferror(f) ? -1 : 0;
}
