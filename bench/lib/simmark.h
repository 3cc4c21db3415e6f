/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulation markers: an instruction the tlbsim QEMU plugin
 * (bench/tlbsim) recognises at translation time, around each timed
 * region.  It is a one-byte load with an encoding compilers never emit
 * (x86_64: a redundant %ds prefix and a fixed 32-bit displacement; arm64:
 * a load into the zero register with a fixed offset), so it has no
 * architectural effect but gives the plugin a memory access whose address
 * carries 24 bits of data: SIMMARK_BASE + data, inside a read-only window
 * of zero pages mapped at that fixed address by simmark_init().
 */
#ifndef HVOBENCH_SIMMARK_H
#define HVOBENCH_SIMMARK_H

#include <stdint.h>

#define SIMMARK_BASE	 0x4856000000ull /* "HV", inside a 39-bit VA space */
#define SIMMARK_WINDOW	 (1ull << 24)
#define SIMMARK_X86_DISP 0x48564f00u /* | kind: disp32 of the x86 marker */
#define SIMMARK_A64_IMM	 0xa40u	     /* | kind: imm12 of the arm64 marker */
#define SIMMARK_A64_RN	 9	     /* base register x9 */

enum simmark_kind {
	SIMMARK_HELLO,	/* data 0: a marked run starts */
	SIMMARK_BEGIN,	/* data: family << 14 | instance (see simmark_id) */
	SIMMARK_END,	/* data: the same */
	SIMMARK_PAUSE,	/* data 0 */
	SIMMARK_RESUME, /* data 0 */
	SIMMARK_COMMIT, /* data: repetition; the region just ended is kept */
	SIMMARK_KINDS
};

static inline uint32_t simmark_id(int family, int instance)
{
	return (uint32_t)(family & 0x3ff) << 14 | (uint32_t)(instance & 0x3fff);
}

#if defined(__x86_64__)
/* mov %ds:DISP(%rdi),%al = 3e 8a 87 <disp32> */
#define SIMMARK_INSN(kind, data)                                               \
	do {                                                                   \
		uint64_t a_ = SIMMARK_BASE + (data) -                          \
			      (uint64_t)(SIMMARK_X86_DISP | (kind));           \
		uint8_t v_;                                                    \
		__asm__ volatile(".byte 0x3e, 0x8a, 0x87\n\t.long %c2"         \
				 : "=a"(v_)                                    \
				 : "D"(a_), "i"(SIMMARK_X86_DISP | (kind))     \
				 : "memory");                                  \
		(void)v_;                                                      \
	} while (0)
#elif defined(__aarch64__)
/* ldrb wzr, [x9, #IMM] */
#define SIMMARK_INSN(kind, data)                                               \
	do {                                                                   \
		register uint64_t a_ __asm__("x9") =                           \
			SIMMARK_BASE + (data) - (SIMMARK_A64_IMM | (kind));    \
		__asm__ volatile(".inst %c1"                                   \
				 :                                             \
				 : "r"(a_),                                    \
				   "i"(0x39400000u |                           \
				       (SIMMARK_A64_IMM | (kind)) << 10 |      \
				       SIMMARK_A64_RN << 5 | 31)               \
				 : "memory");                                  \
	} while (0)
#else
#define SIMMARK_INSN(kind, data) ((void)(kind), (void)(data))
#endif

/* Map the data window; 0, or -1 with errno. */
int simmark_init(void);
/* One marker (no-op until simmark_init() succeeded); data < 2^24. */
void simmark(enum simmark_kind kind, uint32_t data);

#endif
