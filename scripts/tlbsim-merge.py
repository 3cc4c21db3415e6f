#!/usr/bin/python3
"""tlbsim: parse a guest's ptdump, merge the plugin's per-region output into
the run's result JSON as simulated counters, tabulate, validate.

  tlbsim-merge.py ranges SERIAL_LOG ARCH
      -> "vmemmap=LO-HI dmap=LO-HI dmap_shift=N dmap_sizes=... source=S"
         from the guest's HVOBENCH-PTDUMP lines, or (kernels without
         PTDUMP_DEBUGFS) the layout constants of a nokaslr, 4-level (x86_64)
         or 48-bit VA 4K-page (arm64) kernel; the calibration run checks them
  tlbsim-merge.py merge RESULT_JSON PLUGIN_JSONL OUT_JSON [--base BASE_JSON]
      -> OUT_JSON (rows gain hvobench.counters "sim:..."), a table on stdout;
         exit 1 when a calibration row does not match its prediction
  tlbsim-merge.py partial PLUGIN_JSONL BASE_JSON
      -> the regions of a run under the plugin that did not finish (no
         result JSON), named from the reference boot's rows; per region
         totals (the iteration counts are in the missing JSON)
  tlbsim-merge.py same A_JSON B_JSON
      -> model-free numbers of two merged runs side by side; exit 1 when
         a calibration row differs
"""
import json
import re
import statistics
import sys

LEVEL_SHIFT = {"pte": 12, "pmd": 21, "pud": 30, "cont": 12}


# Kernel virtual layout without KASLR: x86_64 4-level paging
# (Documentation/arch/x86/x86_64/mm.rst), arm64 VA_BITS=48 with 4K pages
# (arch/arm64/include/asm/memory.h: VMEMMAP_START = -(1 << (48 - 6)),
# linear map 0xffff000000000000..0xffff800000000000).  Direct-map page
# size: x86_64 1G (gbpages, QEMU -cpu max), arm64 4K (rodata=full).
LAYOUT = {
    "x86_64": (0xffffea0000000000, 0xffffeb0000000000,
               0xffff888000000000, 0xffffc88000000000, 30),
    "arm64": (0xfffffc0000000000, 0xfffffe0000000000,
              0xffff000000000000, 0xffff800000000000, 12),
}


def ranges(serial, arch):
    sections, cur = {}, None
    for line in open(serial, errors="replace"):
        if not line.startswith("HVOBENCH-PTDUMP "):
            continue
        line = line[len("HVOBENCH-PTDUMP "):].strip()
        m = re.match(r"---\[ (.*) \]---", line)
        if m:
            cur = m.group(1)
            sections.setdefault(cur, [])
            continue
        m = re.match(r"(0x[0-9a-f]+)-(0x[0-9a-f]+)\s+\S+\s*(.*)", line)
        if m and cur:
            sections[cur].append((int(m.group(1), 16), int(m.group(2), 16),
                                  m.group(3).split()))
    # x86_64: "Vmemmap", "Low Kernel Mapping"; arm64: "vmemmap start",
    # "Linear Mapping start" (each up to the next marker).
    def span(names):
        for n in names:
            if sections.get(n):
                s = sections[n]
                return s[0][0], s[-1][1], s
        return None
    vm = span(["Vmemmap", "vmemmap start"])
    dm = span(["Low Kernel Mapping", "Linear Mapping start"])
    if not vm or not dm:
        if any(line.startswith("HVOBENCH-INFO kernel=")
               for line in open(serial, errors="replace")) and arch in LAYOUT:
            lo, hi, dlo, dhi, sh = LAYOUT[arch]
            print("vmemmap=%x-%x dmap=%x-%x dmap_shift=%d dmap_sizes=unknown "
                  "source=layout" % (lo, hi, dlo, dhi, sh))
            return
        sys.exit("tlbsim-merge: no vmemmap/direct map section in the ptdump")
    # The direct map's dominant page size, by mapped bytes.
    by = {}
    for lo, hi, rest in dm[2]:
        words = [w.lower() for w in rest]
        lvl = next((w for w in words if w in LEVEL_SHIFT), None)
        mapped = any(w in ("rw", "ro") for w in words)
        if lvl and mapped:
            by[LEVEL_SHIFT[lvl]] = by.get(LEVEL_SHIFT[lvl], 0) + hi - lo
    shift = max(by, key=by.get) if by else 12
    sizes = ",".join("%s:%dM" % ({12: "4k", 21: "2m", 30: "1g"}[s], b >> 20)
                     for s, b in sorted(by.items()))
    print("vmemmap=%x-%x dmap=%x-%x dmap_shift=%d dmap_sizes=%s "
          "source=ptdump" % (vm[0], vm[1], dm[0], dm[1], shift,
                             sizes or "none"))


def load_plugin(path):
    """Regions keyed by (family, instance, repetition).  The k-th kept region
    of an instance is its repetition k (rows are committed in order); a
    marker repetition that disagrees is counted (binaries before the
    per-instance row count sent 0 under the interleaving runner)."""
    regions, summary, seen = {}, None, {}
    for line in open(path):
        o = json.loads(line)
        if "summary" in o:
            summary = o["summary"]
        elif "family" in o:
            k = seen.get((o["family"], o["instance"]), 0)
            seen[(o["family"], o["instance"])] = k + 1
            o["marker_repetition"] = o["repetition"]
            o["repetition"] = k
            regions[(o["family"], o["instance"], k)] = o
    if summary is None:
        sys.exit("tlbsim-merge: %s has no summary line (QEMU did not exit "
                 "cleanly)" % path)
    return regions, summary


def rows(doc):
    return [b for b in doc.get("benchmarks", [])
            if b.get("run_type") == "iteration"]


SIZE = {"4k": "4K", "2m": "2M", "1g": "1G"}


def counters_of(reg, summary):
    """(name, value, note) of one region."""
    src = "simulated: QEMU TCG plugin on real kernel execution"
    out = [("sim:struct_page_accesses", reg["struct_page_accesses"],
            src + "; model-free: data accesses to the vmemmap"),
           ("sim:struct_page_stores", reg["struct_page_stores"],
            src + "; model-free"),
           ("sim:vmemmap_pages", reg["vmemmap_pages"],
            src + "; model-free: distinct 4K vmemmap pages in the region"),
           ("sim:vmemmap_blocks", reg["vmemmap_blocks"],
            src + "; model-free: distinct 2M vmemmap blocks in the region")]
    var = {v["name"]: v for v in summary["variants"]}
    for name, m in reg["models"].items():
        v = var[name]
        for mode, label in (("pmd", "vmemmap-pmd"), ("4k", "vmemmap-4k")):
            note = ("%s; model %s (%s); vmemmap mapped by %s; other "
                    "accesses assumed on %s direct map, %s kernel, %s user "
                    "pages" % (src, v["model"], v["source"],
                               "2M PMDs" if mode == "pmd" else "4K PTEs",
                               SIZE[v["dmap"]], SIZE[v["kernel"]],
                               SIZE[v["user"]]))
            for k in ("walks", "l1_misses", "vmemmap_walks",
                      "vmemmap_l1_misses"):
                out.append(("sim:%s:%s:%s" % (name, label, k), m[mode][k],
                            note))
    return out


def is_cal(name):
    return name.startswith("tlbsim/kpageflags")


def calibrate(row, reg):
    """The kpageflags range must cover exactly its predicted vmemmap pages:
    one 2M block (the range starts on a 128 MiB boundary) holding exactly
    N*64/4096 touched pages; pages touched elsewhere are reported."""
    want = int(row.get("predicted_vmemmap_pages", -1))
    m = re.match(r"pfn=(0x[0-9a-f]+)\+(\d+)", row.get("label", ""))
    blocks = reg.get("blocks", [])
    hit = [blk for blk, n in blocks if n == want]
    other = reg["vmemmap_pages"] - (want if hit else 0)
    text = ("predicted %d vmemmap pages in 1 block for PFNs %s; simulated: "
            "a block with exactly %d pages %s, %d page(s) in %d other "
            "block(s) (struct pages the syscall itself uses)" %
            (want, m.group(0)[4:] if m else "?", want,
             "found" if hit else "NOT found", other,
             len(blocks) - (1 if hit else 0)))
    return {"pass": bool(hit) and want > 0, "predicted_pages": want,
            "blocks": blocks, "pages_outside": other, "text": text}


def merge(result, plugin, out, base=None):
    doc = json.load(open(result))
    regions, summary = load_plugin(plugin)
    if not summary["valid"]:
        sys.exit("tlbsim-merge: the plugin saw callbacks on %d threads: "
                 "run QEMU with -accel tcg,thread=single" %
                 summary["callback_threads"])
    base_rt = {}
    if base:
        for b in rows(json.load(open(base))):
            base_rt.setdefault(b["name"], []).append(b["real_time"])
    matched, missing, fails, cals = 0, [], [], []
    table = {}
    for b in rows(doc):
        key = (b["family_index"], b["per_family_instance_index"],
               b["repetition_index"])
        reg = regions.get(key)
        if not reg:
            missing.append(b["name"])
            continue
        matched += 1
        hv = b.setdefault("hvobench", {})
        ctr = hv.setdefault("counters", {})
        iters = b.get("iterations") or 0
        items = hv.get("items") or b.get("items_per_second") and None
        items = hv.get("items")
        for name, val, note in counters_of(reg, summary):
            ctr[name] = {"value": val,
                         "per_iter": val / iters if iters else None,
                         "per_item": val / items if items else None,
                         "scale": 1.0, "system_wide": True, "note": note}
        hv["tlbsim_reuse"] = reg["reuse"]
        t = table.setdefault(b["name"], [])
        t.append((b, reg))
        if is_cal(b["name"]):
            cal = calibrate(b, reg)
            hv["tlbsim_calibration"] = cal
            if not cal["pass"]:
                fails.append("%s rep %d: %s" % (b["name"],
                                                 b["repetition_index"],
                                                 cal["text"]))
            cals.append(cal["text"])
    ctx = doc.setdefault("context", {}).setdefault("hvobench", {})
    disagree = sum(1 for r in regions.values()
                   if r["marker_repetition"] != r["repetition"])
    ctx["tlbsim"] = {"plugin_summary": summary, "rows_matched": matched,
                     "marker_repetition_disagreements": disagree,
                     "rows_without_region": missing,
                     "note": "counters named sim:* are simulated: a QEMU "
                             "TCG plugin (bench/tlbsim) on real kernel "
                             "execution, not hardware counts"}
    json.dump(doc, open(out, "w"), indent=1)
    print_table(table, summary, base_rt)
    print("rows with a region: %d, without: %d%s" %
          (matched, len(missing),
           (" (" + ", ".join(missing[:4]) + ")") if missing else ""))
    print("plugin: %d regions kept, %d calibration/warm-up runs discarded, "
          "%d bad markers" % (summary["regions"], summary["discarded"],
                              summary["bad_markers"]))
    if fails:
        for f in fails:
            print("CALIBRATION FAIL: " + f)
        sys.exit(1)
    if cals:
        print("CALIBRATION PASS (%d repetitions): %s" % (len(cals), cals[0]))
    if summary["bad_markers"] or missing:
        sys.exit(1)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def print_table(table, summary, base_rt):
    names = [v["name"] for v in summary["variants"]]
    print("# per iteration, median over repetitions (min-max); simulated "
          "on real kernel execution")
    for name, regs in table.items():
        it = [b["iterations"] for b, _ in regs]
        per = lambda f: [f(r) / i for (b, r), i in zip(regs, it)]
        sp = per(lambda r: r["struct_page_accesses"])
        pg = [r["vmemmap_pages"] for _, r in regs]
        bl = [r["vmemmap_blocks"] for _, r in regs]
        print("%s  reps=%d iters=%s" % (name, len(regs), it[0]))
        print("  model-free: struct-page accesses/iter %.0f (%.0f-%.0f), "
              "distinct vmemmap pages %s, blocks %s" %
              (med(sp), min(sp), max(sp),
               "/".join(str(x) for x in pg), "/".join(str(x) for x in bl)))
        for n in names:
            w4 = per(lambda r: r["models"][n]["4k"]["walks"])
            wp = per(lambda r: r["models"][n]["pmd"]["walks"])
            d = [a - b for a, b in zip(w4, wp)]
            print("  %-22s walks/iter PMD %10.1f  4K %10.1f  4K-PMD %+10.1f "
                  "(%+.1f..%+.1f)  ratio %.3f" %
                  (n, med(wp), med(w4), med(d), min(d), max(d),
                   med(w4) / med(wp) if med(wp) else float("nan")))
        if name in base_rt:
            rt = [b["real_time"] for b, _ in regs]
            print("  plugin slowdown (real_time, median): %.1fx" %
                  (med(rt) / med(base_rt[name])))


def same(a, b):
    """The model-free numbers of the same work in two boots.  The
    calibration row must touch exactly its predicted pages in its block in
    every repetition of both (pages touched elsewhere are the syscall's
    own and vary); other rows are printed side by side, with medians and
    minima (a timed region also holds what the other vCPU and kernel
    threads did meanwhile, so small regions vary between repetitions)."""
    def index(path):
        d = {}
        for r in rows(json.load(open(path))):
            h = r.get("hvobench", {})
            c = h.get("counters", {})
            if "sim:vmemmap_pages" in c:
                d.setdefault(r["name"], []).append(
                    (c["sim:vmemmap_pages"]["value"],
                     c["sim:vmemmap_blocks"]["value"],
                     c["sim:struct_page_accesses"]["per_iter"],
                     h.get("tlbsim_calibration")))
        return d
    da, db, bad, diffs = index(a), index(b), [], []
    print("# model-free numbers, A = %s, B = %s" % (a, b))
    for name in da:
        if name not in db:
            continue
        pa = sorted(x[0] for x in da[name])
        pb = sorted(x[0] for x in db[name])
        xa = [x[2] for x in da[name]]
        xb = [x[2] for x in db[name]]
        ma, mb, na, nb = med(xa), med(xb), min(xa), min(xb)
        mpa, mpb = med(pa), med(pb)
        print("%s\n  vmemmap pages A %s B %s; blocks A %s B %s; struct-page "
              "accesses/iter median A %.0f B %.0f (%+.2f%%), min A %.0f B "
              "%.0f (%+.2f%%); pages median %+.2f%%" %
              (name, pa, pb, sorted(x[1] for x in da[name]),
               sorted(x[1] for x in db[name]), ma, mb,
               100 * (mb / ma - 1) if ma else 0, na, nb,
               100 * (nb / na - 1) if na else 0,
               100 * (mpb / mpa - 1) if mpa else 0))
        if is_cal(name):
            cals = [x[3] for x in da[name] + db[name]]
            want = {c["predicted_pages"] for c in cals if c}
            outside = ([c["pages_outside"] for c in cals[:len(xa)] if c],
                       [c["pages_outside"] for c in cals[len(xa):] if c])
            ok = all(c and c["pass"] for c in cals) and len(want) == 1
            print("  calibration block: exactly %s pages in every repetition "
                  "of A and B: %s; pages outside it A %s B %s" %
                  (",".join(map(str, sorted(want))), "yes" if ok else "NO",
                   outside[0], outside[1]))
            if not ok:
                bad.append(name)
        else:
            diffs.append((abs(nb / na - 1) if na else 0, name))
    if diffs:
        d, n = max(diffs)
        within = sum(1 for x, _ in diffs if x <= 0.05)
        print("minimum struct-page accesses/iter, B vs A: %d of %d rows "
              "within 5%%; largest |B/A-1| %.2f%% (%s)" %
              (within, len(diffs), 100 * d, n))
    if bad:
        print("SAME FAIL: calibration footprint differs: " + ", ".join(bad))
        sys.exit(1)
    print("SAME PASS: calibration footprints identical")


def partial(plugin, base):
    names = {}
    for b in rows(json.load(open(base))):
        names[(b["family_index"], b["per_family_instance_index"])] = \
            (b["name"], b["iterations"])
    regs = [json.loads(line) for line in open(plugin)]
    regs = [r for r in regs if "family" in r]
    print("# %d regions; totals per region (iterations unknown: the run "
          "did not finish; the reference boot needed the count shown)" %
          len(regs))
    for r in regs:
        name, it = names.get((r["family"], r["instance"]), ("?", "?"))
        print("%s rep %d (reference iterations %s)" % (name, r["repetition"],
                                                       it))
        print("  model-free: struct-page accesses %d (stores %d), distinct "
              "vmemmap pages %d, blocks %d" %
              (r["struct_page_accesses"], r["struct_page_stores"],
               r["vmemmap_pages"], r["vmemmap_blocks"]))
        for n, m in r["models"].items():
            print("  %-22s walks PMD %8d  4K %8d  4K-PMD %+8d  (vmemmap "
                  "walks %d -> %d)" %
                  (n, m["pmd"]["walks"], m["4k"]["walks"],
                   m["4k"]["walks"] - m["pmd"]["walks"],
                   m["pmd"]["vmemmap_walks"], m["4k"]["vmemmap_walks"]))


def main(argv):
    if len(argv) == 3 and argv[0] == "ranges":
        return ranges(argv[1], argv[2])
    if len(argv) >= 4 and argv[0] == "merge":
        base = argv[argv.index("--base") + 1] if "--base" in argv else None
        return merge(argv[1], argv[2], argv[3], base)
    if len(argv) == 3 and argv[0] == "partial":
        return partial(argv[1], argv[2])
    if len(argv) == 3 and argv[0] == "same":
        return same(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
