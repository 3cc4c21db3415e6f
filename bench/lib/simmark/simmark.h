/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulation markers for the tlbsim QEMU plugin (bench/tlbsim), around
 * each timed region.  A marker is an instruction with no architectural
 * effect and an encoding compilers never emit, recognised by the plugin at
 * translation time; its code (0..2) sits in the encoding:
 *   x86_64  nopl 0x48564f0C(%rax)   (0f 1f 80, disp32 = SIMMARK_X86_DISP | C)
 *   arm64   orr xzr, xzr, xC        (mov to the zero register, 0xaa0003ff | C << 16)
 * A message is kind | data << 3 sent as 24 BIT0/BIT1 instructions, least
 * significant bit first, then one END_OF_MESSAGE: every message runs the
 * same three instruction sites.  (QEMU 7.2's plugin API cannot read guest
 * registers; with one marker site per kind, the plugin received kinds
 * other than those executed.)
 */
#ifndef HVOBENCH_SIMMARK_H
#define HVOBENCH_SIMMARK_H

#include <stdint.h>

#define SIMMARK_X86_DISP  0x48564f00u
#define SIMMARK_A64_INSN  0xaa0003ffu
#define SIMMARK_DATA_BITS 21
#define SIMMARK_MSG_BITS  (3 + SIMMARK_DATA_BITS)
/* Instruction codes. */
#define SIMMARK_EOM  0
#define SIMMARK_BIT0 1
#define SIMMARK_BIT1 2

enum simmark_kind {
	SIMMARK_HELLO,	/* data 0: a marked run starts */
	SIMMARK_BEGIN,	/* data: family << 12 | instance (see simmark_id) */
	SIMMARK_END,	/* data: the same */
	SIMMARK_PAUSE,	/* data 0 */
	SIMMARK_RESUME, /* data 0 */
	SIMMARK_COMMIT, /* data: repetition; the region just ended is kept */
	SIMMARK_KINDS
};

static inline uint32_t simmark_id(int family, int instance)
{
	return (uint32_t)(family & 0x1ff) << 12 | (uint32_t)(instance & 0xfff);
}

#if defined(__x86_64__)
#define SIMMARK_CODE(c)                                                        \
	__asm__ volatile(".byte 0x0f, 0x1f, 0x80\n\t.long %c0" ::"i"(          \
				 SIMMARK_X86_DISP | (c))                       \
			 : "memory")
#elif defined(__aarch64__)
#define SIMMARK_CODE(c)                                                        \
	__asm__ volatile(".inst %c0" ::"i"(SIMMARK_A64_INSN | (c) << 16)       \
			 : "memory")
#else
#define SIMMARK_CODE(c) ((void)(c))
#endif

/* One message (no-op unless enabled by --sim-markers); data < 2^21. */
void simmark(enum simmark_kind kind, uint32_t data);

#endif
