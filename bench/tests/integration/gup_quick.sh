#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The gup family on the real kernel, quick suite: every path runs or is
# skipped with its reason (gup_test without CONFIG_GUP_TEST, O_DIRECT
# without a file system for it, pipes larger than fs.pipe-max-size);
# every call pinned what it asked (the bodies fail on a short count, so
# no instance may end in an error); items are whole passes over the
# buffer; bytes/s is 4 KiB per page; non-root skips; every hugetlb value
# is as found afterwards.
set -u
. "$(dirname "$0")/../lib/kernel_state.sh"

out=$TMP/out.json
run_quick_family gup 30 "$out"
python3 - "$out" "$TMP/names" <<'PY' || fail "result JSON check"
import json, sys
d = json.load(open(sys.argv[1]))
names = open(sys.argv[2]).read().split()
rows = {b["name"]: b for b in d["benchmarks"] if b.get("run_type") == "iteration"}
sk = {s["name"]: s for s in d.get("hvobench_skipped", [])}
bad = 0
def no(n, *msg):
    global bad
    print("bad:", n, *msg)
    bad += 1
def size(v):
    m = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(v[:-1]) * m[v[-1]] if v[-1] in m else int(v)
# Skips that are about this machine, each with the words its reason needs.
allowed = {"gup-test": "gup_test", "odirect": "O_DIRECT", "vmsplice": "pipe"}
for n in names:
    kind = n.split("/")[1]
    if n in sk:
        s = sk[n]
        if s.get("error") or not s["reason"]:
            no(n, "error:", s["reason"])
        elif "size:1G" in n or allowed.get(kind, "\0") in s["reason"]:
            print("skipped:", n, s["reason"])
        else:
            no(n, "unexpected skip:", s["reason"])
        continue
    b = rows.get(n)
    if not b:
        no(n, "missing row")
        continue
    p = b["hvobench"]["params"]
    ips, bps = b.get("items_per_second", 0), b.get("bytes_per_second", 0)
    if not 1e4 < ips < 1e13:
        no(n, "implausible pages/s", ips)
    if abs(bps - 4096 * ips) > 1e-6 * bps:
        no(n, "bytes/s is not 4 KiB per page", bps, ips)
    per_pass = size(p["mem"]) // 4096
    per_pass -= per_pass % int(p["pages"])
    items, iters = b["hvobench"]["items"], b["iterations"]
    if items != iters * per_pass:
        no(n, "items", items, "for", iters, "passes of", per_pass, "pages")
    if kind == "gup-test" and not b.get("kernel_get_ns_per_page", 0) > 0:
        no(n, "no in-kernel get time")
print("%d rows, %d skipped" % (len(rows), len(sk)))
sys.exit(1 if bad else 0)
PY

nonroot_check '^gup/(vmsplice|uring-register)/size:2M'
