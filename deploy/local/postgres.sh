#!/usr/bin/env bash
# A real PostgreSQL server on loopback for development and tests, from Debian's packages.
# Its cluster lives under $NEWSBEAM_CACHE/pg; it never touches the system's own clusters.
#
#   deploy/local/postgres.sh start     install postgresql (once, apt), initdb (once), start, wait until
#                                      ready, create the password-protected role and database
#   deploy/local/postgres.sh stop      fast shutdown
#   deploy/local/postgres.sh status    exit 0 when the server accepts connections, 3 when not
#   deploy/local/postgres.sh dsn       print the DSN (no password: it points at a 0600 passfile)
#   deploy/local/postgres.sh psql      psql as the newsbeam role (extra arguments go to psql)
#   deploy/local/postgres.sh restart | clean (stop and delete the cluster) | logs
#
# Environment:
#   NEWSBEAM_CACHE        cache root (default ~/.cache/newsbeam)
#   NEWSBEAM_PG_DIR       cluster state: data/, run/ (socket), server.log, password, pgpass
#                         (default $NEWSBEAM_CACHE/pg)
#   NEWSBEAM_PG_PORT      TCP port on 127.0.0.1 (default 15432)
#   NEWSBEAM_PG_USER      role the pipeline and tests use (default newsbeam; may create databases)
#   NEWSBEAM_PG_DB        its database (default newsbeam)
#   NEWSBEAM_PG_PASSWORD  the role's password; default: generated once, kept in $NEWSBEAM_PG_DIR/password
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user that Debian's
# package creates, and the folders above the cluster get search permission (o+x) for it.
set -euo pipefail

CACHE="${NEWSBEAM_CACHE:-$HOME/.cache/newsbeam}"
ROOT="${NEWSBEAM_PG_DIR:-$CACHE/pg}"
PORT="${NEWSBEAM_PG_PORT:-15432}"
ROLE="${NEWSBEAM_PG_USER:-newsbeam}"
DB="${NEWSBEAM_PG_DB:-newsbeam}"
DATA="$ROOT/data"
RUN="$ROOT/run"
LOG="$ROOT/server.log"
PASSWORD_FILE="$ROOT/password"
PASSFILE="$ROOT/pgpass"
HOST=127.0.0.1

say() { echo "postgres.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then
    echo "$dir"
  elif command -v initdb >/dev/null; then
    dirname "$(command -v initdb)"
  fi
}

ensure_installed() {
  [[ -n "$(pg_bindir)" ]] && return 0
  [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql'"
  say "installing Debian's postgresql package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  [[ -n "$(pg_bindir)" ]] || die "postgresql installed but initdb not found"
}

# The server's OS user: `postgres` when we are root (the server refuses root), else ourselves.
as_server() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

grant_traversal() {
  # The postgres user must reach $ROOT; as root it is usually under /root (mode 0700).
  [[ "$(id -u)" == 0 ]] || return 0
  local path="" part
  local -a parts
  IFS=/ read -ra parts <<<"${ROOT#/}"
  for part in "${parts[@]}"; do  # top-down: a folder can only be tested once its parent is reachable
    path="$path/$part"
    [[ -d "$path" ]] || break
    if ! runuser -u postgres -- test -x "$path"; then
      say "granting search permission (o+x, no listing) on $path so the postgres user can reach $ROOT"
      chmod o+x "$path"
    fi
  done
}

password() {
  if [[ -n "${NEWSBEAM_PG_PASSWORD:-}" ]]; then
    printf '%s' "$NEWSBEAM_PG_PASSWORD"
    return
  fi
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    (umask 077 && LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 >"$PASSWORD_FILE")
  fi
  cat "$PASSWORD_FILE"
}

init_cluster() {
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  say "creating a cluster in $DATA"
  mkdir -p "$ROOT"
  grant_traversal
  rm -rf "$DATA" && mkdir -p "$DATA" "$RUN"
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$DATA" "$RUN"; fi
  chmod 700 "$DATA"
  as_server "$(pg_bindir)/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$ROOT/initdb.log" 2>&1 \
    || { cat "$ROOT/initdb.log" >&2; die "initdb failed"; }
  cat >>"$DATA/postgresql.conf" <<EOF

# --- deploy/local/postgres.sh: loopback only, sized for a laptop or CI box ---
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$RUN'
max_connections = 50
shared_buffers = 128MB
# A crash loses at most the last few commits, never consistency; commits do not wait for fsync.
synchronous_commit = off
log_min_messages = warning
EOF
}

is_running() {
  [[ -n "$(pg_bindir)" && -f "$DATA/PG_VERSION" ]] || return 1
  "$(pg_bindir)/pg_isready" -q -h "$HOST" -p "$PORT" 2>/dev/null
}

superuser_psql() {
  # Peer authentication over the cluster's own socket: no password needed for the OS owner.
  as_server "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PORT" -d postgres "$@"
}

ensure_role_and_db() {
  # The password travels through the environment (\getenv), never on a command line.
  NEWSBEAM_PG_ROLE_PASSWORD="$(password)" superuser_psql <<EOF
\getenv role_password NEWSBEAM_PG_ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE "$ROLE" WITH LOGIN CREATEDB PASSWORD :'role_password';
SELECT format('CREATE DATABASE %I OWNER %I', '$DB', '$ROLE')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB') \gexec
EOF
  (umask 077 && printf '%s:%s:*:%s:%s\nlocalhost:%s:*:%s:%s\n' \
    "$HOST" "$PORT" "$ROLE" "$(password | sed 's/[\\:]/\\&/g')" \
    "$PORT" "$ROLE" "$(password | sed 's/[\\:]/\\&/g')" >"$PASSFILE")
}

dsn() { echo "postgresql://$ROLE@$HOST:$PORT/$DB?passfile=$PASSFILE"; }

start() {
  if is_running; then
    say "already running on $HOST:$PORT"
  else
    ensure_installed
    init_cluster
    mkdir -p "$RUN"
    if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$RUN"; touch "$LOG"; chown postgres "$LOG"; fi
    say "starting PostgreSQL on $HOST:$PORT (log: $LOG)"
    as_server "$(pg_bindir)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null \
      || { tail -n 20 "$LOG" >&2; die "the server did not start"; }
  fi
  ensure_role_and_db
  say "ready: $(dsn)"
}

stop() {
  if [[ -f "$DATA/postmaster.pid" ]]; then
    as_server "$(pg_bindir)/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    say "stopped"
  else
    say "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status)
    if is_running; then echo "running on $HOST:$PORT"; else echo "not running"; exit 3; fi ;;
  dsn) dsn ;;
  psql) shift; exec "$(pg_bindir)/psql" "$(dsn)" "$@" ;;
  clean) stop; rm -rf "$DATA" "$RUN" "$PASSFILE" "$LOG"; say "removed the cluster in $DATA" ;;
  logs) cat "$LOG" ;;
  *) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
