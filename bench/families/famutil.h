/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers more than one family uses (as kselftest's vm_util.h). */
#ifndef HVOBENCH_FAMUTIL_H
#define HVOBENCH_FAMUTIL_H

#include <stdint.h>

/* xorshift64: fast, reproducible shuffles; *s must not be 0. */
static inline uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
