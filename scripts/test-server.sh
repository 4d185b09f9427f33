#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server tests, on 127.0.0.1 at a private port, in a
# temp folder. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
# (installing the Debian `postgresql` package first when its binaries are missing).
#   eval "$(scripts/test-server.sh start)"   # exports BIAOZHU_TEST_PG_URL and BIAOZHU_TEST_PG_DIR
#   scripts/test-server.sh stop              # stops it and removes the folder
set -euo pipefail
case "${1:-}" in
start)
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "installing postgresql" >&2
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >&2
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir=$(mktemp -d /tmp/biaozhu-pg.XXXXXX)
  port=$((20000 + RANDOM % 20000))
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >&2
  echo "export BIAOZHU_TEST_PG_DIR=$dir BIAOZHU_TEST_PG_BIN=$pgbin"
  echo "export BIAOZHU_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  dir=${BIAOZHU_TEST_PG_DIR:?start it first}
  pgbin=${BIAOZHU_TEST_PG_BIN:?start it first}
  as_pg=()
  [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
