#!/bin/sh
# Redraw the figures of this report.
cd "$(dirname "$0")" || exit 1
gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ptitle='hvo:off vs hvo:on: real_time (else the first metric), normalized to median of hvo:off'; la='hvo:off'; lb='hvo:on'; cilab='hvo:on / hvo:off ratio, 95% CI'; logy=1" dist.gp
gnuplot -e "datafile='dist-2.dat'; outbase='dist-2'; ptitle='hvo:off vs hvo:on: real_time (else the first metric), normalized to median of hvo:off'; la='hvo:off'; lb='hvo:on'; cilab='hvo:on / hvo:off ratio, 95% CI'; logy=1" dist.gp
gnuplot -e "datafile='cdf-1.dat'; outbase='cdf-1'; ptitle='pool/fault/size:2M/mode:private: fault latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-2.dat'; outbase='cdf-2'; ptitle='pool/fault/size:2M/mode:random: fault latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-3.dat'; outbase='cdf-3'; ptitle='pool/fault/size:2M/mode:cow: fault latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-4.dat'; outbase='cdf-4'; ptitle='pool/step/size:2M/pages:64: alloc latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-5.dat'; outbase='cdf-5'; ptitle='pool/step/size:2M/pages:64: free latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-6.dat'; outbase='cdf-6'; ptitle='pool/step/size:1G/pages:2: alloc latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
gnuplot -e "datafile='cdf-7.dat'; outbase='cdf-7'; ptitle='pool/step/size:1G/pages:2: free latency'; la='hvo:off'; lb='hvo:on'" cdf.gp
