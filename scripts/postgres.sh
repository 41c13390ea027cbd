#!/usr/bin/env bash
# A throwaway PostgreSQL server for the gateway's tests (Debian's `postgresql` package, installed
# by scripts/setup.sh): `scripts/postgres.sh start` initialises a cluster in a temporary
# directory, starts it on 127.0.0.1 and prints its URL; `scripts/postgres.sh stop` stops it and
# removes the directory. The server runs as the `postgres` system user (PostgreSQL refuses root).
set -euo pipefail

DIR="${MEDCHAIN_PG_DIR:-/tmp/medchain-pg}"
PORT="${MEDCHAIN_PG_PORT:-55432}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$PGBIN" ] || { echo "postgres.sh: PostgreSQL is not installed: run scripts/setup.sh" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
    as_postgres "$PGBIN/initdb" -D "$DIR/data" -A trust -U medchain -E UTF8 >"$DIR/initdb.log"
    as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null
    echo "postgres://medchain@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then
      as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
