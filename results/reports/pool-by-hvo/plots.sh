#!/bin/sh
# Redraw the figures of this report.
cd "$(dirname "$0")" || exit 1
gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ptitle='hvo:off vs hvo:on: real_time (else the first metric), normalized to median of hvo:off'; la='hvo:off'; lb='hvo:on'; cilab='hvo:on / hvo:off ratio, 95% CI'; logy=1" dist.gp
gnuplot -e "datafile='cdf-1.dat'; outbase='cdf-1'; ptitle='pool/step/size:2M/pages:64: alloc latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-2.dat'; outbase='cdf-2'; ptitle='pool/step/size:2M/pages:64: free latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
