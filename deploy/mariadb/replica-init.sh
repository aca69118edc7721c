#!/bin/bash
# docker-compose example, MariaDB read replica: runs once, when the replica's data volume is
# first created. The image has created the same (empty) database and app user here; this
# points the replica at the primary from the primary's current GTID position, so it receives
# everything written from now on: the compose file starts the migrations only once this
# replica is healthy, so the schema and every row arrive through replication.
#
# A replica added later to a primary that already holds data must start from a copy instead:
# restore a backup (scripts/restore.sh) taken with `mariadb-dump --gtid --master-data=2`, set
# gtid_slave_pos to the GTID position it records, then CHANGE MASTER as below.
set -euo pipefail
: "${MARIADB_PRIMARY_HOST:?}" "${MARIADB_REPLICATION_USER:?}" "${MARIADB_REPLICATION_PASSWORD:?}"
primary_port=${MARIADB_PRIMARY_PORT:-3306}

pos=
for _ in $(seq 1 60); do
  if pos=$(mariadb --host="$MARIADB_PRIMARY_HOST" --port="$primary_port" \
    --user="$MARIADB_REPLICATION_USER" --password="$MARIADB_REPLICATION_PASSWORD" \
    --batch --skip-column-names -e 'SELECT @@GLOBAL.gtid_binlog_pos' 2>/dev/null); then
    break
  fi
  echo "replica-init: waiting for $MARIADB_PRIMARY_HOST"
  pos=__none__
  sleep 2
done
[ "$pos" != __none__ ] || { echo "replica-init: the primary never answered" >&2; exit 1; }

mariadb --user=root --password="$MARIADB_ROOT_PASSWORD" <<SQL
SET GLOBAL gtid_slave_pos = '${pos}';
CHANGE MASTER TO
  MASTER_HOST = '${MARIADB_PRIMARY_HOST}',
  MASTER_PORT = ${primary_port},
  MASTER_USER = '${MARIADB_REPLICATION_USER}',
  MASTER_PASSWORD = '${MARIADB_REPLICATION_PASSWORD}',
  MASTER_USE_GTID = slave_pos,
  MASTER_CONNECT_RETRY = 10;
START SLAVE;
SQL
echo "replica-init: replicating from ${MARIADB_PRIMARY_HOST} at GTID '${pos}'"
