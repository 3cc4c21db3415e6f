#!/usr/bin/env python3
"""Summarize the recorded tlb and interference quick runs (reads JSON only)."""
import json
import sys
from collections import defaultdict


def rows(path):
    d = json.load(open(path))
    return [b for b in d["benchmarks"] if b["run_type"] == "iteration"], d


def spread(v):
    v = sorted(v)
    return f"{sum(v) / len(v):8.1f} [{v[0]:.1f}-{v[-1]:.1f}]"


def tlb(path):
    rs, _ = rows(path)
    by = defaultdict(list)
    lab = {}
    for b in rs:
        p = b["hvobench"]["params"]
        by[(p["op"], p["vmemmap"])].append(b["ns_per_page"])
        lab[p["vmemmap"]] = b.get("label", "")
    print("tlb/struct-page, 64K scattered 4K pages: ns per page, "
          "mean [min-max] over repetitions")
    print(f"{'op':10} {'vmemmap:pmd':>24} {'vmemmap:4k':>24}")
    for op in ("pin", "unpin", "fork", "pagemap", "populate", "zap"):
        print(f"{op:10} {spread(by[(op, 'pmd')]):>24} "
              f"{spread(by[(op, '4k')]):>24}")
    for k, v in lab.items():
        print(f"  label {k}: {v}")


def intf(path):
    rs, _ = rows(path)
    by = defaultdict(list)
    for b in rs:
        p = b["hvobench"]["params"]
        by[(p["op"], p["hvo"])].append(b)
    print("interference/pool, 1024 x 2M per operation, detector on the "
          "other CPU (SCHED_FIFO in windows)")
    print(f"{'op/hvo':12} {'op ms':>22} {'max gap p99/max us':>20} "
          f"{'idle p99/max us':>17} {'stall ns/page':>24} "
          f"{'stalls/op':>10} {'CAL IPI/op':>10}")
    for op in ("grow", "shrink"):
        for hvo in ("off", "on"):
            bs = by[(op, hvo)]
            if not bs:
                continue
            ms = [b["real_time"] / 1e3 for b in bs]
            p99 = max(b["hvobench"]["hist"]["max_gap"]["p99"] for b in bs)
            mx = max(b["hvobench"]["hist"]["max_gap"]["max"] for b in bs)
            ip99 = max(b["hvobench"]["hist"]["idle_max_gap"]["p99"]
                       for b in bs)
            imx = max(b["hvobench"]["hist"]["idle_max_gap"]["max"]
                      for b in bs)
            st = [b["stall_ns_per_page"] for b in bs]
            so = sum(b["stalls_per_op"] for b in bs) / len(bs)
            cal = sum(b.get("call_ipis_per_page", 0) for b in bs) / len(bs)
            pages = int(bs[0]["hvobench"]["params"]["pages"])
            print(f"{op + '/' + hvo:12} {spread(ms):>22} "
                  f"{p99 / 1e3:9.0f}/{mx / 1e3:<9.0f} "
                  f"{ip99 / 1e3:7.0f}/{imx / 1e3:<9.0f} {spread(st):>24} "
                  f"{so:10.1f} {cal * pages:10.1f}")
    print("  p99/max: over all operations of the 3 repetitions; idle = "
          "same-length windows with the main thread asleep")


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "."
    tlb(f"{base}/tlb-quick.json")
    print()
    intf(f"{base}/interference-quick.json")
