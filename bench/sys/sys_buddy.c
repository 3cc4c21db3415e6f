// SPDX-License-Identifier: GPL-2.0
/*
 * Free memory by order before each pool benchmark: how fragmented the
 * buddy allocator is decides how fast huge pages can be allocated, and
 * is the main confounder of pool timings between runs.  /proc/buddyinfo
 * (per zone) and /proc/pagetypeinfo (per zone and migrate type; root
 * only) as {"NODE/ZONE[/TYPE]": [free blocks of order 0, 1, ...]}.
 */
#include "sys.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines "Node N, zone Z[, type T] c0 c1 ...": null if unreadable. */
static json_t *read_orders(const char *path, bool typed)
{
	char line[512], zone[32], type[32];
	FILE *f = fopen(path, "r");
	json_t *o;
	int node, n;

	if (!f)
		return json_null();
	o = json_object();
	while (fgets(line, sizeof(line), f)) {
		char key[96], *p;
		json_t *a;

		if (typed ? sscanf(line, "Node %d, zone %31s type %31s%n",
				   &node, zone, type, &n) != 3
			  : sscanf(line, "Node %d, zone %31s%n", &node, zone,
				   &n) != 2)
			continue;
		zone[strcspn(zone, ",")] = '\0';
		snprintf(key, sizeof(key), typed ? "%d/%s/%s" : "%d/%s", node,
			 zone, type);
		a = json_array();
		for (p = line + n;;) {
			char *end;
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			json_array_append_new(a, json_integer(v));
			p = end;
		}
		json_object_set_new(o, key, a);
	}
	fclose(f);
	return o;
}

void *sys_free_pages_json(void)
{
	return json_pack("{s:o,s:o}", "buddyinfo",
			 read_orders("/proc/buddyinfo", false), "pagetypeinfo",
			 read_orders("/proc/pagetypeinfo", true));
}
