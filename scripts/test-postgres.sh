#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the publish tests: its own data folder under a temp
# directory, a free loopback port and a Unix socket in that directory, password (SCRAM)
# authentication for user `onegrid`, stopped and deleted at exit.
#
# TLS is on, with a certificate for 127.0.0.1 and localhost signed by a CA made here (the
# server also listens on 127.0.0.2, a loopback address its certificate does not name), and
# a copy of the cluster runs beside it with TLS off (for "the server does not offer TLS").
#
#   source scripts/test-postgres.sh     # exports the variables below; stops at shell exit
#   scripts/test-postgres.sh CMD ARGS   # runs CMD with them exported, then stops
#
#   ONEGRID_TEST_POSTGRES            postgresql://onegrid@127.0.0.1:PORT/postgres (TLS offered)
#   ONEGRID_TEST_POSTGRES_PASSWORD   its password
#   ONEGRID_TEST_POSTGRES_CA         the CA that signed the server's certificate (PEM)
#   ONEGRID_TEST_POSTGRES_OTHER_CA   a CA that signed nothing the server has
#   ONEGRID_TEST_POSTGRES_PLAIN      the same user and password on a server without TLS
#                                    (not started with TEST_POSTGRES_PLAIN=no)
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

# The certificates: a CA, the server's (CN 127.0.0.1; subjectAltName IP 127.0.0.1 and DNS
# localhost), and an unrelated CA.
_og_tls="$_og_dir/tls"
mkdir -p "$_og_tls"
_og_ca() {  # NAME SUBJECT
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "$2" -keyout "$_og_tls/$1.key" -out "$_og_tls/$1.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
{
  _og_ca ca "/CN=OneGrid test CA" && _og_ca other-ca "/CN=OneGrid unrelated CA" &&
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$_og_tls/server.key" -out "$_og_tls/server.csr" 2>/dev/null &&
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$_og_tls/server.ext" &&
  openssl x509 -req -in "$_og_tls/server.csr" -CA "$_og_tls/ca.crt" -CAkey "$_og_tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$_og_tls/server.ext" -out "$_og_tls/server.crt" 2>/dev/null
} || { echo "test-postgres: openssl could not make the test certificates" >&2; return 1 2>/dev/null || exit 1; }
chmod 600 "$_og_tls/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$_og_tls/server.key" "$_og_tls/server.crt"

_og_plain_port=
if [ "${TEST_POSTGRES_PLAIN:-yes}" != no ]; then
  # A copy of the fresh cluster (same user and password) that never offers TLS.
  "${_og_as[@]}" cp -a "$_og_dir/data" "$_og_dir/data-plain"
  _og_plain_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi

_og_stop() {
  "${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "$_og_plain_port" ] && "${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data-plain" -m immediate stop >/dev/null 2>&1
  rm -rf "$_og_dir"
}
trap _og_stop EXIT

"${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data" -l "$_og_dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1,127.0.0.2 -c port=$_og_port -c unix_socket_directories=$_og_dir -c fsync=off -c max_connections=50 -c ssl=on -c ssl_cert_file=$_og_tls/server.crt -c ssl_key_file=$_og_tls/server.key" \
  start >/dev/null || { cat "$_og_dir/server.log" >&2; return 1 2>/dev/null || exit 1; }
if [ -n "$_og_plain_port" ]; then
  "${_og_as[@]}" "$_og_bin/pg_ctl" -D "$_og_dir/data-plain" -l "$_og_dir/server-plain.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$_og_plain_port -c unix_socket_directories=$_og_dir -c fsync=off -c max_connections=20 -c ssl=off" \
    start >/dev/null || { cat "$_og_dir/server-plain.log" >&2; return 1 2>/dev/null || exit 1; }
  export ONEGRID_TEST_POSTGRES_PLAIN="postgresql://onegrid@127.0.0.1:$_og_plain_port/postgres"
fi

export ONEGRID_TEST_POSTGRES="postgresql://onegrid@127.0.0.1:$_og_port/postgres"
export ONEGRID_TEST_POSTGRES_PASSWORD="$_og_password"
export ONEGRID_TEST_POSTGRES_BIN="$_og_bin"
export ONEGRID_TEST_POSTGRES_CA="$_og_tls/ca.crt"
export ONEGRID_TEST_POSTGRES_OTHER_CA="$_og_tls/other-ca.crt"
echo "test-postgres: PostgreSQL $("$_og_bin/postgres" --version | awk '{print $3}') at $ONEGRID_TEST_POSTGRES (TLS, CA $ONEGRID_TEST_POSTGRES_CA; socket dir $_og_dir)${_og_plain_port:+, without TLS on port $_og_plain_port}" >&2

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
  "$@"
fi
