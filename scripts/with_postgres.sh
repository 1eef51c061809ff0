#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: `scripts/with_postgres.sh CMD ARGS...`
#
# Creates a fresh cluster in a temporary folder (initdb, trust authentication on 127.0.0.1
# only, a free port), exports SCHILDWACHT_TEST_POSTGRES with its URL, runs the command, then
# stops the server and removes the folder, whatever the command's outcome. PostgreSQL refuses
# to run as root, so as root the cluster belongs to the `postgres` user Debian's package makes.
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql; .ci/run does).
set -euo pipefail

bindir=""
if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    bindir=$(pg_config --bindir)
else
    for candidate in /usr/lib/postgresql/*/bin; do
        [[ -x "$candidate/initdb" ]] && bindir=$candidate
    done
fi
if [[ -z $bindir ]]; then
    echo "with_postgres: PostgreSQL server binaries (initdb, pg_ctl) not found;" \
        "install the postgresql package (.ci/run does)" >&2
    exit 2
fi

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo "with_postgres: no 'postgres' user to run the server" >&2; exit 2; }
    as_owner=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/schildwacht-pg.XXXXXX)
chmod 755 "$dir"
[[ ${#as_owner[@]} -gt 0 ]] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
# fsync off: a test server's data may be lost on a crash; it is thrown away anyway
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null

export SCHILDWACHT_TEST_POSTGRES="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "with_postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port" >&2
"$@"
