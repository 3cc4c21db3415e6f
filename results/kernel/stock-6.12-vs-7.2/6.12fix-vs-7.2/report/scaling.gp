# Throughput against the threads parameter, A vs B: medians with
# quartile bars.  Written by `hvobench report`.
# Columns: threads a_med a_q1 a_q3 b_med b_q1 b_q3
if (!exists("datafile")) datafile = 'scaling-1.dat'
if (!exists("outbase")) outbase = 'scaling-1'
if (!exists("ptitle")) ptitle = 'scaling'
if (!exists("ylab")) ylab = 'throughput'
if (!exists("la")) la = 'A'
if (!exists("lb")) lb = 'B'

set title ptitle noenhanced
set xlabel "threads"
set ylabel ylab noenhanced
set grid
set key top left noenhanced
set offsets 0.2, 0.2, 0, 0
set yrange [0:*]
set xtics 1
# 800k, 1.2M: at most one decimal, never "800.000k"
set format y "%.1s%c"

do for [t in "png svg"] {
	if (t eq "png") {
		if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
			set terminal pngcairo size 900,560 font ",10"
		} else {
			set terminal png size 900,560
		}
		set output outbase.".png"
	} else {
		set terminal svg size 900,560 dynamic
		set output outbase.".svg"
	}
	plot datafile using 1:2:3:4 with yerrorlines lw 2 pt 7 \
		lc rgb "#1f77b4" title la, \
	     '' using 1:5:6:7 with yerrorlines lw 2 pt 5 \
		lc rgb "#d62728" title lb
	unset output
}
