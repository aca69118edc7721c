#!/usr/bin/env bash
# A MariaDB server of our own that a test may stop, crash and start again, for the
# database-outage test (test/e2e/database-outage.e2e-spec.ts).
#
#   bash scripts/private-mariadb.sh start    # start it (installs its data folder the first time)
#   bash scripts/private-mariadb.sh stop     # clean shutdown; the data stays for the next start
#   bash scripts/private-mariadb.sh kill     # SIGKILL, as in a crash; the next start recovers
#   bash scripts/private-mariadb.sh env      # print `export PRIVATE_MARIADB_URL=…` for eval
#   bash scripts/private-mariadb.sh destroy  # shut it down and remove its folder
#
# Why not the machine's server on 3306: other test runs and a developer's app use it, and
# stopping it would fail them. This one runs /usr/sbin/mariadbd on 127.0.0.1:3326 with its
# own data, socket and log under ${TMPDIR:-/tmp}/sa-private-mariadb, reads no option files
# (--no-defaults), and lets root in without a password. It runs as root (--user=root)
# because CI runs as root.
set -euo pipefail

DIR="${SA_PRIVATE_MARIADB_DIR:-${TMPDIR:-/tmp}/sa-private-mariadb}"
PORT="${SA_PRIVATE_MARIADB_PORT:-3326}"
MARIADBD=/usr/sbin/mariadbd

alive() {
  mariadb-admin --no-defaults --user=root --socket="$DIR/server.sock" --connect-timeout=2 ping \
    >/dev/null 2>&1
}

pid() { cat "$DIR/server.pid" 2>/dev/null || true; }

running() {
  local p
  p=$(pid)
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

wait_gone() { # wait_gone <pid>
  for _ in $(seq 1 120); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.25
  done
  echo "private-mariadb.sh: the server (pid $1) did not stop" >&2
  return 1
}

start() {
  if alive; then
    echo "private-mariadb.sh: already running on 127.0.0.1:$PORT"
    return 0
  fi
  if running; then
    echo "private-mariadb.sh: a server (pid $(pid)) holds $DIR but does not answer" >&2
    exit 1
  fi
  mkdir -p "$DIR"
  if [ ! -d "$DIR/data/mysql" ]; then
    rm -rf "$DIR/data"
    mariadb-install-db --no-defaults --user=root --datadir="$DIR/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      --innodb-log-file-size=16M >"$DIR/install.log" 2>&1 || {
      cat "$DIR/install.log" >&2
      exit 1
    }
  fi
  # Same character set and collation as the machine's server, so the app sees no difference.
  # setsid: the server outlives this script and the process group (a test) that ran it.
  : >"$DIR/server.err"
  setsid "$MARIADBD" --no-defaults --user=root \
    --datadir="$DIR/data" --socket="$DIR/server.sock" --pid-file="$DIR/server.pid" \
    --log-error="$DIR/server.err" --port="$PORT" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 240); do
    if alive; then
      echo "private-mariadb.sh: running on 127.0.0.1:$PORT"
      return 0
    fi
    grep -q '\[ERROR\] Aborting' "$DIR/server.err" 2>/dev/null && break
    sleep 0.25
  done
  echo "private-mariadb.sh: the server did not start; the end of $DIR/server.err:" >&2
  tail -n 20 "$DIR/server.err" >&2 || true
  exit 1
}

stop() {
  running || return 0
  local p
  p=$(pid)
  mariadb-admin --no-defaults --user=root --socket="$DIR/server.sock" shutdown >/dev/null 2>&1 ||
    kill "$p" 2>/dev/null || true
  wait_gone "$p"
  echo "private-mariadb.sh: stopped"
}

crash() {
  running || return 0
  local p
  p=$(pid)
  kill -KILL "$p"
  wait_gone "$p"
  # A killed server leaves its pid file and socket behind; the next start replaces them.
  rm -f "$DIR/server.pid"
  echo "private-mariadb.sh: killed"
}

destroy() {
  [ -d "$DIR" ] || return 0
  stop
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) crash ;;
  destroy) destroy ;;
  env) echo "export PRIVATE_MARIADB_URL=mysql://root@127.0.0.1:$PORT" ;;
  *)
    echo "usage: bash scripts/private-mariadb.sh start|stop|kill|env|destroy" >&2
    exit 2
    ;;
esac
