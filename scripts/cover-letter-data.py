#!/usr/bin/python3
"""Fill the data section of the kernel-patch cover letter from results/.

    scripts/cover-letter-data.py [--root DIR] [--allow-missing] [--stdout]

Replaces what lies between the marker lines

    --- hvobench data begin ---
    --- hvobench data end ---

in kernel-patch/cover-letter.txt and, when it exists, in
kernel-patch/0000-cover-letter.patch (the exported cover letter; its text
is cover-letter.txt's).  What goes in, each block naming the file its
numbers come from:

  - the QEMU checks of the series (results/kernel/summary.txt), only when
    they ran on the series' base (VERSION= in kernel-patch/BASE);
  - the vmemmap pages HVO saved, per architecture, from the patched
    kernels' results/kernel/<arch>-patched.result on that base;
  - relative costs with confidence intervals from every qemu-compare
    result under results/ (report/report.json) in which a side ran the
    base;
  - the simulated TLB numbers of results/tlbsim/ when that exists.

Nothing is made up: an input that is missing or from another kernel gives
a line saying what is missing.  Such a line makes the run fail (exit 1,
nothing written) unless --allow-missing.  The finished cover letter must
not contain placeholder text.  Exit 2: bad usage or cover letter without
the markers.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap

BEGIN = '--- hvobench data begin ---'
END = '--- hvobench data end ---'
WIDTH = 72
# Text that says "something should be here" instead of being it.
PLACEHOLDER_RE = re.compile(
    r'goes here|\*\*\* (BLURB|SUBJECT) HERE \*\*\*|\bTODO\b|\bTBD\b|\bFIXME\b'
    r'|\bXXX\b|to be filled|fill(ed)? in later|<insert', re.I)
ARCHES = ('x86_64', 'arm64')
TCG_NOTE = ('QEMU TCG times are emulation times, not hardware times: they '
            'show function and the relative cost of two kernels on one '
            'emulator, not the size of an effect on a real CPU.')


def die(msg, code=2):
    print(f'cover-letter-data: {msg}', file=sys.stderr)
    sys.exit(code)


class Out:
    """The data section being built, and what was missing."""

    def __init__(self):
        self.lines = []
        self.missing = []

    def para(self, text, indent=0, hang=None):
        pre = ' ' * indent
        self.lines += textwrap.wrap(
            text, WIDTH, initial_indent=pre,
            subsequent_indent=' ' * (indent if hang is None else hang),
            break_on_hyphens=False, break_long_words=False)

    def line(self, text=''):
        self.lines.append(text.rstrip())

    def miss(self, what, indent=2):
        self.missing.append(what)
        self.para('missing: ' + what, indent)


def rel(root, path):
    return os.path.relpath(path, root)


def base_version(root):
    path = os.path.join(root, 'kernel-patch', 'BASE')
    try:
        with open(path) as f:
            m = re.search(r'^VERSION=(\S+)', f.read(), re.M)
    except OSError as e:
        die(f'{rel(root, path)}: {e.strerror}')
    if not m:
        die(f'{rel(root, path)} has no VERSION= line')
    return m.group(1)


def same_kernel(reported, base):
    """'7.2.13+' (a local build of 7.2.13) is the base 7.2.13."""
    return reported.rstrip('+') == base


# ---- the QEMU checks ---------------------------------------------------------

def series_digest(read):
    """hvo_series_hash of scripts/kernel-lib.sh: the series file and its
    patches, in order; read(name) gives a kernel-patch/ file's bytes."""
    series = read('series')
    names = [ln.strip() for ln in series.decode().splitlines()
             if ln.strip() and not ln.startswith('#')]
    data = series + b''.join(read(n) for n in names)
    return hashlib.sha256(data).hexdigest()[:16]


def series_hash(root):
    """The series hash of the working tree's kernel-patch/."""
    kp = os.path.join(root, 'kernel-patch')
    try:
        return series_digest(lambda n: open(os.path.join(kp, n), 'rb').read())
    except OSError as e:
        return f'unreadable ({e.filename}: {e.strerror})'


def checks(out, root, base):
    path = os.path.join(root, 'results', 'kernel', 'summary.txt')
    name = rel(root, path)
    try:
        text = open(path).read()
    except OSError:
        out.line('QEMU boot checks:')
        out.miss(f'{name} (make kernel-check)')
        return
    m = re.search(r'^# base=(\S+)', text, re.M)
    date = re.search(r'^# date=(\S+)', text, re.M)
    got = m.group(1) if m else 'unknown'
    out.para(f'QEMU boot checks ({name}, '
             f'{date.group(1) if date else "undated"}, base {got}):')
    if not same_kernel(got, base):
        out.miss(f'{name} is from base {got}, the series is on {base} '
                 '(make kernel-check)')
        return
    m = re.search(r'^# base=\S+.*\bseries=(\S+)', text, re.M)
    want = series_hash(root)
    if not m or m.group(1) != want:
        out.miss(f'{name} is from series {m.group(1) if m else "unknown"}, '
                 f'kernel-patch/ now holds series {want} (make kernel-check)')
        return
    steps = [ln for ln in text.splitlines()
             if re.match(r'(PASS|FAIL|XFAIL|SKIP)\s', ln)]
    result = [ln for ln in text.splitlines() if ln.startswith('RESULT ')]
    if not steps or not result:
        out.miss(f'{name} has no step lines or no RESULT line')
        return
    for ln in steps:
        m = re.match(r'(\S+)\s+(.*?)(?:\s{2,}(.*))?$', ln)
        verdict, step, detail = m.group(1), m.group(2), m.group(3)
        out.para(f'{verdict} {step}' + (f': {detail}' if detail else ''),
                 2, 6)
    out.para(result[-1], 2)


# ---- vmemmap pages saved -------------------------------------------------------

def result_info(path):
    """HVOINFO key=value fields by check name, and the kernel version."""
    info, kernel, verdict = {}, None, None
    for ln in open(path):
        m = re.match(r'HVOINFO (\S+) (.*)', ln)
        if m:
            kv = dict(re.findall(r'(\w+)=(\S+)', m.group(2)))
            if m.group(1).startswith('kernel='):
                kernel = m.group(1).split('=', 1)[1]
            else:
                info[m.group(1)] = kv
        m = re.match(r'VERDICT (\S+)', ln)
        if m:
            verdict = m.group(1)
    return info, kernel, verdict


def savings(out, root, base):
    out.para(f'vmemmap pages saved by HVO, read from /proc/vmstat in the '
             f'guest, Linux {base} with the series:')
    for arch in ARCHES:
        path = os.path.join(root, 'results', 'kernel', f'{arch}-patched.result')
        name = rel(root, path)
        if not os.path.exists(path):
            out.miss(f'{name} ({arch}, make kernel-check)')
            continue
        info, kernel, verdict = result_info(path)
        if not kernel or not same_kernel(kernel, base):
            out.miss(f'{name} is from kernel {kernel or "unknown"}, '
                     f'not {base} (make kernel-check)')
            continue
        parts = []
        for size, key in (('2M', 'hvo_savings_2m'), ('1G', 'hvo_savings_1g')):
            kv = info.get(key, {})
            try:
                pages, saved = int(kv['pages']), int(kv['saved'])
            except (KeyError, ValueError):
                parts.append(f'{size}: missing ({key} not in the file)')
                out.missing.append(f'{name}: {key}')
                continue
            per = f'{saved / pages:g}' if pages else '-'
            parts.append(f'{size}: {saved} pages saved for {pages} '
                         f'huge page{"s" if pages != 1 else ""} ({per} each)')
        out.para(f'{arch} ({name}, verdict {verdict or "none"}): '
                 + '; '.join(parts), 2, 6)


# ---- negative controls ------------------------------------------------------------

def controls(out, root):
    """Each results/kernel/controls/*.result: the deliberately wrong patch
    booted, and whether the check it targets failed as it must."""
    d = os.path.join(root, 'results', 'kernel', 'controls')
    paths = sorted(glob.glob(os.path.join(d, '*.result')))
    out.para('Negative controls: the patched kernel plus one deliberately '
             'wrong patch (kernel-patch/controls/), booted with the same '
             'checks, which must fail (scripts/kernel-control.sh):')
    if not paths:
        out.miss(f'{rel(root, d)}/*.result (scripts/kernel-control.sh)')
        return
    for path in paths:
        text = open(path).read()
        name = os.path.basename(path)[:-len('.result')]
        kernel = re.search(r'^HVOINFO kernel=(\S+)', text, re.M)
        caught = re.search(r'^CONTROL DETECTED \S+: (.*)$', text, re.M)
        fails = re.findall(r'^HVOTEST FAIL (\S+) (.*)$', text, re.M)
        detail = '; '.join(f'{c}: {w}' for c, w in fails) or 'no check failed'
        out.para(f'{name} (kernel {kernel.group(1) if kernel else "unknown"}'
                 f'): {"detected, " + caught.group(1) if caught else "NOT DETECTED"}'
                 f' ({detail})', 2, 6)


# ---- the kernel verification matrix ----------------------------------------------

# What each fragment of scripts/matrix/configs/ turns on.
MATRIX_CONFIGS = {
    'debugvm-cgroup': 'DEBUG_VM + CGROUP_HUGETLB + MEMCG',
    'lockdep': 'lockdep (PROVE_LOCKING, DEBUG_ATOMIC_SLEEP)',
    'kasan': 'generic KASAN',
    'kasan-hwtags': 'KASAN_HW_TAGS (MTE)',
    'pseudo-nmi': 'arm64 pseudo-NMI',
    'preempt-rt': 'PREEMPT_RT',
    'pages16k': 'arm64 16K pages',
    'pages64k': 'arm64 64K pages',
    'virtio-mem': 'virtio-mem (arm64 hot-remove)',
}


def row_series(root, commit, cache={}):
    """The series hash of kernel-patch/ at a commit (None: not in git)."""
    commit = commit.replace('+dirty', '')
    if commit not in cache:
        def show(name):
            return subprocess.run(
                ['git', '-C', root, 'show', f'{commit}:kernel-patch/{name}'],
                capture_output=True, check=True).stdout
        try:
            cache[commit] = series_digest(show)
        except (OSError, subprocess.CalledProcessError):
            cache[commit] = None
    return cache[commit]


def hotplug_medians(path):
    """The offline medians of a hotplug.txt, {'off': (ms, ci, n), 'on': ...}."""
    got = {}
    for ln in open(path):
        f = ln.split()
        if len(f) >= 9 and f[0] == 'offline' and f[1] in ('off', 'on'):
            got[f[1]] = (float(f[6]), f[7], int(f[2]))
    return got


def matrix(out, root, base):
    d = os.path.join(root, 'results', 'kernel', 'matrix')
    name = rel(root, os.path.join(d, 'table.md'))
    rows = {}
    for path in sorted(glob.glob(os.path.join(d, 'rows', '*.row'))):
        kv = dict(ln.rstrip('\n').split('=', 1) for ln in open(path) if '=' in ln)
        rows[os.path.basename(path)[:-4]] = kv
    out.para(f'Kernel verification matrix ({name}, every row in '
             f'{rel(root, d)}/rows/): QEMU TCG, 2 vCPUs, each boot runs the '
             'guest checks and 30 s of concurrent stress (pool cycling with '
             'HVO on, GUP pins, kpageflags readers) with the row\'s events, '
             'and counts splats (WARN, BUG, KASAN, lockdep reports, "Bad '
             'page state").')
    if not rows:
        out.miss(f'{rel(root, d)}/rows/*.row (make kernel-matrix)')
        return
    want = series_hash(root)
    groups = {'patched': [], 'stock': [], 'control': [], 'stale': [], 'diag': []}
    for r, kv in rows.items():
        k = kv.get('kernel', '')
        if k.startswith('stock72+'):
            groups['diag'].append(r)
        elif kv.get('expect', '-') != '-':
            groups['control'].append(r)
        elif k in ('patched72', 'check'):
            ok = (same_kernel(kv.get('release', ''), base)
                  and row_series(root, kv.get('commit', '')) == want)
            groups['patched' if ok else 'stale'].append(r)
        elif k in ('stock72', 'check-stock') and same_kernel(kv.get('release', ''), base):
            groups['stock'].append(r)

    def not_pass(names):
        why = {}
        for r in names:
            if rows[r].get('verdict') != 'PASS':
                why.setdefault(f'{rows[r].get("verdict")}: '
                               f'{rows[r].get("reason")}', []).append(r)
        for w, rs in sorted(why.items()):
            out.para(f'{", ".join(rs)}: {w}', 4, 6)

    def tally(names):
        c = {}
        for r in names:
            c[rows[r].get('verdict', '?')] = c.get(rows[r].get('verdict', '?'), 0) + 1
        return ', '.join(f'{v} {n}' for v, n in sorted(c.items()))

    p = groups['patched']
    if not p:
        out.miss(f'{name}: no row of the series {want} on {base}')
    else:
        cfg = sorted({c for r in p for c in rows[r].get('configs', '-').split(',')
                      if c != '-'})
        ev = sorted({e for r in p for e in rows[r].get('events', '-').split(',')
                     if e != '-'})
        n = sum(int(rows[r].get('splats') or 0) for r in p)
        out.para(f'The series on {base}: {len(p)} rows ({tally(p)}), '
                 f'{n} splat{"" if n == 1 else "s"}. '
                 'Configurations: '
                 + '; '.join(MATRIX_CONFIGS.get(c, c) for c in cfg)
                 + '. Events during the stress: ' + ', '.join(ev) + '.', 2, 4)
        not_pass(p)
    if groups['stale']:
        out.para(f'Left out: {len(groups["stale"])} rows of another series '
                 f'or kernel ({", ".join(sorted(groups["stale"]))}).', 2, 4)
    s = groups['stock']
    out.para(f'Stock {base} under the same configurations and events: '
             f'{len(s)} rows ({tally(s)}).', 2, 4)
    not_pass(s)
    c = groups['control']
    caught = [r for r in c if rows[r].get('verdict') == 'CAUGHT']
    out.para(f'Negative controls (the v1 series on 6.12, the series with a '
             f'deliberately wrong patch, guest checks made to expect the '
             f'wrong value): {len(caught)} of {len(c)} caught what they '
             'must: ' + ', '.join(f'{r} ({rows[r].get("expect")}: '
                                 f'{rows[r].get("verdict")})' for r in sorted(c))
             + '.', 2, 4)
    if groups['diag']:
        out.para('Diagnostics of base-tree bugs (the base tree plus '
                 'kernel-patch/diagnostics/): '
                 + ', '.join(f'{r} ({rows[r].get("expect")}: '
                             f'{rows[r].get("verdict")})' for r in sorted(groups['diag']))
                 + '.', 2, 4)
    # Rows whose timing the guest judged HVO's: blocks of pool pages (a
    # pool that could not be grown times plain offlining; guests before
    # session 4 said PASS all the same, their rounds say pool_before=0).
    def timed(r):
        try:
            text = open(os.path.join(d, 'rows', r + '.result')).read()
        except OSError:
            return False
        return (os.path.exists(os.path.join(d, 'rows', r + '.hotplug.txt'))
                and re.search(r'^HVOTEST PASS hotplug_timing ', text, re.M)
                and not re.search(r'hp_round .*pool_before=0 ', text))
    hp = [r for r in p + s if timed(r)]
    lines = []
    for r in sorted(hp):
        m = hotplug_medians(os.path.join(d, 'rows', r + '.hotplug.txt'))
        if 'off' in m and 'on' in m:
            (a, aci, an), (b, bci, bn) = m['off'], m['on']
            lines.append(f'{r}: off {a:.1f} ms [{aci}] n={an}, on {b:.1f} ms '
                         f'[{bci}] n={bn}, on/off {b / a:.2f}')
    if lines:
        out.para('Memory hot-remove: offline of the movable blocks full of '
                 'free 2M pages, HVO off vs on, medians with 95% intervals '
                 '(rows/ROW.hotplug.txt):', 2, 4)
        for ln in lines:
            out.para(ln, 4, 6)


# ---- qemu-compare results -------------------------------------------------------

def fmt_ns(v):
    for unit, div in (('s', 1e9), ('ms', 1e6), ('us', 1e3)):
        if abs(v) >= div:
            return f'{v / div:.4g}{unit}'
    return f'{v:.4g}ns'


def short(bench):
    """pool/grow/size:2M/pages:64/hvo:on -> grow 2M x64 on"""
    m = re.fullmatch(r'pool/(\w+)/size:(\w+)/pages:(\d+)(?:/hvo:(\w+))?',
                     bench)
    if not m:
        return bench
    return f'{m[1]} {m[2]} x{m[3]}' + (f' {m[4]}' if m[4] else '')


def side_runs(cdir, side):
    """run.txt files of one side of a qemu-compare directory."""
    d = os.path.join(cdir, os.path.basename(side['path'].rstrip('/')))
    return sorted(glob.glob(os.path.join(d, 'r*', 'run.txt')) +
                  glob.glob(os.path.join(d, 'run.txt')))


def run_fields(paths):
    """Kernels, commands and verdicts recorded by qemu-bench.sh."""
    kernels, cmds, verdicts = set(), set(), []
    for p in paths:
        for ln in open(p):
            m = re.match(r'kernel=(\S+) arch=(\S+)', ln)
            if m:
                kernels.add(f'{m.group(1)} {m.group(2)}')
            if ln.startswith('# hvobench run '):
                cmds.add(ln[2:].strip())
            if ln.startswith('VERDICT '):
                verdicts.append(ln.split()[1].rstrip(':'))
    return kernels, cmds, verdicts


def compare_dirs(root):
    found = glob.glob(os.path.join(root, 'results', '**', 'report',
                                   'report.json'), recursive=True)
    return sorted(os.path.dirname(os.path.dirname(p)) for p in found)


def comparisons(out, root, base):
    out.para('Relative cost, A -> B, from qemu-compare (alternating boots '
             'of A and B on one host).  ' + TCG_NOTE)
    used = skipped = 0
    for cdir in compare_dirs(root):
        rep = os.path.join(cdir, 'report', 'report.json')
        try:
            report = json.load(open(rep))
        except (OSError, ValueError) as e:
            out.miss(f'{rel(root, rep)} unreadable: {e}')
            continue
        runs = {s: side_runs(cdir, report[s]) for s in ('a', 'b')}
        fields = {s: run_fields(runs[s]) for s in runs}
        kern = {s: fields[s][0] for s in fields}
        if not any(same_kernel(k.split()[0], base)
                   for s in kern for k in kern[s]):
            skipped += 1
            continue
        used += 1
        out.line()
        out.para(f'{rel(root, cdir)}/ (numbers: {rel(root, rep)})', 0)
        for s in ('a', 'b'):
            k = ', '.join(sorted(kern[s])) or 'kernel not recorded'
            v = fields[s][2]
            out.para(f'{s.upper()} = {os.path.basename(report[s]["path"])}: '
                     f'{k}; {len(runs[s])} boot(s), verdicts '
                     f'{", ".join(v) or "none recorded"}', 2, 6)
        for c in sorted(fields['a'][1] | fields['b'][1]):
            out.para(c, 2, 6)
        # Times are positive: the interval is of the ratio B/A.
        rows = [c for c in report['comparisons']
                if c['metric'] == 'real_time' and 'ci_low' in c
                and c.get('interval', 'ratio') == 'ratio']
        if not rows:
            out.miss(f'{rel(root, rep)} has no real_time comparison')
        if rows and all(c.get('test') == 'between-runs' for c in rows):
            how = report['method']['interval'].split('; ')[-1]
            out.para('n = boots, each boot one sample (hvobench report: '
                     + how.split(': ', 1)[-1] + ').', 2)
            key = ('runs_a', 'runs_b')
        else:
            out.para('n = repetitions pooled over the boots; the CI does '
                     'not include boot-to-boot variance.', 2)
            key = ('n_a', 'n_b')
        ns = [(c[key[0]], c[key[1]]) for c in rows]
        common = max(set(ns), key=ns.count) if ns else (0, 0)
        conf = report.get('method', {}).get('confidence', 0.95)
        # The report's own caveats about small samples.
        for w in report.get('warnings', []):
            if 'n=' in w:
                out.para('caveat (hvobench report): ' + w, 2, 4)
        if rows:
            out.line(f'  {"(n = " + "/".join(map(str, common)) + ")":<18} '
                     f'{"A":>8}    {"B":<8} {"B/A-1":>7} '
                     f'{conf * 100:g}% CI')
        for c in rows:
            star = '*' if c.get('significant') else ''
            n = ('' if (c[key[0]], c[key[1]]) == common
                 else f' n={c[key[0]]}/{c[key[1]]}')
            ci = (f'[{(c["ci_low"] - 1) * 100:+.1f}%,'
                  f'{(c["ci_high"] - 1) * 100:+.1f}%]')
            out.line(f'  {short(c["benchmark"]):<18} '
                     f'{fmt_ns(c["median_a"]):>8} -> '
                     f'{fmt_ns(c["median_b"]):<8} '
                     f'{c["change"] * 100:+6.1f}% {ci}{star}{n}')
    if used:
        out.para('Median real time of each side; change = median(B)/'
                 'median(A)-1; CI of the ratio B/A (method in each '
                 'report.json); * = significant after Benjamini-Hochberg '
                 'correction.', 2)
    else:
        out.miss('a qemu-compare result (report/report.json under results/) '
                 f'with a side on {base} (scripts/qemu-compare.sh)')
    if skipped:
        out.para(f'({skipped} qemu-compare result(s) under results/ ran '
                 f'other kernels only and are not shown.)', 2)


# ---- HVO on vs off within one kernel ----------------------------------------------

def hvo_cost(out, root, base):
    """hvobench report RUN --by=hvo over the boots of one qemu-compare side
    (results/**/by-hvo-<side>/report.json): what HVO costs in that kernel."""
    found = sorted(glob.glob(os.path.join(root, 'results', '**', 'by-hvo-*',
                                          'report.json'), recursive=True))
    out.para('What HVO costs within one kernel: the pool rows with HVO on '
             'vs off, interleaved in each boot (hvobench report RUN '
             '--by=hvo; n = boots).  ' + TCG_NOTE)
    used = 0
    for rep in found:
        try:
            report = json.load(open(rep))
        except (OSError, ValueError) as e:
            out.miss(f'{rel(root, rep)} unreadable: {e}')
            continue
        run = os.path.join(root, report['a']['path'])
        kern, _, verdicts = run_fields(side_runs(os.path.dirname(run),
                                                 {'path': run}))
        if not any(same_kernel(k.split()[0], base) for k in kern):
            continue
        used += 1
        out.line()
        out.para(f'{os.path.basename(run)} ({", ".join(sorted(kern))}; '
                 f'{len(verdicts)} boots, verdicts {", ".join(verdicts)}; '
                 f'numbers: {rel(root, rep)})', 0)
        rows = [c for c in report['comparisons']
                if c['metric'] == 'real_time' and 'ci_low' in c]
        for c in rows:
            star = '*' if c.get('significant') else ''
            out.line(f'  {short(c["benchmark"]):<16} off '
                     f'{fmt_ns(c["median_a"]):>8} on {fmt_ns(c["median_b"]):<8} '
                     f'{c["change"] * 100:+7.1f}% '
                     f'[{(c["ci_low"] - 1) * 100:+.1f}%,'
                     f'{(c["ci_high"] - 1) * 100:+.1f}%]{star}')
    if used:
        out.para('change = median(on)/median(off)-1 with the 95% CI of the '
                 'ratio; * = significant after Benjamini-Hochberg.', 2)
    else:
        out.miss(f'a by-hvo report of a {base} kernel (hvobench report RUN '
                 '--by=hvo --out=DIR/by-hvo-SIDE)')


# ---- simulated TLB ----------------------------------------------------------------

def guest_release(d):
    """The kernel release the guest reported in a run's result JSON
    (a bzImage carries no 'Linux version' string to grep)."""
    try:
        doc = json.load(open(os.path.join(d, 'result.json')))
        return doc['context']['hvobench']['env']['kernel']['release']
    except (OSError, ValueError, KeyError, TypeError):
        return None


def tlbsim(out, root, base):
    """Each run of scripts/tlbsim-run.sh on the base kernel:
    results/tlbsim/.../run.txt (kernel, command) and summary.txt (its
    table), with the vmemmap_basepages check (same.txt) beside a
    make tlbsim pair."""
    d = os.path.join(root, 'results', 'tlbsim')
    if not os.path.isdir(d):
        out.para(f'Simulated TLB: not included, {rel(root, d)}/ does not '
                 'exist (no simulation has been recorded).')
        return
    out.para('Simulated TLB misses: a TLB model driven by the memory '
             'accesses of real kernel execution (QEMU TCG plugin).  '
             'Simulation, not a measurement on hardware: the model has no '
             'walk caches, no invalidations, no latencies.')
    runs = sorted(glob.glob(os.path.join(d, '*', 'run.txt')) +
                  glob.glob(os.path.join(d, '*', '*', 'run.txt')))
    other = []
    for run in runs:
        # base/ and sim/ are the two boots inside one run.
        if os.path.basename(os.path.dirname(run)) in ('base', 'sim'):
            continue
        head = open(run).read()
        kernel = guest_release(os.path.dirname(run)) or \
            (re.search(r'Linux version (\S+)', head) or [None, None])[1]
        if not kernel or not same_kernel(kernel, base):
            other.append(rel(root, os.path.dirname(run)))
            continue
        summary = os.path.join(os.path.dirname(run), 'summary.txt')
        # A basepages boot is quoted through its pair's same.txt.
        if not os.path.exists(summary) or \
                os.path.basename(os.path.dirname(run)) == 'basepages':
            continue
        cmd = re.search(r'^# command: (.*)$', head, re.M)
        out.line()
        out.para(f'{rel(root, summary)} (kernel {kernel})', 0)
        if cmd:
            out.para(cmd.group(1), 2, 6)
        for ln in open(summary).read().splitlines():
            # The models themselves; their sensitivity variants
            # (MODEL+CLASSSIZE) stay in summary.txt.
            if ln and (not ln[0].isspace() or 'model-free' in ln or
                       ('walks/iter' in ln and '+' not in ln.split()[0])):
                out.line('  ' + ln)
        same = os.path.join(os.path.dirname(os.path.dirname(run)), 'same.txt')
        if os.path.basename(os.path.dirname(run)) == 'pmd' and \
                os.path.exists(same):
            out.para(f'{rel(root, same)} (the same work on a '
                     'vmemmap_basepages boot):', 0)
            for ln in open(same).read().splitlines():
                if ln.startswith(('minimum', 'SAME', '  calibration')):
                    out.line('  ' + ln)
    if not runs or len(other) == len(runs):
        out.miss(f'a run on the {base} kernel under {rel(root, d)}/ '
                 '(make tlbsim)')
    if other:
        out.para(f'Not quoted (not the {base} kernel): ' + ', '.join(other))


# ---- putting it in ------------------------------------------------------------------

def results_commit(root):
    """The last commit that changed results/, and whether it has changed since."""
    def git(*a):
        return subprocess.run(['git', '-C', root, *a], capture_output=True,
                              text=True, check=True).stdout.strip()
    try:
        c = git('log', '-1', '--format=%h', '--', 'results')
        dirty = git('status', '--porcelain', '--', 'results')
    except (OSError, subprocess.CalledProcessError):
        return 'results/ (not in a git repository)'
    return (f'results/ as of commit {c or "none"}'
            + (' plus uncommitted changes' if dirty else ''))


def build(root):
    base = base_version(root)
    out = Out()
    out.para(f'Generated by scripts/cover-letter-data.py of the hvobench '
             f'repository from {results_commit(root)}; each block names '
             'the file its numbers come from.')
    out.line()
    checks(out, root, base)
    out.line()
    savings(out, root, base)
    out.line()
    controls(out, root)
    out.line()
    matrix(out, root, base)
    out.line()
    comparisons(out, root, base)
    out.line()
    hvo_cost(out, root, base)
    out.line()
    tlbsim(out, root, base)
    return out


def splice(text, section, name):
    lines = text.split('\n')
    try:
        b = [ln.strip() for ln in lines].index(BEGIN)
        e = [ln.strip() for ln in lines].index(END, b + 1)
    except ValueError:
        die(f'{name} has no "{BEGIN}" ... "{END}" marker lines')
    return '\n'.join(lines[:b + 1] + section + lines[e:])


def sync_blurb(mail, text):
    """The exported cover letter's body is cover-letter.txt without its
    SUBJECT line (scripts/kernel-series-export.sh): carry prose edits over
    too, between the mail header and format-patch's shortlog (a file
    without them is left as it is, data section aside)."""
    blurb = text.split('\n', 1)[1].rstrip('\n')
    head = mail.find('\n\n') + 2
    m = re.search(r'^.* \(\d+\):$', mail[head:], re.M) if head > 1 else None
    if not mail.startswith('From ') or not m:
        return mail
    return mail[:head] + blurb + '\n\n' + mail[head + m.start():]


def main():
    ap = argparse.ArgumentParser(
        description='Fill the cover letter data section from results/.')
    ap.add_argument('--root', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..'),
        help='repository root (default: this script\'s)')
    ap.add_argument('--allow-missing', action='store_true',
                    help='write the section even when inputs are missing')
    ap.add_argument('--stdout', action='store_true',
                    help='print the section instead of writing files')
    try:
        args = ap.parse_args()
    except SystemExit as e:
        sys.exit(2 if e.code else 0)
    root = os.path.abspath(args.root)
    kp = os.path.join(root, 'kernel-patch')
    files = [os.path.join(kp, 'cover-letter.txt')]
    if not os.path.exists(files[0]):
        die(f'{rel(root, files[0])} does not exist')
    patch = os.path.join(kp, '0000-cover-letter.patch')
    if os.path.exists(patch):
        files.append(patch)

    out = build(root)
    section = out.lines
    if args.stdout:
        print('\n'.join(section))
    new = {}
    for f in files:
        new[f] = splice(open(f).read(), section, rel(root, f))
    if patch in new:
        new[patch] = sync_blurb(new[patch], new[files[0]])
    for f in files:
        bad = [ln for ln in new[f].split('\n') if PLACEHOLDER_RE.search(ln)]
        if bad:
            die(f'{rel(root, f)} still has placeholder text: '
                f'{bad[0].strip()!r}', 1)
    if out.missing:
        for m in out.missing:
            print(f'cover-letter-data: missing: {m}', file=sys.stderr)
        if not args.allow_missing:
            die(f'{len(out.missing)} input(s) missing, nothing written '
                '(--allow-missing writes the section with these lines)', 1)
    if args.stdout:
        return
    for f, text in new.items():
        with open(f + '.tmp', 'w') as fh:
            fh.write(text)
        os.replace(f + '.tmp', f)
        print(f'cover-letter-data: wrote {rel(root, f)}', file=sys.stderr)
    if patch not in files:
        print(f'cover-letter-data: {rel(root, patch)} does not exist: '
              'scripts/kernel-series-export.sh makes it from '
              'cover-letter.txt', file=sys.stderr)


if __name__ == '__main__':
    main()
