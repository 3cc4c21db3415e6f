#!/usr/bin/env python3
# Writes the report test fixtures (hand-made, per bench/SCHEMA.md) from a
# fixed seed.  Synthetic numbers, not measurements: they exist to test the
# reader, the statistics plumbing and the golden text layout.  Rerun only
# to change the fixtures, then update the golden files.
import json, math, os, random

HERE = os.path.dirname(os.path.abspath(__file__))


def context(release, cmdline, hvo):
    return {
        "date": "2026-11-22T02:30:00+00:00", "host_name": "fixture",
        "executable": "hvobench", "num_cpus": 2, "mhz_per_cpu": 0,
        "cpu_scaling_enabled": False, "caches": [],
        "load_avg": [0.1, 0.2, 0.3], "library_build_type": "release",
        "hvobench": {
            "version": "v0-fixture", "suite": "quick",
            "argv": ["run", "--suite=quick"],
            "timer_overhead_ns": 20.1, "clock_resolution_ns": 1,
            "user": {"setting": "fixture"},
            "env": {
                "kernel": {"release": release, "cmdline": cmdline},
                "hugetlb": {"hugetlb_optimize_vmemmap": hvo,
                            "pools": [{"size_kb": 2048, "nr_hugepages": 0,
                                       "free_hugepages": 0}]},
                "cpu": {"model_name": "Fixture CPU", "microcode": "0x1"},
                "perf": {"hardware_pmu": {"present": False,
                                          "why": "no PMU in VM"}},
                "virtualization": {"virtualized": True},
                "suite": {"version": "v0-fixture", "build_type": "Release"},
            },
        },
    }


def hist(rng, center, n):
    buckets, vals = {}, []
    for _ in range(n):
        v = int(center * math.exp(rng.gauss(0, 0.15)))
        vals.append(v)
        lo = v - v % 64
        buckets[lo] = buckets.get(lo, 0) + 1
    vals.sort()
    pct = lambda q: vals[min(n - 1, int(q * n))]
    return {"count": n, "min": vals[0], "max": vals[-1],
            "mean": sum(vals) / n, "p50": pct(0.5), "p90": pct(0.9),
            "p99": pct(0.99), "p999": pct(0.999),
            "buckets": [[lo, lo + 63, c] for lo, c in sorted(buckets.items())]}


def rows(rng, name, params, t_ns, reps, items=None, lat=None, flush=None):
    out = []
    for r in range(reps):
        t = t_ns * math.exp(rng.gauss(0, 0.02))
        row = {"name": name, "family_index": 0,
               "per_family_instance_index": 0, "run_name": name,
               "run_type": "iteration", "repetitions": reps,
               "repetition_index": r, "threads": int(params.get("threads", 1)),
               "iterations": 10, "real_time": round(t, 3),
               "cpu_time": round(t * 0.9, 3), "time_unit": "ns"}
        hv = {"params": params, "group": name, "wall_ns": round(t * 10),
              "cpu_ns": round(t * 9), "items": 0}
        if items:
            row["items_per_second"] = round(items * 1e9 / t, 3)
            hv["items"] = items * 10
        if lat:
            hv["hist"] = {"alloc": hist(rng, lat, 64)}
        if flush is not None:
            hv["counters"] = {
                "tlb:tlb_flush": {"value": flush * 640, "per_iter": flush * 64,
                                  "per_item": flush, "scale": 1.0,
                                  "note": ""},
                "dTLB-load-misses": {"value": None, "note": "no PMU"}}
            hv["vmstat_delta"] = {"nr_memmap_pages": 0,
                                  "htlb_buddy_alloc_success": 640}
        if lat:
            row["label"] = "regime=" + ("split" if params.get("hvo") == "on"
                                        else "hvo-off")
        row["hvobench"] = hv
        out.append(row)
    out.append(dict(out[0], name=name + "_mean", run_name=name,
                    run_type="aggregate", aggregate_name="mean",
                    aggregate_unit="time"))
    return out


def doc(seed, release, cmdline, hvo_sysctl, slow, extra):
    rng = random.Random(seed)
    b = []
    for hvo, f in (("off", 1.0), ("on", slow)):
        p = {"size": "2M", "pages": "64", "hvo": hvo}
        b += rows(rng, "pool/grow/size:2M/pages:64/hvo:" + hvo, p,
                  2.0e6 * f, 6, items=64, lat=30000 * f,
                  flush=1 if hvo == "off" else 16)
        for th in ("1", "2"):
            p = {"threads": th, "hvo": hvo}
            b += rows(rng, "fault/write/threads:%s/hvo:%s" % (th, hvo), p,
                      1.0e5 * f / (1 + 0.8 * (th == "2")), 6, items=512)
    b += rows(rng, extra, {}, 5000.0, 3)
    return {"context": context(release, cmdline, hvo_sysctl),
            "benchmarks": b,
            "hvobench_skipped": [
                {"name": "pool/grow/size:1G/pages:1/hvo:off",
                 "reason": "huge page size 1G: pool cannot grow "
                           "(MemAvailable too small)"}]}


def write(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


write("pool-a.json", doc(1, "6.18.0-a", "console=ttyS0 quiet", 0, 1.25,
                         "only/in-a"))
write("pool-b.json", doc(2, "6.18.0-b",
                         "console=ttyS0 quiet hugetlb_free_vmemmap=on", 1,
                         1.30, "only/in-b"))
