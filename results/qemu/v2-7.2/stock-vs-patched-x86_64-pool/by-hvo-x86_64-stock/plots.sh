#!/bin/sh
# Redraw the figures of this report.
cd "$(dirname "$0")" || exit 1
gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ptitle='hvo:off vs hvo:on: real_time per benchmark (else the metric named), / median of hvo:off'; ylab='time / median of hvo:off (1 = hvo:off)'; xlab='benchmark (n = repetitions hvo:off/hvo:on; n=1 rows left out)'; la='hvo:off'; lb='hvo:on'; cilab='hvo:on / hvo:off ratio, 95% CI'; logy=0" dist.gp
