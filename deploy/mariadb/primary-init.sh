#!/bin/bash
# docker-compose example, MariaDB primary: runs once, when the data volume is first created
# (mounted into /docker-entrypoint-initdb.d). The image has already created the database and
# the app's user from MARIADB_DATABASE, MARIADB_USER and MARIADB_PASSWORD; this adds the user
# the replica connects with.
set -euo pipefail
: "${MARIADB_REPLICATION_USER:?}" "${MARIADB_REPLICATION_PASSWORD:?}"
mariadb --user=root --password="$MARIADB_ROOT_PASSWORD" <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS '${MARIADB_REPLICATION_USER}'@'%' IDENTIFIED BY '${MARIADB_REPLICATION_PASSWORD}';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${MARIADB_REPLICATION_USER}'@'%';
SQL
echo "primary-init: replication user ${MARIADB_REPLICATION_USER} ready"
