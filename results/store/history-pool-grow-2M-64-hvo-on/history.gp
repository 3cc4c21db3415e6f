ptitle = "pool/grow/size:2M/pages:64/hvo:on on vm"
ylab = "real_time (ms)"
cilab = "median, 95% CI"
# Written by hvobench history: one point per run (median of its
# repetitions) with its confidence interval.  Redraw: gnuplot history.gp
# history.dat columns: index median ci_lo ci_hi n "label"
set title ptitle noenhanced
set ylabel ylab noenhanced
set xlabel "run (kernel, date UTC), oldest first"
set xtics rotate by -30 noenhanced font ",8"
set grid ytics
set key top left noenhanced
set offsets 0.5, 0.5, 0, 0
set bmargin 7
do for [t in "png svg"] {
	if (t eq "png") {
		if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
			set terminal pngcairo size 900,560 font ",10"
		} else {
			set terminal png size 900,560
		}
		set output "history.png"
	} else {
		set terminal svg size 900,560 dynamic
		set output "history.svg"
	}
	plot "history.dat" using 1:2:3:4:xtic(6) with yerrorlines lw 2 pt 7 lc rgb "#1f77b4" title cilab
	unset output
}
