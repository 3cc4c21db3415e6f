# A vs B distributions per benchmark, normalized to the median of A:
# boxes span the quartiles, whiskers min..max, a bar marks the median;
# the black point with error bars is the Hodges-Lehmann ratio B/A with
# its confidence interval.  Written by `hvobench report`; run as
#   gnuplot -e "datafile='dist-1.dat'; outbase='dist-1'; ..." dist.gp
# Columns: idx label a_min a_q1 a_med a_q3 a_max b_min b_q1 b_med b_q3
#          b_max est ci_lo ci_hi
if (!exists("datafile")) datafile = 'dist-1.dat'
if (!exists("outbase")) outbase = 'dist-1'
if (!exists("ptitle")) ptitle = 'A vs B'
if (!exists("ylab")) ylab = 'value / median(A)'
if (!exists("la")) la = 'A'
if (!exists("lb")) lb = 'B'
if (!exists("cilab")) cilab = 'B/A, 95% CI'
if (!exists("xlab")) xlab = 'benchmark'

# logy=1 (set by hvobench when the ratios span more than 30x): log scale.
if (exists("logy") && logy) set logscale y
set title ptitle noenhanced
set ylabel ylab noenhanced
set xlabel xlab noenhanced
set style fill solid 0.35 border -1
set boxwidth 0.25
set xtics rotate by 35 right noenhanced font ",8" nomirror
set key outside below center horizontal noenhanced
set grid ytics
set xrange [-0.7:*]
set lmargin 20
set autoscale yfix
set offsets 0, 0.7, graph 0.05, graph 0.05

do for [t in "png svg"] {
	if (t eq "png") {
		if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
			set terminal pngcairo size 1100,650 font ",10"
		} else {
			set terminal png size 1100,650
		}
		set output outbase.".png"
	} else {
		set terminal svg size 1100,650 dynamic
		set output outbase.".svg"
	}
	plot datafile using ($1-0.15):4:3:7:6:xticlabels(2) \
		with candlesticks whiskerbars lc rgb "#1f77b4" title la, \
	     '' using ($1-0.15):5:5:5:5 with candlesticks \
		lc rgb "#1f77b4" lw 2 notitle, \
	     '' using ($1+0.15):9:8:12:11 with candlesticks whiskerbars \
		lc rgb "#d62728" title lb, \
	     '' using ($1+0.15):10:10:10:10 with candlesticks \
		lc rgb "#d62728" lw 2 notitle, \
	     '' using ($1+0.4):13:14:15 with yerrorbars pt 7 ps 0.7 \
		lc rgb "black" title cilab
	unset output
}
