#!/usr/bin/env bash
# before-after.sh REV [seconds] : the gateway at REV against the working tree's, on MariaDB, warmed,
# alternating, three rounds of the peer benchmark's four queries (../../../../shared/bench).
# Run from the checkout's root. Both jars serve `bench` by --introspect at -Xmx256m, the request log off.
set -euo pipefail
rev=$1; s=${2:-8}
root="$(pwd)"; shared="${SHARED_BENCH:-$root/../shared/bench}"
command -v wrk >/dev/null || apt-get install -y wrk
rm -rf /tmp/bench && cp -r "$shared" /tmp/bench && (cd /tmp/bench && ./setup-db.sh mysql)
rm -rf /tmp/mg-before && git clone -q "$root" /tmp/mg-before && (cd /tmp/mg-before && git checkout -q "$rev" && mvn -B -q package -DskipTests)
mvn -B -q package -DskipTests
cp /tmp/mg-before/target/modelgate.jar /tmp/mg-base.jar; cp target/modelgate.jar /tmp/mg-new.jar
printf 'server:\n  logRequests: false\n' > /tmp/bench-mg.yaml
for spec in "base 8190" "new 8191"; do
  read -r n port <<<"$spec"
  nohup java -Xmx256m -jar /tmp/mg-$n.jar serve --introspect --config /tmp/bench-mg.yaml \
      --db jdbc:mysql://127.0.0.1:3306/bench --db-user root --port $port > /tmp/mg-$n.log 2>&1 &
done
trap 'pkill -f mg-base.jar; pkill -f mg-new.jar' EXIT
sleep 10
run() {
  body=$(mktemp); jq -Rs '{query: .}' "$2" > "$body"
  BODY_FILE=$body wrk -t1 -c8 -d"$3"s -s /tmp/bench/wrk-graphql.lua "http://127.0.0.1:$1/graphql" | grep WRKSUMMARY \
    | sed -E 's/.*rps=([0-9.]+).*p50_ms=([0-9.]+).*gql_errors=([0-9]+).*/rps \1 p50 \2 ms errors \3/'
  rm -f "$body"
}
cd /tmp/bench
for pass in 1 2 3 4; do for f in queries/modelgate/q*.graphql; do run 8190 "$f" 5 >/dev/null; run 8191 "$f" 5 >/dev/null; done; done
for round in 1 2 3; do for f in queries/modelgate/q*.graphql; do
  q=$(basename "$f" .graphql | cut -c1-2)
  if [ $((round % 2)) -eq 1 ]; then a=$(run 8190 "$f" "$s"); b=$(run 8191 "$f" "$s"); else b=$(run 8191 "$f" "$s"); a=$(run 8190 "$f" "$s"); fi
  echo "round $round $q  $rev: $a  |  now: $b"
done; done
