#!/usr/bin/env bash
# needs async-profiler: mvn dependency:copy -Dartifact=tools.profiler:async-profiler:4.2:jar -DoutputDirectory=/tmp/ap && (cd /tmp/ap && unzip -o async-profiler-4.2.jar)
# prof.sh PID URL QUERYFILE OUT [event] : profile D=10 s of wrk load
pid=$1; url=$2; f=$3; out=$4; ev=${5:-itimer}
body=$(mktemp); jq -Rs '{query: .}' "$f" > $body
jcmd $pid "JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so \"start,event=$ev,interval=1ms\"" >/dev/null
BODY_FILE=$body wrk -t1 -c8 -d10s -s /tmp/bench/wrk-graphql.lua "$url" | grep WRKSUMMARY
jcmd $pid "JVMTI.agent_load /tmp/ap/linux-x64/libasyncProfiler.so \"stop,file=$out,collapsed\"" >/dev/null
rm -f $body
