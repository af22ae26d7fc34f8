# The benchmark's chart: per scenario, the API's throughput against the database-only ceiling
# (top) and the p99 latency of both (bottom).
#   gnuplot -e "data='chart.dat'; out='results.png'; subtitle='...'" bench/chart.gp
# chart.dat: "scenario" api_rps db_rps api_p99_ms db_p99_ms, one scenario a line.

set terminal pngcairo size 1400,800 font "DejaVu Sans,11"
set output out
set multiplot layout 2,1 title "LockIN: API (Payara Micro, wrk) against the database-only ceiling (pgbench, same SQL)\n".subtitle

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top left
set xtics scale 0

set title "Throughput (requests/s, log scale; for the clock cycle, steps/s); label: API / database only"
set ylabel "requests/s"
set logscale y
set yrange [50:*]
plot data using 2:xtic(1) title "API" linecolor rgb "#2f6db5", \
     ''   using 3 title "database only" linecolor rgb "#b0b0b0", \
     ''   using 0:(1.15 * $3):(sprintf("%.0f %%", 100 * $2 / $3)) with labels notitle

set title "p99 latency (ms) at the same connections; dashed: the progress read's 20 ms target, history's and stats' 50 ms (at 10 M)"
set ylabel "ms"
unset logscale y
set yrange [0:*]
set offsets 0, 0, graph 0.3, 0
set key top right
plot data using 4:xtic(1) title "API" linecolor rgb "#d9822b", \
     ''   using 5 title "database only" linecolor rgb "#b0b0b0", \
     20 with lines dashtype 2 linecolor rgb "#c03030" title "20 ms", \
     50 with lines dashtype 3 linecolor rgb "#8040a0" title "50 ms"

unset multiplot
