#!/usr/bin/python3
"""Compare the two sides of a qemu-compare directory with each boot as one
sample.

    scripts/qemu-compare-by-boot.py DIR [--hvobench PATH]

qemu-compare.sh --rounds N boots each kernel N times; `hvobench compare`
pools the repetitions of all boots, so its confidence interval leaves out
the boot-to-boot variance (where a guest's memory landed, the host's load
at the time).  This writes, for every boot, a copy of its result JSON with
each benchmark's repetitions replaced by one row holding their median
(real_time and cpu_time), then compares those copies:

    DIR/by-boot/<side>/r<i>.json   one row per benchmark per boot
    DIR/by-boot/compare.txt, compare.md, report/   n = boots per side

Exit 2 on bad usage or a directory that is not a qemu-compare result with
at least two boots per side.
"""
import copy
import glob
import json
import os
import statistics
import subprocess
import sys


def die(msg):
    print(f'qemu-compare-by-boot: {msg}', file=sys.stderr)
    sys.exit(2)


# Fields that describe a row rather than measure it.
FIXED = {'family_index', 'per_family_instance_index', 'repetitions',
         'repetition_index', 'threads'}


def per_boot(src, dst):
    d = json.load(open(src))
    rows = {}
    for b in d.get('benchmarks', []):
        if b.get('run_type') == 'iteration' and 'error_occurred' not in b:
            rows.setdefault(b['name'], []).append(b)
    out = []
    for reps in rows.values():
        r = copy.deepcopy(reps[0])
        # Times, rates and counters: the boot's median.
        for key, v in r.items():
            if (key not in FIXED and isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and all(isinstance(x.get(key), (int, float))
                            for x in reps)):
                r[key] = statistics.median(x[key] for x in reps)
        r.update(repetitions=1, repetition_index=0)
        out.append(r)
    d['benchmarks'] = out
    d.setdefault('context', {})['hvobench_by_boot'] = (
        'one row per benchmark: the median of the boot\'s repetitions')
    with open(dst, 'w') as f:
        json.dump(d, f, indent=1)


def main():
    args = sys.argv[1:]
    hvobench = os.environ.get('HVOBENCH') or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'build', 'hvobench')
    if len(args) == 3 and args[1] == '--hvobench':
        hvobench = args[2]
        args = args[:1]
    if len(args) != 1 or args[0].startswith('-'):
        die('usage: qemu-compare-by-boot.py DIR [--hvobench PATH]')
    top = args[0].rstrip('/')
    summary = os.path.join(top, 'summary.txt')
    try:
        first = open(summary).readline()
    except OSError:
        die(f'{summary}: not a qemu-compare result')
    # "# qemu-compare DATE: A=<name> B=<name>"
    try:
        sides = [first.split(f' {s}=')[1].split()[0] for s in ('A', 'B')]
    except IndexError:
        die(f'{summary}: first line does not name sides A and B')
    out = os.path.join(top, 'by-boot')
    dirs = []
    for side in sides:
        boots = sorted(glob.glob(os.path.join(top, side, 'r*', 'result.json')))
        if len(boots) < 2:
            die(f'{top}/{side}: {len(boots)} boot(s) with a result.json, '
                'need 2 or more')
        d = os.path.join(out, side)
        os.makedirs(d, exist_ok=True)
        for old in glob.glob(os.path.join(d, '*.json')):
            os.remove(old)
        for b in boots:
            per_boot(b, os.path.join(d, os.path.basename(os.path.dirname(b))
                                     + '.json'))
        dirs.append(d)
    if not os.access(hvobench, os.X_OK):
        die(f'no hvobench at {hvobench} (make build, or --hvobench PATH)')
    run = lambda *a, **kw: subprocess.run([hvobench, *a], check=True, **kw)
    with open(os.path.join(out, 'compare.txt'), 'w') as f:
        run('compare', *dirs, '--no-color', stdout=f)
    with open(os.path.join(out, 'compare.md'), 'w') as f:
        run('compare', *dirs, '--format=markdown', stdout=f)
    run('report', *dirs, '--no-color', f'--out={out}/report',
        stdout=subprocess.DEVNULL)
    print(f'qemu-compare-by-boot: {out}/compare.txt, {out}/report/',
          file=sys.stderr)


if __name__ == '__main__':
    main()
