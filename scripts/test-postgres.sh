#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests (README: "Database").
#
#   eval "$(scripts/test-postgres.sh start)"   # initdb into a temp folder, start, export PHONEAGENT_TEST_POSTGRES
#   scripts/test-postgres.sh env               # print the export line again
#   scripts/test-postgres.sh stop              # stop the cluster and delete its folder
#
# The cluster listens on a Unix socket inside its own folder and on a free TCP port of 127.0.0.1, trusts local
# connections (it holds nothing but test databases), and runs as the postgres user when started by root. The state
# folder is $PHONEAGENT_PG_DIR (default /tmp/phoneagent-test-pg-$UID). Progress goes to stderr; stdout carries only
# the export line, so `eval` works.
set -euo pipefail

dir="${PHONEAGENT_PG_DIR:-/tmp/phoneagent-test-pg-$(id -u)}"
data="$dir/data"

find_bin() {
  local name="$1" candidate
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/$name" ]; then echo "$PG_BIN/$name"; return; fi
  # Debian keeps the server binaries out of PATH, one folder per major version: take the newest.
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
    if [ -x "$candidate/$name" ]; then echo "$candidate/$name"; return; fi
  done
  command -v "$name" 2>/dev/null && return
  echo "test-postgres: $name not found (install the 'postgresql' package, or set PG_BIN)" >&2
  exit 1
}

# Run a command as the cluster's owner: postgres when we are root (initdb refuses root), else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  # Without python: probe upwards from a random port until nothing answers.
  local port=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

print_env() {
  local port
  port="$(cat "$dir/port")"
  # Npgsql: Host may be the socket folder; TCP is listed too for tools that want it (psql -h 127.0.0.1 -p PORT).
  echo "export PHONEAGENT_TEST_POSTGRES='Host=$dir;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50'"
  echo "export PHONEAGENT_TEST_POSTGRES_TCP='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
}

start() {
  if [ -f "$data/postmaster.pid" ] && as_owner "$(find_bin pg_ctl)" -D "$data" status >/dev/null 2>&1; then
    echo "test-postgres: already running in $dir" >&2
    print_env
    return
  fi

  rm -rf "$dir"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  local port
  port="$(free_port)"
  echo "$port" > "$dir/port"

  echo "test-postgres: initdb in $data" >&2
  as_owner "$(find_bin initdb)" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$(find_bin initdb)" -D "$data" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }

  # Test settings: no durability needed, enough connections for the concurrency tests of parallel classes.
  as_owner "$(find_bin pg_ctl)" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }

  local tries=0
  until "$(find_bin pg_isready)" -q -h "$dir" -p "$port" -U postgres; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then echo "test-postgres: not ready after 30 s" >&2; cat "$dir/server.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "test-postgres: ready on port $port and socket $dir" >&2
  print_env
}

stop() {
  if [ -d "$data" ]; then
    as_owner "$(find_bin pg_ctl)" -D "$data" -m immediate -w stop >&2 2>/dev/null || true
  fi
  rm -rf "$dir"
  echo "test-postgres: stopped and removed $dir" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) [ -f "$dir/port" ] || { echo "test-postgres: not running ($dir)" >&2; exit 1; }; print_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
