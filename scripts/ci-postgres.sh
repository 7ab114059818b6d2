#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests.
#
#   eval "$(scripts/ci-postgres.sh start)"     # sets EVENTLINE_TEST_POSTGRES_URL and _DIR
#   .venv/bin/pytest tests/store -q
#   scripts/ci-postgres.sh stop                 # or: scripts/ci-postgres.sh stop DIR
#
# `start` installs PostgreSQL from Debian packages when it is missing and we are root,
# creates a cluster in a new temporary folder, starts it on 127.0.0.1 at a free port and
# prints the export lines. `stop` stops that server and deletes its folder.
set -euo pipefail

log() { echo "ci-postgres: $*" >&2; }

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
        fi
    done | sort -V | tail -n 1
}

ensure_installed() {
    if [[ -n "$(find_bindir)" ]]; then
        return
    fi
    if [[ "$(id -u)" -ne 0 ]]; then
        log "PostgreSQL is not installed and we are not root; install the 'postgresql' package."
        exit 1
    fi
    log "installing PostgreSQL from Debian packages"
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
}

# initdb refuses to run as root: run the server as the 'postgres' system user then
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

start() {
    ensure_installed
    local bindir dir port user
    bindir="$(find_bindir)"
    dir="$(mktemp -d -t eventline-pg.XXXXXX)"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$dir"
        user=postgres
    else
        user="$(id -un)"
    fi
    chmod 700 "$dir"
    port="$(free_port)"
    as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 >&2
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >&2
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$user" eventline_test
    log "server running from $dir (pid $(head -n 1 "$dir/data/postmaster.pid"))"
    echo "export EVENTLINE_TEST_POSTGRES_URL=postgresql://$user@127.0.0.1:$port/eventline_test"
    echo "export EVENTLINE_TEST_POSTGRES_DIR=$dir"
}

stop() {
    local dir="${1:-${EVENTLINE_TEST_POSTGRES_DIR:-}}"
    if [[ -z "$dir" || ! -f "$dir/data/PG_VERSION" ]]; then
        log "no throwaway cluster given; pass the folder 'start' printed as EVENTLINE_TEST_POSTGRES_DIR"
        exit 1
    fi
    local bindir
    bindir="$(find_bindir)"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    fi
    rm -rf "$dir"
    log "stopped and removed $dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
        echo "usage: $0 start | stop [DIR]" >&2
        exit 2
        ;;
esac
