/* SPDX-License-Identifier: GPL-2.0 */
/* Parameter specs: "1,64,512", "1..4096*8", "off,on" -> value lists. */
#ifndef HVOBENCH_PARAMS_H
#define HVOBENCH_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define PARAM_MAX_VALUES 64
#define PARAM_VALUE_LEN	 32

struct param_axis {
	const char *name;
	int n;
	char value[PARAM_MAX_VALUES][PARAM_VALUE_LEN];
};

/* Expand a spec; 0, or -1 with a message in err. */
int param_expand(const char *name, const char *spec, struct param_axis *axis,
		 char *err, size_t len);
/* "512", "2M" (binary), "on"/"yes"/"true" = 1, "off"/"no"/"false" = 0. */
int param_parse_int(const char *s, int64_t *v);

#endif
