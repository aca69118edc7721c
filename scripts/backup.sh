#!/usr/bin/env bash
# Backs up the database and the uploaded files into a new timestamped folder:
#   BACKUP_ROOT/sertifikasi-YYYYMMDDTHHMMSSZ/
#     database.sql.gz      MariaDB/MySQL: mariadb-dump --single-transaction (a consistent
#                          snapshot; the app keeps running)
#     database.sqlite.gz   SQLite: an online copy (sqlite3 .backup, else better-sqlite3's backup())
#     files.tar.gz         DATA_DIR/files (uploads), with files.sha256 listing each file's checksum
#     tables.tsv           rows per table ("a..b" for a table that changed during a live backup)
#     manifest.txt         what, when, from where, app version, last migration, sizes, sha256
#     SHA256SUMS           for `sha256sum -c`
#
#   scripts/backup.sh [--env-file FILE] [--to BACKUP_ROOT] [--keep-days N]
#
# DATABASE_URL and DATA_DIR come from the environment (or --env-file, e.g.
# /etc/sertifikasi-asn/env), as for the app; BACKUP_ROOT defaults to $BACKUP_DIR or ./backups.
# --keep-days N deletes this folder's backups older than N days after a successful backup.
# Prints the new backup folder on stdout. With STORAGE_DRIVER=s3 the files live in the bucket,
# whose own versioning and replication are their backup (docs/operations.md).
set -euo pipefail
umask 077
APP_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$APP_ROOT/scripts/backup-common.sh"

env_file='' to=${BACKUP_DIR:-backups} keep_days=''
while [ $# -gt 0 ]; do
  case "$1" in
    --env-file) env_file=$2; shift 2 ;;
    --to) to=$2; shift 2 ;;
    --keep-days) keep_days=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || die "cannot read $env_file"
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi
[ -z "$keep_days" ] || [[ "$keep_days" =~ ^[0-9]+$ ]] || die "--keep-days takes a number of days"

parse_database_url "${DATABASE_URL:-sqlite:data/sertifikasi.sqlite}"
data_dir=${DATA_DIR:-data}
storage=${STORAGE_DRIVER:-local}

mkdir -p "$to"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="sertifikasi-$stamp"
n=1
while [ -e "$to/$name" ] || [ -e "$to/$name.partial" ]; do n=$((n + 1)); name="sertifikasi-$stamp-$n"; done
work="$to/$name.partial"
mkdir "$work"
tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; [ -z "${work:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

manifest="$work/manifest.txt"
{
  echo "# Sertifikasi ASN backup: restore with scripts/restore.sh $name"
  echo "format=1"
  echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host=$(hostname 2>/dev/null || uname -n)"
  version=unknown
  [ ! -f "$APP_ROOT/package.json" ] || version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$APP_ROOT/package.json" | head -1)
  echo "app_version=$version"
  echo "engine=$DB_ENGINE"
} >"$manifest"

if [ "$DB_ENGINE" = mysql ]; then
  write_client_cnf "$tmp/client.cnf"
  dump=$(command -v mariadb-dump || command -v mysqldump || true)
  [ -n "$dump" ] || die "needs mariadb-dump or mysqldump (apt-get install mariadb-client)"
  extra=()
  # MySQL's mysqldump would write SET @@GLOBAL.GTID_PURGED, which a restore cannot always apply.
  if grep -q -- '--set-gtid-purged' <<<"$("$dump" --help 2>/dev/null)"; then extra+=(--set-gtid-purged=OFF); fi
  say "counting rows in $DB_NAME on $DB_HOST:$DB_PORT"
  mysql_table_counts "$tmp/client.cnf" "$DB_NAME" >"$tmp/before.tsv"
  [ -s "$tmp/before.tsv" ] || die "database $DB_NAME has no tables: nothing to back up"
  say "dumping $DB_NAME"
  "$dump" --defaults-extra-file="$tmp/client.cnf" --single-transaction --quick --routines \
    --triggers --hex-blob --no-tablespaces --default-character-set=utf8mb4 "${extra[@]}" \
    "$DB_NAME" | gzip -6 >"$work/database.sql.gz"
  mysql_table_counts "$tmp/client.cnf" "$DB_NAME" >"$tmp/after.tsv"
  # Tables that changed while the dump ran get a range: the dump's snapshot lies between.
  LC_ALL=C join -t $'\t' -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$tmp/before.tsv" "$tmp/after.tsv" |
    awk -F'\t' -v OFS='\t' '{ if ($2 == $3) print $1, $2; else if ($2 < $3) print $1, $2 ".." $3; else print $1, $3 ".." $2 }' \
      >"$work/tables.tsv"
  {
    echo "database=$DB_NAME"
    echo "server=$(mysql_q "$tmp/client.cnf" "$DB_NAME" 'SELECT VERSION()')"
    echo "last_migration=$(mysql_q "$tmp/client.cnf" "$DB_NAME" 'SELECT name FROM migrations ORDER BY id DESC LIMIT 1' 2>/dev/null || true)"
  } >>"$manifest"
else
  [ -f "$SQLITE_PATH" ] || die "no SQLite database at $SQLITE_PATH"
  say "copying $SQLITE_PATH"
  if command -v sqlite3 >/dev/null 2>&1 && [ -z "${BACKUP_NO_SQLITE3:-}" ]; then
    sqlite3 "$SQLITE_PATH" ".backup '$tmp/database.sqlite'"
  else
    (cd "$APP_ROOT" && node -e '
      const db = new (require("better-sqlite3"))(process.argv[1], { fileMustExist: true });
      db.backup(process.argv[2]).then(() => db.close(), (e) => { console.error(e.message); process.exit(1); });' \
      "$SQLITE_PATH" "$tmp/database.sqlite")
  fi
  # The copy is one snapshot: its counts are exact.
  sqlite_table_counts "$tmp/database.sqlite" >"$work/tables.tsv"
  {
    echo "database=$(basename "$SQLITE_PATH")"
    echo "last_migration=$(sqlite_q "$tmp/database.sqlite" 'SELECT name FROM migrations ORDER BY id DESC LIMIT 1' 2>/dev/null || true)"
  } >>"$manifest"
  gzip -6 -c "$tmp/database.sqlite" >"$work/database.sqlite.gz"
fi

if [ "$storage" = s3 ]; then
  echo "files=s3 bucket ${S3_BUCKET:-?} (not in this backup: the bucket's versioning and replication keep them)" >>"$manifest"
elif [ -d "$data_dir/files" ]; then
  say "archiving $data_dir/files"
  (cd "$data_dir/files" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) >"$work/files.sha256"
  tar -C "$data_dir" -czf "$work/files.tar.gz" files
  echo "files=$(wc -l <"$work/files.sha256") files from $(cd "$data_dir" && pwd)/files" >>"$manifest"
else
  echo "files=none ($data_dir/files does not exist)" >>"$manifest"
fi

while IFS=$'\t' read -r table rows; do echo "table $table rows=$rows"; done <"$work/tables.tsv" >>"$manifest"
(
  cd "$work"
  for f in database.sql.gz database.sqlite.gz files.tar.gz files.sha256 tables.tsv; do
    [ -f "$f" ] || continue
    echo "file $f size=$(wc -c <"$f") sha256=$(sha256sum "$f" | cut -d' ' -f1)" >>manifest.txt
  done
  sums=()
  for f in database.sql.gz database.sqlite.gz files.tar.gz files.sha256 tables.tsv manifest.txt; do
    [ -f "$f" ] && sums+=("$f")
  done
  sha256sum "${sums[@]}" >SHA256SUMS
)

mv "$work" "$to/$name"
work=''
say "backup written to $to/$name ($(du -sh "$to/$name" | cut -f1))"

if [ -n "$keep_days" ]; then
  find "$to" -mindepth 1 -maxdepth 1 -type d -name 'sertifikasi-*' ! -name '*.partial' ! -name "$name" \
    -mtime +"$keep_days" -print -exec rm -rf {} + | sed "s#^#$(basename "$0"): removed old backup #" >&2
fi
echo "$(cd "$to" && pwd)/$name"
