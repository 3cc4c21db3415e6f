// SPDX-License-Identifier: GPL-2.0
// Google Benchmark side of the harness-overhead comparison.
#include <benchmark/benchmark.h>

extern "C" {
#include "bodies.h"
}

static void overhead_empty(benchmark::State &state)
{
	for (auto _ : state)
		body_empty();
}
BENCHMARK(overhead_empty);

static void overhead_100ns(benchmark::State &state)
{
	uint64_t x = 1;

	for (auto _ : state)
		x = body_100ns(x);
}
BENCHMARK(overhead_100ns);

BENCHMARK_MAIN();
