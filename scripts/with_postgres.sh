#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then remove the cluster.
#
#   scripts/with_postgres.sh .venv/bin/pytest tests/backend
#
# Creates a cluster in a temp dir (initdb), starts it on a unix socket dir plus a free
# localhost port, creates the database `waypoint`, exports
# DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:<port>/waypoint, runs the command,
# and on exit (normal, failure or signal) stops the server and deletes the directory.
# The command's exit code is this script's exit code. PostgreSQL refuses to run as root,
# so as root the server runs as the `postgres` system user; otherwise as the caller.
set -euo pipefail

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGUSER_SYSTEM="${PGUSER_SYSTEM:-postgres}"

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL server binaries not found in $PGBIN (set PGBIN)" >&2
    exit 2
fi

as_server_user() {
    # Run a server-side command as the user that owns the cluster (never root).
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null; then
            (cd "$tmp" && runuser -u "$PGUSER_SYSTEM" -- "$@")
        else
            (cd "$tmp" && su -s /bin/sh "$PGUSER_SYSTEM" -c "$(printf '%q ' "$@")")
        fi
    else
        (cd "$tmp" && "$@")
    fi
}

free_port() {
    python3 - <<'EOF'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
EOF
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/waypoint-pg.XXXXXX")"
data="$tmp/data"
sock="$tmp/sock"
started=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$started" -eq 1 ]; then
        as_server_user "$PGBIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$sock"
chmod 755 "$tmp"
if [ "$(id -u)" -eq 0 ]; then
    if ! id "$PGUSER_SYSTEM" >/dev/null 2>&1; then
        echo "running as root needs a '$PGUSER_SYSTEM' system user" >&2
        exit 2
    fi
    chown "$PGUSER_SYSTEM" "$tmp" "$sock"
fi

as_server_user "$PGBIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale \
    --no-sync >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }

port="${PGPORT_WANTED:-$(free_port)}"
# A test cluster: durability off (it is deleted on exit), room for concurrency tests.
opts="-k $sock -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
opts="$opts -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB"
as_server_user "$PGBIN/pg_ctl" -D "$data" -l "$tmp/server.log" -o "$opts" -w -t 60 start \
    >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
started=1

"$PGBIN/createdb" -h "$sock" -p "$port" -U postgres waypoint

export DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/waypoint"
export PGHOST="$sock" PGPORT="$port" PGUSER=postgres PGDATABASE=waypoint

set +e
"$@"
status=$?
set -e
exit "$status"
