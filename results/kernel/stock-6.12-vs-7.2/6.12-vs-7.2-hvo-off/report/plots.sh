#!/bin/sh
# Redraw the figures of this report.
cd "$(dirname "$0")" || exit 1
gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ptitle='A vs B: real_time per benchmark (else the metric named), / median of A'; ylab='time / median of A (1 = A)'; xlab='benchmark (n = repetitions A/B; n=1 rows left out)'; la='A: 6.12.117+'; lb='B: 7.2.13+'; cilab='B / A ratio, 95% CI'; logy=0" dist.gp
