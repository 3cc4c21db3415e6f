#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A/A false positives of `hvobench compare` on recorded real runs.

RUNS are result files of the same build on the same kernel.  Each trial
draws K runs for A and K others for B (without replacement), compares them
(`hvobench compare A B --format=json`) and counts the primary comparisons
that were tested and called significant.  The trials resample a few runs,
so they are not independent: the spread between them is not a binomial
one, and the rate is the resampled estimate it is.

Negative control: the same splits judged the old way (all repetitions of
a side pooled, Mann-Whitney U per benchmark, Benjamini-Hochberg), which
ignores the between-run variance; it must flag clearly more.

usage: report-aa.py --hvobench=BIN [--k=3] [--trials=200] [--seed=1] RUNS...
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

from scipy import stats


def primary_rows(path):
    """name -> real_time values of the iteration rows of one run."""
    rows = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or \
                b.get("error_occurred"):
            continue
        rows.setdefault(b["name"], []).append(b["real_time"])
    return rows


def bh(p):
    n = len(p)
    order = sorted(range(n), key=lambda i: p[i])
    q, run = [0.0] * n, 1.0
    for r in range(n - 1, -1, -1):
        run = min(run, p[order[r]] * n / (r + 1))
        q[order[r]] = run
    return q


def old_method(runs_a, runs_b, rows):
    """Pooled repetitions, Mann-Whitney, BH: significant, tested."""
    names = sorted(set.intersection(*(set(rows[r]) for r in runs_a + runs_b)))
    p = []
    for n in names:
        a = [v for r in runs_a for v in rows[r][n]]
        b = [v for r in runs_b for v in rows[r][n]]
        p.append(stats.mannwhitneyu(a, b).pvalue)
    q = bh(p)
    return sum(x < 0.05 for x in q), len(q)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hvobench", required=True)
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    if len(a.runs) < 2 * a.k:
        sys.exit("report-aa: need at least 2*k runs")
    rnd = random.Random(a.seed)
    rows = {r: primary_rows(r) for r in a.runs}
    sig = tested = old_sig = old_tested = trials_any = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in range(a.trials):
            pick = rnd.sample(a.runs, 2 * a.k)
            sides = []
            for s, part in (("a", pick[:a.k]), ("b", pick[a.k:])):
                d = os.path.join(tmp, "%d%s" % (t, s))
                os.makedirs(d)
                for i, r in enumerate(part):
                    os.symlink(os.path.abspath(r),
                               os.path.join(d, "%d.json" % i))
                sides.append(d)
            out = subprocess.run([a.hvobench, "compare", sides[0], sides[1],
                                  "--format=json"], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out)
            fam = [f for f in r["families"] if f["primary"]]
            s_ = sum(f["significant"] for f in fam)
            sig += s_
            tested += sum(f["tested"] for f in fam)
            trials_any += s_ > 0
            o = old_method(pick[:a.k], pick[a.k:], rows)
            old_sig += o[0]
            old_tested += o[1]
    print("runs: %d files, %d per side, %d trials (seed %d)"
          % (len(a.runs), a.k, a.trials, a.seed))
    for f in a.runs:
        print("  " + f)
    print("hvobench compare (run as the unit): %d of %d primary "
          "comparisons significant (%.1f%%); trials with any: %d of %d"
          % (sig, tested, 100.0 * sig / max(tested, 1), trials_any,
             a.trials))
    print("negative control (pooled repetitions, Mann-Whitney, BH): "
          "%d of %d significant (%.1f%%)"
          % (old_sig, old_tested, 100.0 * old_sig / max(old_tested, 1)))


main()
