#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
#   scripts/pg-test-server.sh start    # initdb + start on 127.0.0.1:$LOTSE_PG_PORT (default 54329)
#   scripts/pg-test-server.sh url      # print DATABASE_URL, e.g. postgres://lotse:lotse@127.0.0.1:54329/lotse
#   scripts/pg-test-server.sh status   # exit 0 if running
#   scripts/pg-test-server.sh stop     # stop the server and delete its data directory
#
# The data directory is a fresh temporary directory (mktemp under /tmp) owned by the server's
# user; var/pg-test/ in the repo only holds the state (data dir path, port). As root, initdb and
# postgres run as the `postgres` system user (PostgreSQL refuses to run as root); otherwise as
# the current user. Role `lotse` (password `lotse`, CREATEDB so pytest-django can create
# test_lotse) owns database `lotse`. The server is tuned for speed (fsync off): test data only.
# If the port is taken, the next free one (up to +20) is used; `url` prints the real one.
set -euo pipefail

cd "$(dirname "$0")/.."
STATE_DIR="$PWD/var/pg-test"
PORT="${LOTSE_PG_PORT:-54329}"
DB_USER=lotse
DB_PASSWORD=lotse
DB_NAME=lotse

log() { printf 'pg-test-server: %s\n' "$*" >&2; }

pg_bin() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
        # Non-Debian layouts: fall back to PATH.
        if command -v pg_ctl >/dev/null 2>&1; then bin="$(dirname "$(command -v pg_ctl)")"
        else log "no PostgreSQL server binaries found (apt-get install postgresql)"; return 1; fi
    fi
    printf '%s\n' "$bin"
}

# Run a command as the server's user, from a directory that user can read.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd /tmp && runuser -u postgres -- "$@")
        else
            local cmd; printf -v cmd '%q ' "$@"
            (cd /tmp && su postgres -s /bin/sh -c "$cmd")
        fi
    else
        (cd /tmp && "$@")
    fi
}

read_state() {
    DATA_DIR=""; STATE_PORT=""
    if [ -f "$STATE_DIR/datadir" ]; then DATA_DIR="$(cat "$STATE_DIR/datadir")"; fi
    if [ -f "$STATE_DIR/port" ]; then STATE_PORT="$(cat "$STATE_DIR/port")"; fi
}

port_in_use() {
    # bash's /dev/tcp: succeeds if something listens on 127.0.0.1:$1.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_running() {
    read_state
    [ -n "$DATA_DIR" ] && [ -d "$DATA_DIR" ] || return 1
    local bin; bin="$(pg_bin)"
    as_pg "$bin/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

cmd_start() {
    if is_running; then
        log "already running on port $STATE_PORT (data dir $DATA_DIR)"
        return 0
    fi
    cmd_stop >/dev/null 2>&1 || true   # clear stale state from an earlier crashed run

    local bin; bin="$(pg_bin)"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        log "running as root but there is no 'postgres' system user to run the server as"
        return 1
    fi

    local port="$PORT" tries=0
    while port_in_use "$port"; do
        tries=$((tries + 1))
        [ "$tries" -le 20 ] || { log "no free port in $PORT..$((PORT + 20))"; return 1; }
        port=$((port + 1))
    done

    mkdir -p "$STATE_DIR"
    local data_dir; data_dir="$(mktemp -d "${TMPDIR:-/tmp}/lotse-pg-test.XXXXXX")"
    chmod 700 "$data_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data_dir"; fi
    printf '%s\n' "$data_dir" >"$STATE_DIR/datadir"
    printf '%s\n' "$port" >"$STATE_DIR/port"

    log "initdb in $data_dir ($bin)"
    as_pg "$bin/initdb" -D "$data_dir" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; return 1; }

    as_pg sh -c "cat >> '$data_dir/postgresql.conf'" <<CONF

# --- lotse test server ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data_dir'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF

    log "starting on 127.0.0.1:$port"
    if ! as_pg "$bin/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w -t 60 start >/dev/null; then
        cat "$data_dir/server.log" >&2 || true
        return 1
    fi

    as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$data_dir" -p "$port" -U postgres -d postgres <<SQL
CREATE ROLE $DB_USER LOGIN CREATEDB SUPERUSER PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL
    log "ready: $(cmd_url)"
}

cmd_url() {
    read_state
    printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$DB_PASSWORD" "${STATE_PORT:-$PORT}" "$DB_NAME"
}

cmd_stop() {
    read_state
    if [ -n "$DATA_DIR" ] && [ -d "$DATA_DIR" ]; then
        local bin; bin="$(pg_bin)"
        if as_pg "$bin/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
            log "stopping (data dir $DATA_DIR)"
            as_pg "$bin/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >/dev/null \
                || as_pg "$bin/pg_ctl" -D "$DATA_DIR" -m immediate -w stop >/dev/null || true
        fi
        case "$DATA_DIR" in
            */lotse-pg-test.*) rm -rf -- "$DATA_DIR" ;;   # only ever delete what we created
        esac
    fi
    rm -rf -- "$STATE_DIR"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    status) if is_running; then echo "running on port $STATE_PORT"; else echo "not running"; exit 1; fi ;;
    *) echo "usage: $0 {start|stop|url|status}" >&2; exit 2 ;;
esac
