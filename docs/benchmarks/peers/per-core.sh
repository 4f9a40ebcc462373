#!/usr/bin/env bash
# per-core.sh [seconds] : one gateway pinned to one core (taskset -c 0, the JVM told it has one processor),
# MariaDB and wrk on the other, the peer benchmark's four queries (../../../../shared/bench), warmed:
# what one core of gateway serves, for sizing replicas (docs/scale-out.md). Run from the checkout's root.
set -euo pipefail
s=${1:-10}
root="$(pwd)"; shared="${SHARED_BENCH:-$root/../shared/bench}"
command -v wrk >/dev/null || apt-get install -y wrk
rm -rf /tmp/bench && cp -r "$shared" /tmp/bench && (cd /tmp/bench && ./setup-db.sh mysql)
mvn -B -q package -DskipTests
cp target/modelgate.jar /tmp/mg-core.jar
printf 'server:\n  logRequests: false\n' > /tmp/bench-mg.yaml
db=$(pgrep -o mariadbd); before=$(taskset -pc "$db" | sed 's/.*: //')
taskset -apc 1 "$db" >/dev/null
nohup taskset -c 0 java -XX:ActiveProcessorCount=1 -Xmx256m -jar /tmp/mg-core.jar serve --introspect --config /tmp/bench-mg.yaml \
    --db jdbc:mysql://127.0.0.1:3306/bench --db-user root --port 8192 > /tmp/mg-core.log 2>&1 &
trap 'pkill -f mg-core.jar; taskset -apc "$before" "$db" >/dev/null' EXIT
sleep 10
run() {
  body=$(mktemp); jq -Rs '{query: .}' "$2" > "$body"
  BODY_FILE=$body taskset -c 1 wrk -t1 -c8 -d"$3"s -s /tmp/bench/wrk-graphql.lua "http://127.0.0.1:$1/graphql" | grep WRKSUMMARY \
    | sed -E 's/.*rps=([0-9.]+).*p50_ms=([0-9.]+).*gql_errors=([0-9]+).*/rps \1 p50 \2 ms errors \3/'
  rm -f "$body"
}
cd /tmp/bench
for pass in 1 2 3 4; do for f in queries/modelgate/q*.graphql; do run 8192 "$f" 5 >/dev/null; done; done
for f in queries/modelgate/q*.graphql; do
  echo "$(basename "$f" .graphql | cut -c1-2) one gateway core: $(run 8192 "$f" "$s")"
done
