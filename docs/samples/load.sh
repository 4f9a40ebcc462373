#!/usr/bin/env bash
# Loads a sample database to try Modelgate on an existing schema (docs/databases.md):
#   docs/samples/load.sh chinook sqlite chinook.db              # needs the sqlite3 command
#   docs/samples/load.sh chinook mysql chinook                  # needs the mysql (or mariadb) client; creates the database
#   docs/samples/load.sh employees postgresql employees         # needs psql; creates the database
# The client's own settings apply: MYSQL_HOST/-h via MYSQL_OPTS, ~/.my.cnf; PGHOST, PGUSER, PGPORT for psql.
# The samples are Chinook 1.4.5 (MIT) and the MySQL employees sample (CC BY-SA 3.0), with their
# licenses, in src/test/resources/samples.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
samples="$here/src/test/resources/samples"

usage() {
  echo "usage: $0 chinook|employees sqlite FILE | mysql DATABASE | postgresql DATABASE" >&2
  exit 2
}
[ $# -eq 3 ] || usage
sample=$1 kind=$2 target=$3
case "$sample" in chinook|employees) ;; *) usage ;; esac

# the sample's SQL for one kind of database, on standard output
script() {
  if [ "$sample" = chinook ]; then
    zcat "$samples/chinook/$1.sql.gz"
  else
    cat "$samples/employees/schema.$1.sql" "$samples/employees/data.sql"
  fi
}

case "$kind" in
  sqlite)
    command -v sqlite3 >/dev/null || { echo "$0: the sqlite3 command is missing (Debian: apt-get install sqlite3)" >&2; exit 1; }
    [ ! -e "$target" ] || { echo "$0: $target exists already; choose a new file" >&2; exit 1; }
    script sqlite | sqlite3 -bail "$target"
    echo "loaded $sample into $target: java -jar target/modelgate.jar --introspect --db jdbc:sqlite:$target"
    ;;
  mysql|mariadb)
    client=$(command -v mysql || command -v mariadb) || { echo "$0: no mysql or mariadb client" >&2; exit 1; }
    # shellcheck disable=SC2086
    "$client" ${MYSQL_OPTS:-} -e "CREATE DATABASE \`$target\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    # shellcheck disable=SC2086
    script mysql | "$client" ${MYSQL_OPTS:-} "$target"
    echo "loaded $sample into MySQL database $target: java -jar target/modelgate.jar --introspect --db mysql://USER@HOST:3306/$target"
    ;;
  postgresql|postgres)
    command -v psql >/dev/null || { echo "$0: the psql client is missing" >&2; exit 1; }
    psql -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE \"$target\""
    script postgresql | psql -v ON_ERROR_STOP=1 -q -d "$target" >/dev/null
    echo "loaded $sample into PostgreSQL database $target: java -jar target/modelgate.jar --introspect --db postgresql://USER@HOST:5432/$target"
    ;;
  *) usage ;;
esac
