#!/usr/bin/env bash
# Restores a backup folder made by scripts/backup.sh: the database into DATABASE_URL and the
# uploaded files into DATA_DIR/files, then checks every table's row count against the backup's
# manifest and every file against its checksum. Stop the app first.
#
#   scripts/restore.sh [--env-file FILE] [--database-url URL] [--data-dir DIR]
#                      [--force] [--no-files] [--no-database] BACKUP_FOLDER
#
# DATABASE_URL and DATA_DIR come from the environment (or --env-file) unless given here. A
# MariaDB/MySQL database that does not exist is created. The target must be empty: a database
# with tables, an existing SQLite file or a non-empty files folder is refused unless --force,
# which drops the database's tables first (and moves an existing SQLite file or files folder
# aside to *.before-restore-<time>). A backup restores into the engine it was taken from.
set -euo pipefail
umask 027
APP_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$APP_ROOT/scripts/backup-common.sh"

env_file='' url='' data_dir='' force='' files=1 database=1 backup=''
while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) env_file=$2; shift 2 ;;
    --database-url) url=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --force) force=1; shift ;;
    --no-files) files=; shift ;;
    --no-database) database=; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$backup" ] || die "one backup folder at a time"; backup=$1; shift ;;
  esac
done
[ -n "$backup" ] || die "which backup folder? (see --help)"
[ -f "$backup/manifest.txt" ] && [ -f "$backup/SHA256SUMS" ] || die "$backup is not a backup folder (no manifest.txt or SHA256SUMS)"
backup=$(cd "$backup" && pwd)
if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || die "cannot read $env_file"
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
url=${url:-${DATABASE_URL:-sqlite:data/sertifikasi.sqlite}}
data_dir=${data_dir:-${DATA_DIR:-data}}
manifest_value() { sed -n "s/^$1=//p" "$backup/manifest.txt" | head -1; }

say "checking the backup's checksums"
(cd "$backup" && sha256sum --quiet -c SHA256SUMS >&2) || die "$backup is damaged: checksums differ"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y%m%dT%H%M%SZ)

# --- Everything is checked before anything is changed. -----------------------------------
if [ -n "$database" ]; then
  parse_database_url "$url"
  engine=$(manifest_value engine)
  [ "$engine" = "$DB_ENGINE" ] || die "the backup is of a $engine database; DATABASE_URL is $DB_ENGINE"
  if [ "$DB_ENGINE" = mysql ]; then
    write_client_cnf "$tmp/client.cnf"
    exists=$(mysql_q "$tmp/client.cnf" "" "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '$DB_NAME'")
    tables=0
    [ "$exists" = 0 ] || tables=$(mysql_q "$tmp/client.cnf" "" "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '$DB_NAME'")
    if [ "$tables" != 0 ] && [ -z "$force" ]; then
      die "database $DB_NAME on $DB_HOST:$DB_PORT is not empty ($tables tables); restore into an empty one, or --force to replace its contents"
    fi
  elif [ -e "$SQLITE_PATH" ] && [ -z "$force" ]; then
    die "$SQLITE_PATH exists; restore to a new path, or --force to replace it (the old file is kept aside)"
  fi
fi
if [ -n "$files" ] && [ -f "$backup/files.tar.gz" ]; then
  if [ -d "$data_dir/files" ] && [ -n "$(ls -A "$data_dir/files")" ] && [ -z "$force" ]; then
    die "$data_dir/files is not empty; restore into an empty DATA_DIR, or --force (the old folder is kept aside)"
  fi
fi

# --- Database -----------------------------------------------------------------------------
if [ -n "$database" ]; then
  if [ "$DB_ENGINE" = mysql ]; then
    if [ "$exists" = 0 ]; then
      say "creating database $DB_NAME"
      mysql_q "$tmp/client.cnf" "" "CREATE DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    elif [ "$tables" != 0 ]; then
      say "--force: dropping the $tables tables and views of $DB_NAME"
      drop='' views=''
      while IFS=$'\t' read -r name type; do
        if [ "$type" = VIEW ]; then views+="${views:+, }\`$name\`"; else drop+="${drop:+, }\`$name\`"; fi
      done < <(mysql_q "$tmp/client.cnf" "$DB_NAME" "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE()")
      mysql_q "$tmp/client.cnf" "$DB_NAME" "SET FOREIGN_KEY_CHECKS = 0; ${views:+DROP VIEW IF EXISTS $views;} ${drop:+DROP TABLE IF EXISTS $drop;}"
    fi
    say "loading database.sql.gz into $DB_NAME on $DB_HOST:$DB_PORT"
    gunzip -c "$backup/database.sql.gz" | "$(mysql_client)" --defaults-extra-file="$tmp/client.cnf" --database="$DB_NAME"
    mysql_table_counts "$tmp/client.cnf" "$DB_NAME" >"$tmp/restored.tsv"
  else
    mkdir -p "$(dirname "$SQLITE_PATH")"
    gunzip -c "$backup/database.sqlite.gz" >"$tmp/database.sqlite"
    if [ -e "$SQLITE_PATH" ]; then
      say "--force: keeping the old database as $SQLITE_PATH.before-restore-$stamp"
      mv "$SQLITE_PATH" "$SQLITE_PATH.before-restore-$stamp"
    fi
    rm -f "$SQLITE_PATH-wal" "$SQLITE_PATH-shm"
    mv "$tmp/database.sqlite" "$SQLITE_PATH"
    say "restored $SQLITE_PATH"
    sqlite_table_counts "$SQLITE_PATH" >"$tmp/restored.tsv"
  fi
  say "comparing row counts with the backup's manifest"
  compare_counts "$backup/tables.tsv" "$tmp/restored.tsv" || die "row counts differ from the backup (see above)"
  say "$(wc -l <"$tmp/restored.tsv") tables, row counts as in the backup"
fi

# --- Files --------------------------------------------------------------------------------
if [ -n "$files" ]; then
  if [ -f "$backup/files.tar.gz" ]; then
    mkdir -p "$data_dir"
    if [ -d "$data_dir/files" ] && [ -n "$(ls -A "$data_dir/files")" ]; then
      say "--force: keeping the old files as $data_dir/files.before-restore-$stamp"
      mv "$data_dir/files" "$data_dir/files.before-restore-$stamp"
    fi
    rm -rf "$data_dir/files"
    tar -C "$data_dir" --no-same-owner -xzf "$backup/files.tar.gz"
    # Owned like DATA_DIR (the app's user) when run as root.
    [ "$(id -u)" != 0 ] || chown -R --reference="$data_dir" "$data_dir/files"
    if [ -s "$backup/files.sha256" ]; then
      (cd "$data_dir/files" && sha256sum --quiet -c "$backup/files.sha256" >&2) || die "restored files differ from the backup's checksums"
    fi
    say "restored $(wc -l <"$backup/files.sha256") files into $data_dir/files, checksums as in the backup"
  else
    say "no files in this backup: $(manifest_value files)"
  fi
fi
say "restore of $(basename "$backup") done"
