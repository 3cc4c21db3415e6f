# Latency CDF of one histogram (e.g. per-page allocation latency), A vs B,
# from the pooled histogram buckets of every repetition.  Written by
# `hvobench report`.  Data: index 0 = A, index 1 = B; columns ns, fraction
# (drawn in microseconds).
if (!exists("datafile")) datafile = 'cdf-1.dat'
if (!exists("outbase")) outbase = 'cdf-1'
if (!exists("ptitle")) ptitle = 'latency CDF'
if (!exists("la")) la = 'A'
if (!exists("lb")) lb = 'B'

set title ptitle noenhanced
set xlabel "latency per operation (us, log scale)"
set format x "%g"
set ylabel "fraction of operations <= x (0..1)"
set logscale x
set yrange [0:1.02]
set grid xtics ytics mxtics
set key bottom right noenhanced
set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 2 lw 1.5 lc rgb "gray40"
set arrow 2 from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 2 lw 1.5 lc rgb "gray40"
set label 1 "p50" at graph 0.01, first 0.52 font ",8"
set label 2 "p99" at graph 0.01, first 0.965 font ",8"

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
	plot datafile index 0 using ($1/1000):2 with lines lw 2 lc rgb "#1f77b4" \
		title la, \
	     '' index 1 using ($1/1000):2 with lines lw 2 lc rgb "#d62728" title lb
	unset output
}
