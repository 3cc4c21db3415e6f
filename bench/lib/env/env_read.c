// SPDX-License-Identifier: GPL-2.0
/* Small sysfs/procfs readers for the environment record. */
#include "env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int env_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		rc = ferror(f) ? -EIO : -ENODATA;
		buf[0] = '\0';
	} else {
		buf[strcspn(buf, "\n")] = '\0';
	}
	fclose(f);
	return rc;
}

json_t *env_file_str(const char *path)
{
	char buf[4096];

	if (env_read_line(path, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

json_t *env_file_int(const char *path)
{
	char buf[64], *end;
	long long v;

	if (env_read_line(path, buf, sizeof(buf)))
		return json_null();
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (end == buf || errno)
		return json_null();
	return json_integer(v);
}

json_t *env_file_choice(const char *path)
{
	char buf[512], *l, *r;

	if (env_read_line(path, buf, sizeof(buf)))
		return json_null();
	l = strchr(buf, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!l || !r)
		return json_string(buf);
	*r = '\0';
	return json_string(l + 1);
}
