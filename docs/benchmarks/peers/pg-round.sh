#!/usr/bin/env bash
# pg-round.sh LABEL=URL=QDIR=PID ... : per query, per server interleaved: load.sh (C=8 D=10 W=3) with PG statement count
set -uo pipefail
cd /tmp/bench
for s in "$@"; do IFS='=' read -r label url qdir pid <<<"$s"; ./verify.sh "$url" "$qdir" >/dev/null || { echo "verify failed $label"; exit 1; }; done
for q in q1-states-100 q2-states-20-cities q3-cities-200-state q4-state-by-pk; do
  for s in "$@"; do
    IFS='=' read -r label url qdir pid <<<"$s"
    ./wait-quiet.sh >/dev/null 2>&1
    echo "label=$label $(PGSS_DB=bench SERVER_PID=$pid ./load.sh "$url" "$qdir/$q.graphql" 8 10 3)"
  done
done
