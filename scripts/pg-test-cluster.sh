#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: trust auth, loopback only, fsync off, in a fresh temp folder.
#   scripts/pg-test-cluster.sh            start one; prints its URL, then its folder, one per line
#   scripts/pg-test-cluster.sh stop DIR   stop it and delete the folder
#   scripts/pg-test-cluster.sh restart DIR   restart it (fast shutdown: every connection is cut), same port
# Works as a normal user and as root (the server then runs as the `postgres` user, via runuser).
# Exit 3 when the PostgreSQL server is not installed (run scripts/install-deps.sh).
set -euo pipefail

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { bindir=$d; break; }
done
if [[ -z "$bindir" ]] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  bindir=$(dirname "$(command -v initdb)")
fi
if [[ -z "$bindir" ]]; then
  echo "pg-test-cluster: the PostgreSQL server (initdb, pg_ctl) is not installed; run scripts/install-deps.sh" >&2
  exit 3
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ "${1:-}" == "stop" ]]; then
  dir=${2:?usage: pg-test-cluster.sh stop DIR}
  [[ -d "$dir/data" ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

if [[ "${1:-}" == "restart" ]]; then
  dir=${2:?usage: pg-test-cluster.sh restart DIR}
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 30 restart >/dev/null
  exit 0
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/actlab-pg.XXXXXX")
chmod 755 "$dir"
[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
# A free port: bind port 0 and read what the kernel chose (races are unlikely and retried below).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 30000))
}
as_owner "$bindir/initdb" -D "$dir/data" --auth=trust -U actlab -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2; echo "pg-test-cluster: initdb failed" >&2; exit 1; }
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U actlab actlab 2>/dev/null ||
      as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U actlab actlab
    echo "postgresql://actlab@127.0.0.1:$port/actlab"
    echo "$dir"
    exit 0
  fi
done
cat "$dir/server.log" >&2 || true
echo "pg-test-cluster: the server did not start" >&2
exit 1
