#!/usr/bin/env bash
# A MariaDB primary and a read replica of it, on this one machine, for the read-replica
# test (test/e2e/replica.e2e-spec.ts).
#
#   bash scripts/replica.sh start   # start the pair (does nothing if it is already running)
#   bash scripts/replica.sh env     # print `export REPLICA_PRIMARY_URL=… REPLICA_URL=…` for eval
#   bash scripts/replica.sh stop    # shut both down and remove their folder
#
# Why its own pair and not the machine's server on 3306: that server runs with log_bin off,
# and binary logging can only be switched on by restarting it with new options, which would
# pull the database out from under everything else using it (other test runs, a developer's
# app). So this script starts two throwaway servers from the same /usr/sbin/mariadbd: a
# primary on 127.0.0.1:3316 (binary log, server-id 1, row format) and a replica on
# 127.0.0.1:3317 (server-id 2, read_only), following the primary with MariaDB's own GTID
# replication. Both read no option files (--no-defaults), keep their data, sockets and logs
# under one folder (${TMPDIR:-/tmp}/sa-replica), listen on 127.0.0.1 only, and let root in
# without a password. They run as root (--user=root) because CI runs as root; the data
# directory of the replica is a copy of the freshly installed primary's, so the replica
# starts identical and replays the primary's binary log from its first event.
set -euo pipefail

DIR="${SA_REPLICA_DIR:-${TMPDIR:-/tmp}/sa-replica}"
PRIMARY_PORT="${SA_REPLICA_PRIMARY_PORT:-3316}"
REPLICA_PORT="${SA_REPLICA_PORT:-3317}"
MARIADBD=/usr/sbin/mariadbd
# Replication account, created on the primary only (not binary-logged); never leaves the folder.
REPL_USER=repl
REPL_PASSWORD=repl-local-only

sql() { # sql <primary|replica> <statement…>
  local node=$1
  shift
  mariadb --no-defaults --user=root --socket="$DIR/$node.sock" --batch --skip-column-names -e "$*"
}

alive() { # alive <primary|replica>
  mariadb-admin --no-defaults --user=root --socket="$DIR/$1.sock" --connect-timeout=2 ping \
    >/dev/null 2>&1
}

replicating() {
  local status
  status=$(mariadb --no-defaults --user=root --socket="$DIR/replica.sock" \
    -e 'SHOW SLAVE STATUS\G' 2>/dev/null) || return 1
  grep -q 'Slave_IO_Running: Yes' <<<"$status" && grep -q 'Slave_SQL_Running: Yes' <<<"$status"
}

launch() { # launch <primary|replica> <port> <extra mariadbd options…>
  local node=$1 port=$2
  shift 2
  # Same character set and collation as the machine's server, so the e2e suite sees no difference.
  # setsid: the servers outlive this script and the process group that ran it.
  setsid "$MARIADBD" --no-defaults --user=root \
    --datadir="$DIR/$node" --socket="$DIR/$node.sock" --pid-file="$DIR/$node.pid" \
    --log-error="$DIR/$node.err" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=16M "$@" \
    </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 120); do
    alive "$node" && return 0
    grep -q '\[ERROR\] Aborting' "$DIR/$node.err" 2>/dev/null && break
    sleep 0.5
  done
  echo "replica.sh: the $node server did not start; the end of $DIR/$node.err:" >&2
  tail -n 20 "$DIR/$node.err" >&2 || true
  exit 1
}

shutdown_node() { # shutdown_node <primary|replica>
  local pid
  [ -f "$DIR/$1.pid" ] || return 0
  pid=$(cat "$DIR/$1.pid")
  if kill -0 "$pid" 2>/dev/null; then
    mariadb-admin --no-defaults --user=root --socket="$DIR/$1.sock" shutdown >/dev/null 2>&1 ||
      kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.5
    done
    echo "replica.sh: the $1 server (pid $pid) did not stop" >&2
    return 1
  fi
}

stop() {
  [ -d "$DIR" ] || return 0
  shutdown_node replica
  shutdown_node primary
  rm -rf "$DIR"
}

start() {
  if alive primary && alive replica && replicating; then
    echo "replica.sh: already running (primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT)"
    return 0
  fi
  # Whatever is left of an earlier, broken start goes: the pair is throwaway.
  stop
  mkdir -p "$DIR"
  mariadb-install-db --no-defaults --user=root --datadir="$DIR/primary" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --innodb-log-file-size=16M >"$DIR/install.log" 2>&1 || {
    cat "$DIR/install.log" >&2
    exit 1
  }
  cp -a "$DIR/primary" "$DIR/replica"

  launch primary "$PRIMARY_PORT" --server-id=1 --log-bin=primary-bin --binlog-format=ROW
  sql primary "SET sql_log_bin = 0;
    CREATE USER '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
    GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';"

  launch replica "$REPLICA_PORT" --server-id=2 --read-only=1 --relay-log=replica-relay \
    --skip-slave-start
  # The primary's binary log is still empty: start from its beginning (an empty GTID position).
  sql replica "SET GLOBAL gtid_slave_pos = '';
    CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT,
      MASTER_USER = '$REPL_USER', MASTER_PASSWORD = '$REPL_PASSWORD',
      MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;
    START SLAVE;"
  for _ in $(seq 1 60); do
    if replicating; then
      echo "replica.sh: primary 127.0.0.1:$PRIMARY_PORT, replica 127.0.0.1:$REPLICA_PORT, replicating"
      return 0
    fi
    sleep 0.5
  done
  echo "replica.sh: replication did not start:" >&2
  mariadb --no-defaults --user=root --socket="$DIR/replica.sock" -e 'SHOW SLAVE STATUS\G' >&2 || true
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    echo "export REPLICA_PRIMARY_URL=mysql://root@127.0.0.1:$PRIMARY_PORT"
    echo "export REPLICA_URL=mysql://root@127.0.0.1:$REPLICA_PORT"
    ;;
  *)
    echo "usage: bash scripts/replica.sh start|stop|env" >&2
    exit 2
    ;;
esac
