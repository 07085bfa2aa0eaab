#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server on 127.0.0.1 in a temporary directory.
#   eval "$(scripts/pg_temp.sh start)"   prints MEDIATION_TEST_PG_URL=… and PG_TEMP_DIR=…
#   scripts/pg_temp.sh stop DIR
#
# Options of start:
#   --production   settings of a real server instead of the test ones: durable writes
#                  (fsync, synchronous_commit, full_page_writes on: PostgreSQL's defaults),
#                  shared_buffers a quarter of the memory, effective_cache_size three
#                  quarters, maintenance_work_mem 1 GB, max_wal_size 8 GB (bulk loads do not
#                  checkpoint every few seconds). For benchmarks (tests/benchmarks).
#   --dir DIR      keep the cluster in DIR: created (initdb) if DIR holds none, else the
#                  existing cluster is started again with its databases (a benchmark's
#                  million cases are built once). Stop it with `stop DIR --keep`.
# Options of stop:
#   --keep         stop the server but keep DIR (default: DIR is removed).
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

memory_mb() {
  awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo
}

case "${1:-}" in
  start)
    shift
    production=0
    dir=""
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --production) production=1 ;;
        --dir) dir=${2:?--dir needs a directory}; shift ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
      esac
      shift
    done
    if [[ -z "$dir" ]]; then
      dir=$(mktemp -d /tmp/mediation-pg.XXXXXX)
    else
      mkdir -p "$dir"
      dir=$(cd "$dir" && pwd)
    fi
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    fresh=0
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
      fresh=1
    fi
    if [[ $production -eq 1 ]]; then
      mem=$(memory_mb)
      settings="-c shared_buffers=$((mem / 4))MB -c effective_cache_size=$((mem * 3 / 4))MB"
      settings+=" -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
      settings+=" -c maintenance_work_mem=1GB -c max_wal_size=8GB -c checkpoint_timeout=15min"
    else
      settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings" \
      start >/dev/null
    if [[ $fresh -eq 1 ]]; then
      as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres mediation_test
    fi
    echo "export PG_TEMP_DIR=$dir"
    echo "export MEDIATION_TEST_PG_URL=postgresql://postgres@127.0.0.1:$port/mediation_test"
    ;;
  stop)
    dir=${2:?usage: pg_temp.sh stop DIR [--keep]}
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    if [[ "${3:-}" != "--keep" ]]; then
      rm -rf "$dir"
    fi
    ;;
  *)
    echo "usage: $0 start [--production] [--dir DIR] | stop DIR [--keep]" >&2
    exit 2
    ;;
esac
