#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the publish tests: its own data folder under a temp
# directory, a free loopback port and a Unix socket in that directory, password (SCRAM)
# authentication for user `onegrid`, stopped and deleted at exit.
#
#   source scripts/test-postgres.sh     # exports ONEGRID_TEST_POSTGRES(_PASSWORD); stops at shell exit
#   scripts/test-postgres.sh CMD ARGS   # runs CMD with them exported, then stops
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user.
set -euo pipefail

_og_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$_og_bin" ] && command -v initdb >/dev/null; then _og_bin=$(dirname "$(command -v initdb)"); fi
if [ -z "$_og_bin" ] || [ ! -x "$_og_bin/initdb" ]; then
  echo "test-postgres: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  return 1 2>/dev/null || exit 1
fi

_og_dir=$(mktemp -d /tmp/onegrid-pg.XXXXXX)
_og_as=()
if [ "$(id -u)" = 0 ]; then
  _og_as=(runuser -u postgres --)
  chown postgres "$_og_dir"
fi
_og_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
_og_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$_og_password" > "$_og_dir/pw"
[ "$(id -u)" = 0 ] && chown postgres "$_og_dir/pw"

"${_og_as[@]}" "$_og_bin/initdb" -D "$_og_dir/data" -U onegrid --pwfile="$_og_dir/pw" \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$_og_dir/initdb.log" 2>&1 \
  || { cat "$_og_dir/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
rm -f "$_og_dir/pw"
"${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data" -l "$_og_dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$_og_port -c unix_socket_directories=$_og_dir -c fsync=off -c max_connections=50" \
  start >/dev/null || { cat "$_og_dir/server.log" >&2; return 1 2>/dev/null || exit 1; }

_og_stop() {
  "${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$_og_dir"
}
trap _og_stop EXIT

export ONEGRID_TEST_POSTGRES="postgresql://onegrid@127.0.0.1:$_og_port/postgres"
export ONEGRID_TEST_POSTGRES_PASSWORD="$_og_password"
export ONEGRID_TEST_POSTGRES_BIN="$_og_bin"
echo "test-postgres: PostgreSQL $("$_og_bin/postgres" --version | awk '{print $3}') at $ONEGRID_TEST_POSTGRES (socket dir $_og_dir)" >&2

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  "$@"
fi
