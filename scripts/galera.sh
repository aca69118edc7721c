#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on this one machine, for the Galera suite
# (test/e2e/galera/) and the cluster benchmark (issue 29).
#
#   bash scripts/galera.sh start           # bootstrap node 1, join 2 and 3; wait for 3 Synced nodes
#   bash scripts/galera.sh stop            # clean shutdown of every node; the data stays
#   bash scripts/galera.sh kill N          # SIGKILL node N (1-3), as in a crash
#   bash scripts/galera.sh start-node N    # start node N again: it rejoins (IST); waits until it answers
#   bash scripts/galera.sh wait-synced N   # wait until node N is Synced in a primary component
#   bash scripts/galera.sh isolate N on|off  # cut node N off the cluster (waits until it is
#                                            # non-primary) or let it back (waits until Synced)
#   bash scripts/galera.sh status          # one line per node: state, cluster size, ready
#   bash scripts/galera.sh env             # print `export GALERA_URLS=…` for eval
#   bash scripts/galera.sh destroy         # shut every node down and remove the folder
#
# Why its own servers: Galera replaces a server's replication with the wsrep provider
# (/usr/lib/galera/libgalera_smm.so, Debian's galera-4), which only a server started with
# wsrep options has; the machine's server on 3306 serves other test runs. So this script
# starts three throwaway servers from the same /usr/sbin/mariadbd: node N answers clients on
# 127.0.0.1:331N and talks to the other nodes (group communication) on 127.0.0.1:456(6+N);
# a node catching up receives the missing write sets (IST) on 127.0.0.1:457(N-1) and, when it
# has no usable state, a whole copy of a donor's data folder (SST, by rsync) on
# 127.0.0.1:458(N-1). All read no option files (--no-defaults), keep their data, sockets and
# logs under one folder (${TMPDIR:-/tmp}/sa-galera), listen on 127.0.0.1 only, and let root in
# without a password. They run as root (--user=root) because CI runs as root.
#
# Galera's rules the options below follow: row-based binary log format, InnoDB only,
# interleaved auto-increment locking (innodb_autoinc_lock_mode=2). Node 1 bootstraps a new
# cluster (--wsrep-new-cluster); 2 and 3 join it with SST. After `stop` (nodes 3, 2, then 1,
# so node 1 is the last and may bootstrap) `start` brings the same cluster back; when no node
# may bootstrap (all crashed), `start` begins a new, empty cluster: it is throwaway.
set -euo pipefail

DIR="${SA_GALERA_DIR:-${TMPDIR:-/tmp}/sa-galera}"
MARIADBD=/usr/sbin/mariadbd
PROVIDER=/usr/lib/galera/libgalera_smm.so
NODES=(1 2 3)
CLUSTER_ADDRESS="gcomm://127.0.0.1:4567,127.0.0.1:4568,127.0.0.1:4569"
# Extra provider options for every node (e.g. "evs.suspect_timeout=PT2S"), appended last.
EXTRA_PROVIDER_OPTIONS="${SA_GALERA_PROVIDER_OPTIONS:-}"

client_port() { echo $((3310 + $1)); }
gcomm_port() { echo $((4566 + $1)); }
ist_port() { echo $((4569 + $1)); }
sst_port() { echo $((4579 + $1)); }

node_dir() { echo "$DIR/node$1"; }
sock() { echo "$DIR/node$1.sock"; }

check_node() { # check_node <N>
  case "${1:-}" in
    1 | 2 | 3) ;;
    *)
      echo "galera.sh: the node is 1, 2 or 3 (got '${1:-}')" >&2
      exit 2
      ;;
  esac
}

sql() { # sql <N> <statement…>
  local n=$1
  shift
  mariadb --no-defaults --user=root --socket="$(sock "$n")" --connect-timeout=2 --batch \
    --skip-column-names -e "$*"
}

alive() { # alive <N>
  mariadb-admin --no-defaults --user=root --socket="$(sock "$1")" --connect-timeout=2 ping \
    >/dev/null 2>&1
}

status_var() { # status_var <N> <wsrep status variable>
  sql "$1" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$2'" \
    2>/dev/null || true
}

synced() { # synced <N>: Synced, ready, in a primary component of 3
  [ "$(status_var "$1" WSREP_LOCAL_STATE_COMMENT)" = Synced ] &&
    [ "$(status_var "$1" WSREP_READY)" = ON ] &&
    [ "$(status_var "$1" WSREP_CLUSTER_STATUS)" = Primary ] &&
    [ "$(status_var "$1" WSREP_CLUSTER_SIZE)" = "${#NODES[@]}" ]
}

pid() { cat "$DIR/node$1.pid" 2>/dev/null || true; }

running() { # running <N>
  local p
  p=$(pid "$1")
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

wait_gone() { # wait_gone <N> <pid>
  for _ in $(seq 1 240); do
    kill -0 "$2" 2>/dev/null || return 0
    sleep 0.25
  done
  echo "galera.sh: node $1 (pid $2) did not stop" >&2
  return 1
}

require_galera() {
  if [ ! -f "$PROVIDER" ]; then
    echo "galera.sh: $PROVIDER is missing: install Debian's galera-4 (apt-get install galera-4)" >&2
    exit 1
  fi
  if ! command -v rsync >/dev/null 2>&1; then
    echo "galera.sh: rsync is missing (the joining nodes copy their data with it): apt-get install rsync" >&2
    exit 1
  fi
}

# SST is Debian's rsync method (wsrep_sst_rsync), with one change. Its joiner runs
# `rsync --daemon`, and an rsync daemon started by root switches to the user nobody, who may
# not write into a data folder of root's: the transfer fails ("Permission denied"). So the
# servers use the method "rsync_root": the script wsrep_sst_rsync_root below runs
# wsrep_sst_rsync with the rsync wrapper beside it first on PATH, which keeps the daemon
# root, like the server. (mariadbd puts its own bin folder before PATH when it runs an SST
# script, so a wrapper on PATH alone would not be found before /usr/bin/rsync; the method's
# script is, as /usr/bin has none of that name.)
sst_scripts() {
  mkdir -p "$DIR/bin"
  cat >"$DIR/bin/rsync" <<'WRAPPER'
#!/bin/sh
for arg in "$@"; do
  if [ "$arg" = --daemon ]; then
    exec /usr/bin/rsync --dparam=uid=root --dparam=gid=root "$@"
  fi
done
exec /usr/bin/rsync "$@"
WRAPPER
  cat >"$DIR/bin/wsrep_sst_rsync_root" <<WRAPPER
#!/bin/sh
PATH="$DIR/bin:\$PATH" exec /usr/bin/wsrep_sst_rsync "\$@"
WRAPPER
  chmod +x "$DIR/bin/rsync" "$DIR/bin/wsrep_sst_rsync_root"
}

server_options() { # server_options <N>: the mariadbd options of node N, one a line
  local n=$1
  local provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=64M;gcache.page_size=32M"
  [ -n "$EXTRA_PROVIDER_OPTIONS" ] && provider_options="$provider_options;$EXTRA_PROVIDER_OPTIONS"
  # Same character set and collation as the machine's server, so the app sees no difference.
  printf '%s\n' --no-defaults --user=root \
    "--datadir=$(node_dir "$n")" "--socket=$(sock "$n")" "--pid-file=$DIR/node$n.pid" \
    "--port=$(client_port "$n")" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON "--wsrep-provider=$PROVIDER" --wsrep-cluster-name=sa-galera \
    "--wsrep-cluster-address=$CLUSTER_ADDRESS" "--wsrep-node-name=node$n" \
    "--wsrep-node-address=127.0.0.1:$(gcomm_port "$n")" \
    "--wsrep-node-incoming-address=127.0.0.1:$(client_port "$n")" \
    --wsrep-sst-method=rsync_root "--wsrep-sst-receive-address=127.0.0.1:$(sst_port "$n")" \
    "--wsrep-provider-options=$provider_options" --wsrep-slave-threads=2
}

spawn() { # spawn <N> [extra mariadbd options…]: start node N in the background
  local n=$1
  shift
  sst_scripts
  local options
  mapfile -t options < <(server_options "$n")
  : >"$DIR/node$n.err"
  # setsid: the servers outlive this script and the process group (a test) that ran it.
  PATH="$DIR/bin:$PATH" setsid "$MARIADBD" "${options[@]}" --log-error="$DIR/node$n.err" "$@" \
    </dev/null >/dev/null 2>&1 &
  echo $! >"$DIR/node$n.spawned"
}

wait_alive() { # wait_alive <N>: until node N answers (a joiner answers after its SST)
  local n=$1 server
  server=$(cat "$DIR/node$n.spawned")
  for _ in $(seq 1 480); do
    alive "$n" && return 0
    # A failed state transfer ends the server.
    kill -0 "$server" 2>/dev/null || break
    grep -q '\[ERROR\] Aborting' "$DIR/node$n.err" 2>/dev/null && break
    sleep 0.25
  done
  echo "galera.sh: node $n did not start; the end of $DIR/node$n.err:" >&2
  tail -n 30 "$DIR/node$n.err" >&2 || true
  exit 1
}

launch() { # launch <N> [extra mariadbd options…]: start node N and wait until it answers
  spawn "$@"
  wait_alive "$1"
}

# A node that crashed has no position in grastate.dat (seqno -1): started so, it would ask for
# a whole copy (SST). Its last committed position is in InnoDB: `mariadbd --wsrep-recover`
# reads it (as the packaged galera_recovery does), and the node then asks only for the write
# sets it missed (IST) while the donor's gcache still holds them.
recovered_position() { # recovered_position <N>: uuid:seqno, or nothing
  local n=$1 options
  grep -q '^seqno: *-1' "$(node_dir "$n")/grastate.dat" 2>/dev/null || return 0
  mapfile -t options < <(server_options "$n")
  "$MARIADBD" "${options[@]}" --log-error="$DIR/node$n.recover.err" --wsrep-recover \
    </dev/null >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *//p' "$DIR/node$n.recover.err" | tail -n 1
}

wait_synced() { # wait_synced <N>
  for _ in $(seq 1 480); do
    synced "$1" && return 0
    sleep 0.25
  done
  echo "galera.sh: node $1 is not Synced in a cluster of ${#NODES[@]}: $(node_status "$1")" >&2
  tail -n 20 "$DIR/node$1.err" >&2 || true
  exit 1
}

node_status() { # node_status <N>
  if ! alive "$1"; then
    echo "node $1 (127.0.0.1:$(client_port "$1")): down"
    return 0
  fi
  echo "node $1 (127.0.0.1:$(client_port "$1")): $(status_var "$1" WSREP_LOCAL_STATE_COMMENT)," \
    "cluster $(status_var "$1" WSREP_CLUSTER_STATUS) of $(status_var "$1" WSREP_CLUSTER_SIZE)," \
    "ready $(status_var "$1" WSREP_READY)"
}

install_data() {
  rm -rf "$DIR"
  mkdir -p "$DIR"
  mariadb-install-db --no-defaults --user=root --datadir="$(node_dir 1)" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    --innodb-log-file-size=16M >"$DIR/install.log" 2>&1 || {
    cat "$DIR/install.log" >&2
    exit 1
  }
  # A new cluster gets its identity when node 1 bootstraps it; shut down cleanly, node 1's
  # grastate.dat holds it with the last position. Nodes 2 and 3 start from copies of that
  # folder, so they join at the same position with nothing to transfer: no SST at start.
  launch 1 --wsrep-new-cluster
  shutdown_node 1
  local n
  for n in 2 3; do
    cp -a "$(node_dir 1)" "$(node_dir "$n")"
    rm -f "$(node_dir "$n")/galera.cache"
    sed -i 's/^safe_to_bootstrap: *1/safe_to_bootstrap: 0/' "$(node_dir "$n")/grastate.dat"
  done
}

bootstrap_node() { # the node whose grastate.dat says it may bootstrap, or nothing
  local n
  for n in "${NODES[@]}"; do
    if grep -q '^safe_to_bootstrap: *1' "$(node_dir "$n")/grastate.dat" 2>/dev/null; then
      echo "$n"
      return 0
    fi
  done
}

start() {
  require_galera
  local all=1 n
  for n in "${NODES[@]}"; do synced "$n" || all=0; done
  if [ "$all" = 1 ]; then
    echo "galera.sh: already running (127.0.0.1:3311, :3312, :3313), 3 nodes Synced"
    return 0
  fi
  # Whatever is left of an earlier, broken start goes down first.
  stop_all >/dev/null
  local first
  first=$(bootstrap_node)
  if [ -z "$first" ]; then
    install_data
    first=1
  fi
  launch "$first" --wsrep-new-cluster
  local position
  for n in "${NODES[@]}"; do
    [ "$n" = "$first" ] && continue
    position=$(recovered_position "$n")
    spawn "$n" ${position:+--wsrep-start-position="$position"}
  done
  for n in "${NODES[@]}"; do wait_alive "$n"; done
  for n in "${NODES[@]}"; do wait_synced "$n"; done
  echo "galera.sh: 3 nodes Synced on 127.0.0.1:3311, :3312, :3313"
}

shutdown_node() { # shutdown_node <N>
  running "$1" || return 0
  local p
  p=$(pid "$1")
  mariadb-admin --no-defaults --user=root --socket="$(sock "$1")" shutdown >/dev/null 2>&1 ||
    kill "$p" 2>/dev/null || true
  wait_gone "$1" "$p"
}

stop_all() {
  [ -d "$DIR" ] || return 0
  # Node 1 last: the last node to leave may bootstrap the cluster again (safe_to_bootstrap).
  shutdown_node 3
  shutdown_node 2
  shutdown_node 1
  echo "galera.sh: stopped"
}

crash() { # crash <N>
  check_node "$1"
  running "$1" || {
    echo "galera.sh: node $1 is not running"
    return 0
  }
  local p
  p=$(pid "$1")
  kill -KILL "$p"
  wait_gone "$1" "$p"
  # A killed server leaves its pid file and socket behind; the next start replaces them.
  rm -f "$DIR/node$1.pid"
  echo "galera.sh: node $1 killed"
}

start_node() { # start_node <N>: rejoin a running cluster (IST when the gap is still in gcache)
  check_node "$1"
  require_galera
  if alive "$1"; then
    echo "galera.sh: node $1 already running"
    return 0
  fi
  local position
  position=$(recovered_position "$1")
  launch "$1" ${position:+--wsrep-start-position="$position"}
  echo "galera.sh: node $1 answers on 127.0.0.1:$(client_port "$1") ($(status_var "$1" WSREP_LOCAL_STATE_COMMENT))"
}

isolate() { # isolate <N> on|off
  check_node "$1"
  local value
  case "${2:-}" in
    on) value=1 ;;
    off) value=0 ;;
    *)
      echo "usage: bash scripts/galera.sh isolate N on|off" >&2
      exit 2
      ;;
  esac
  # gmcast.isolate=1 drops the node's group links: it forms a non-primary component of its
  # own (wsrep_ready=OFF), and the two others go on as the primary. 0 lets it reconnect.
  sql "$1" "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=$value'"
  if [ "$value" = 0 ]; then
    wait_synced "$1"
    echo "galera.sh: node $1 back in the cluster, Synced"
    return 0
  fi
  # The others notice the lost links after a few seconds (evs timeouts).
  for _ in $(seq 1 240); do
    if [ "$(status_var "$1" WSREP_READY)" = OFF ]; then
      echo "galera.sh: node $1 isolated ($(status_var "$1" WSREP_CLUSTER_STATUS), wsrep_ready OFF)"
      return 0
    fi
    sleep 0.25
  done
  echo "galera.sh: node $1 is still ready after 60 s: $(node_status "$1")" >&2
  exit 1
}

destroy() {
  [ -d "$DIR" ] || return 0
  stop_all
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop_all ;;
  kill) crash "${2:-}" ;;
  start-node) start_node "${2:-}" ;;
  wait-synced)
    check_node "${2:-}"
    wait_synced "$2"
    echo "galera.sh: node $2 Synced"
    ;;
  isolate) isolate "${2:-}" "${3:-}" ;;
  status) for n in "${NODES[@]}"; do node_status "$n"; done ;;
  env) echo "export GALERA_URLS=mysql://root@127.0.0.1:3311,mysql://root@127.0.0.1:3312,mysql://root@127.0.0.1:3313" ;;
  destroy) destroy ;;
  *)
    echo "usage: bash scripts/galera.sh start|stop|kill N|start-node N|wait-synced N|isolate N on|off|status|env|destroy" >&2
    exit 2
    ;;
esac
