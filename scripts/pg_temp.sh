#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server on 127.0.0.1 in a temporary directory.
#   eval "$(scripts/pg_temp.sh start)"   prints MEDIATION_TEST_PG_URL=… and PG_TEMP_DIR=…
#   scripts/pg_temp.sh stop DIR
# initdb refuses to run as root, so as root the server runs as the 'postgres' user.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$bindir" ]]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 3
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/mediation-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres mediation_test
    echo "export PG_TEMP_DIR=$dir"
    echo "export MEDIATION_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/mediation_test"
    ;;
  stop)
    dir=${2:?usage: pg_temp.sh stop DIR}
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
