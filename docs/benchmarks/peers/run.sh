#!/usr/bin/env bash
# Modelgate against its peers (../../../../shared/bench), as measured in peers.md.
# Run from the checkout's root after `mvn -B -DskipTests package`. Takes about 15 minutes.
#   1. copies the shared peer benchmark to /tmp/bench and loads the dataset into MariaDB and PostgreSQL
#   2. starts Spring for GraphQL + JdbcTemplate (8081), PostGraphile 4 (5000) and 5 (5001),
#      and Modelgate on MariaDB (8090) and PostgreSQL (8091), each gateway at -Xmx256m with the
#      request log off (the peers keep none: PostGraphile runs with --disable-query-log)
#   3. warms every server up (two passes of each query), then runs one interleaved round per database
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../../.." && pwd)"
shared="${SHARED_BENCH:-$root/../shared/bench}"
command -v wrk >/dev/null || apt-get install -y wrk
rm -rf /tmp/bench && cp -r "$shared" /tmp/bench
(cd /tmp/bench && ./setup-db.sh)
(cd /tmp/bench/peers/spring-graphql-jdbc && ./start.sh)
(cd /tmp/bench && ./start-postgraphile.sh && PGL_MAJOR=5 ./start-postgraphile.sh)
printf 'server:\n  logRequests: false\n' > /tmp/bench-mg.yaml
for spec in "jdbc:mysql://127.0.0.1:3306/bench root 8090" "jdbc:postgresql://127.0.0.1:5432/bench postgres 8091"; do
  read -r url user port <<<"$spec"
  nohup java -Xmx256m -jar "$root/target/modelgate.jar" serve --introspect --config /tmp/bench-mg.yaml \
      --db "$url" --db-user "$user" --port "$port" > "/tmp/modelgate-$port.log" 2>&1 &
  echo $! > "/tmp/modelgate-$port.pid"
done
sleep 10
"$here/warm.sh" http://127.0.0.1:8081/graphql queries/spring-graphql
"$here/warm.sh" http://127.0.0.1:8090/graphql queries/modelgate
"$here/warm.sh" http://127.0.0.1:8091/graphql queries/modelgate
"$here/warm.sh" http://127.0.0.1:5000/graphql queries/postgraphile
"$here/warm.sh" http://127.0.0.1:5001/graphql queries/postgraphile
(cd /tmp/bench/peers && ./run-mariadb-round.sh \
    spring-jdbc=http://127.0.0.1:8081/graphql=queries/spring-graphql=$(cat /tmp/peer-spring-graphql-jdbc.pid) \
    modelgate=http://127.0.0.1:8090/graphql=queries/modelgate=$(cat /tmp/modelgate-8090.pid))
"$here/pg-round.sh" modelgate=http://127.0.0.1:8091/graphql=queries/modelgate=$(cat /tmp/modelgate-8091.pid) \
    postgraphile-v4=http://127.0.0.1:5000/graphql=queries/postgraphile=$(cat /tmp/pgl/postgraphile-v4.pid) \
    postgraphile-v5=http://127.0.0.1:5001/graphql=queries/postgraphile=$(cat /tmp/pgl/postgraphile-v5.pid)
