# The soak run's chart (bench/soak.sh): throughput and p99 a second, open streams, each
# instance's RSS and heap after a full GC, the faults marked.
#   gnuplot -e "run='<run directory>'" bench/soak/chart.gp   (reads its chart-*.tsv, writes soak.png)

set terminal pngcairo size 1400,1000 font "DejaVu Sans,11"
set output run."/soak.png"
set multiplot layout 3,1 title "LockIN soak: two Payara Micro instances behind nginx, one PostgreSQL, faults marked (./lockin soak)"
set grid
set key top right
set xlabel "minutes from the load's start"
set xrange [0:*]

# a dashed line and a label per fault, on each plot
faults = run."/chart-faults.tsv"
n = system("wc -l < ".faults) + 0
do for [i=1:n] {
  x = system("sed -n ".i."p ".faults." | cut -f1") + 0
  label = system("sed -n ".i."p ".faults." | cut -f2 | tr -d '\"'")
  set arrow i from x, graph 0 to x, graph 1 nohead dashtype 2 linecolor rgb "#c03030"
  set label i label at x, graph 0.95 rotate by 90 right offset -0.6, 0 textcolor rgb "#c03030" font ",9" noenhanced
}

set title "requests a second (left) and their p99 in ms (right, log scale)"
set ylabel "requests/s"
set y2label "p99 ms"
set y2tics
set logscale y2
plot run."/chart-seconds.tsv" using 1:2 with lines linecolor rgb "#2f6db5" title "requests/s", \
     ''                         using 1:3 axes x1y2 with dots linecolor rgb "#e08020" title "p99 (ms)"

unset y2tics; unset y2label; unset logscale y2
set title "open streams (as the client counts them)"
set ylabel "streams"
plot run."/chart-seconds.tsv" using 1:4 with lines linecolor rgb "#2f6db5" title "open streams"

set title "each instance after a full GC, every minute: RSS and heap used (MB)"
set ylabel "MB"
set yrange [0:*]
plot run."/chart-memory-alpha.tsv" using 1:2 with linespoints linecolor rgb "#2f6db5" title "alpha RSS", \
     ''                            using 1:3 with linespoints linecolor rgb "#2f6db5" dashtype 2 title "alpha heap", \
     run."/chart-memory-beta.tsv"  using 1:2 with linespoints linecolor rgb "#30a040" title "beta RSS", \
     ''                            using 1:3 with linespoints linecolor rgb "#30a040" dashtype 2 title "beta heap"
unset multiplot
