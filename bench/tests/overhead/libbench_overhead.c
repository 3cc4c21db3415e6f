// SPDX-License-Identifier: GPL-2.0
/* libbench side of the harness-overhead comparison. */
#include "bench.h"
#include "bodies.h"

static void overhead_empty(struct bench_state *st)
{
	bench_range(st) body_empty();
}
BENCH_REGISTER(overhead_empty, .fn = overhead_empty);

static void overhead_100ns(struct bench_state *st)
{
	uint64_t x = 1;

	bench_range(st) x = body_100ns(x);
}
BENCH_REGISTER(overhead_100ns, .fn = overhead_100ns);

int main(int argc, char **argv)
{
	return bench_main(argc, argv);
}
