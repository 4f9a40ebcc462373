#!/usr/bin/env bash
# warm.sh URL QDIR [seconds] : wrk each query for N seconds, twice
url=$1; dir=$2; s=${3:-8}
for pass in 1 2; do for f in /tmp/bench/$dir/q*.graphql; do
  body=$(mktemp); jq -Rs '{query: .}' "$f" > $body
  BODY_FILE=$body wrk -t1 -c8 -d${s}s -s /tmp/bench/wrk-graphql.lua "$url" | grep WRKSUMMARY
  rm -f $body
done; done
