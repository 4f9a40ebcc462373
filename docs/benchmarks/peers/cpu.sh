#!/usr/bin/env bash
# cpu.sh PID URL QFILE [secs]: rps + CPU% of PID and mariadbd and postgres during a wrk run
pid=$1; url=$2; f=$3; d=${4:-10}
t(){ awk '{sub(/^.*\) /,""); print $12+$13}' /proc/$1/stat; }
pgt(){ local s=0; for p in $(pgrep -x postgres); do s=$((s+$(t $p))); done; echo $s; }
m=$(pgrep -x mariadbd | head -1)
body=$(mktemp); jq -Rs '{query: .}' "$f" > $body
a0=$(t $pid); m0=$(t $m); p0=$(pgt)
r=$(BODY_FILE=$body wrk -t1 -c8 -d${d}s -s /tmp/bench/wrk-graphql.lua "$url" | grep WRKSUMMARY)
a1=$(t $pid); m1=$(t $m); p1=$(pgt)
echo "$(basename $f) $(echo $r | grep -o 'rps=[0-9.]*') $(echo $r | grep -o 'p99_ms=[0-9.]*') server_cpu=$(( (a1-a0)/d ))% mariadb_cpu=$(( (m1-m0)/d ))% pg_cpu=$(( (p1-p0)/d ))%"
rm -f $body
