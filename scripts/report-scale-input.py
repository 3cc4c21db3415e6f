#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a synthetic result file of ROWS iteration rows for timing
`hvobench compare` at scale (scripts/report-scale): BENCHES benchmarks
(half hvo:off, half hvo:on) with ROWS/BENCHES repetitions each, in our
result schema.  Values are seeded random numbers, not measurements: the
file exercises the reader, pairing and statistics, nothing else."""
import json
import random
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: report-scale-input.py OUT ROWS BENCHES SEED")
    out, rows, benches, seed = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), int(sys.argv[4])
    if rows <= 0 or benches < 2 or benches % 2 or rows % benches:
        sys.exit("ROWS must be a multiple of BENCHES, BENCHES even >= 2")
    rnd = random.Random(seed)
    reps = rows // benches
    with open(out, "w") as f:
        f.write('{"context": {"date": "synthetic", "host_name": "scale"},'
                '\n"benchmarks": [\n')
        first = True
        for b in range(benches // 2):
            for hvo in ("off", "on"):
                name = "scale/grow/pages:%d/hvo:%s" % (b, hvo)
                base = 1000.0 * (1 + b % 7) * (1.2 if hvo == "on" else 1)
                for r in range(reps):
                    t = base * rnd.lognormvariate(0, 0.05)
                    row = {"name": name, "run_name": name,
                           "run_type": "iteration", "repetitions": reps,
                           "repetition_index": r, "threads": 1,
                           "iterations": 100, "real_time": t,
                           "cpu_time": t * 0.9, "time_unit": "ns",
                           "items_per_second": 1e9 / t,
                           "hvobench": {"params": {"pages": str(b),
                                                   "hvo": hvo}}}
                    f.write(("" if first else ",\n") + json.dumps(row))
                    first = False
        f.write("\n]}\n")


main()
