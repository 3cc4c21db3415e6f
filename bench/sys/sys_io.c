// SPDX-License-Identifier: GPL-2.0
/* Plain reads of procfs/sysfs and size parsing (no journal, no state). */
#include "journal.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sys_get(const char *path, char *buf, size_t len)
{
	ssize_t r;
	int fd;

	if (len == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, len - 1);
	if (r < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	buf[r] = '\0';
	journal_normalize(buf);
	return 0;
}

int sys_get_u64(const char *path, uint64_t *value)
{
	char buf[64], *end;
	int ret = sys_get(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*value = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

/* "Name:   123 kB" or "name 123" lines: value of field, scaled by unit. */
static int scan_file(const char *file, const char *field, char sep,
		     uint64_t *value)
{
	char line[256];
	size_t flen = strlen(field);
	int ret = -ENOENT;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char unit[8] = "";

		if (strncmp(line, field, flen) || line[flen] != sep)
			continue;
		if (sscanf(line + flen + 1, "%llu %7s", &v, unit) < 1) {
			ret = -EINVAL;
			break;
		}
		*value = !strcmp(unit, "kB") ? v * 1024 : v;
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int sys_meminfo(const char *field, uint64_t *bytes)
{
	return scan_file("/proc/meminfo", field, ':', bytes);
}

int sys_vmstat(const char *field, uint64_t *value)
{
	return scan_file("/proc/vmstat", field, ' ', value);
}

int sys_parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	case 'T':
		mul = 1ULL << 40;
		end++;
		break;
	default:
		return -EINVAL;
	}
	/* Accept 2M, 2MB, 2MiB and the kernel's own "2048kB". */
	if (mul > 1 && (!strcmp(end, "B") || !strcmp(end, "iB")))
		end += strlen(end);
	if (*end)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*bytes = (uint64_t)v * mul;
	return 0;
}

uint64_t hugetlb_parse_size(const char *s)
{
	uint64_t b;

	if (sys_parse_size(s, &b) || b < 4096 || b % 1024)
		return 0;
	return b / 1024;
}

/* "2M", "1G", "64K" for a size in kB (for names and messages). */
const char *sys_size_str(uint64_t kb, char *buf, size_t len)
{
	if (kb >= (1ULL << 20) && kb % (1ULL << 20) == 0)
		snprintf(buf, len, "%" PRIu64 "G", kb >> 20);
	else if (kb >= 1024 && kb % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 "M", kb >> 10);
	else
		snprintf(buf, len, "%" PRIu64 "K", kb);
	return buf;
}
