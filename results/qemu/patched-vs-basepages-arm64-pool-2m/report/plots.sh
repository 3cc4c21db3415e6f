#!/bin/sh
# Redraw the figures of this report.
cd "$(dirname "$0")" || exit 1
gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ptitle='A vs B: real_time (else the first metric), normalized to median of A'; la='A'; lb='B'; cilab='B / A ratio, 95% CI'; logy=0" dist.gp
