#!/usr/bin/env bash
# bench/heap-after-gc.sh PID: a full GC in the JVM PID (jcmd GC.run, with the jcmd of that JVM's own
# JDK), then the heap it still uses, in KB (GC.heap_info: the Serial collector's young and tenured
# generations, or G1's heap). Prints nothing and fails when the JVM cannot be reached.
# Used by ./lockin soak's memory samples and the live scenario's memory per open stream.
set -euo pipefail
pid=$1
jcmd=$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd
"$jcmd" "$pid" GC.run >/dev/null
"$jcmd" "$pid" GC.heap_info | awk '
  /(def new|tenured) generation|garbage-first heap/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); sum += v }
  }
  END { if (sum > 0) print sum; else exit 1 }'
