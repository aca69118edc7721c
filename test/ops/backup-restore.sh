#!/usr/bin/env bash
# Round trip of scripts/backup.sh and scripts/restore.sh, as CI runs it:
#  MariaDB: a fresh database filled by the built app (migrations + demo data) and a few
#  uploaded files are backed up, restored into another fresh database and DATA_DIR, and
#  compared: every table's exact row count and CHECKSUM TABLE, and every file's sha256.
#  Then: a restore into a non-empty database is refused, a damaged backup is refused, and the
#  app boots on the restored database and signs in the demo admin.
#  SQLite: the same round trip through better-sqlite3's backup() (no sqlite3 shell needed).
# Needs the server at TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306). Exits non-zero on
# any difference; drops its databases and files on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP_ROOT=$PWD
. scripts/backup-common.sh
npm run build >/dev/null

server=${TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306}
server=${server%/}
src="sa_backup_src_$$"
dst="sa_backup_dst_$$"
work=$(mktemp -d)
pid=''
parse_database_url "$server/$src"
write_client_cnf "$work/root.cnf"
sql() { "$(mysql_client)" --defaults-extra-file="$work/root.cnf" --batch --skip-column-names "$@"; }

cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  sql -e "DROP DATABASE IF EXISTS \`$src\`; DROP DATABASE IF EXISTS \`$dst\`" || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); echo "  ok  $*"; }
fail() { echo "  FAILED  $*" >&2; [ ! -f "$work/app.log" ] || tail -30 "$work/app.log" >&2; exit 1; }

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# boot URL DATA_DIR [ENV...]: starts the built app and waits for its readiness.
boot() {
  local url=$1 dir=$2
  shift 2
  env NODE_ENV=development PORT="$port" DATABASE_URL="$url" DATA_DIR="$dir" LOG_LEVEL=warn "$@" \
    node dist/src/main.js >"$work/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"status":"ok"' && return 0
    kill -0 "$pid" 2>/dev/null || fail "the app stopped while booting on $url"
    sleep 0.5
  done
  fail "the app did not become ready on $url"
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# Exact counts and checksums of every table, computed here independently of the scripts.
table_facts() {
  local db=$1 t
  for t in $(sql -e "SELECT table_name FROM information_schema.tables WHERE table_schema='$db' AND table_type='BASE TABLE' ORDER BY table_name"); do
    printf '%s\t%s\t%s\n' "$t" "$(sql -e "SELECT COUNT(*) FROM \`$db\`.\`$t\`")" \
      "$(sql -e "CHECKSUM TABLE \`$db\`.\`$t\`" | cut -f2)"
  done
}
file_sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum); }

put_files() {
  mkdir -p "$1/files/evidence/2026" "$1/files/materials"
  head -c 200000 /dev/urandom >"$1/files/evidence/2026/bukti sertifikat.pdf"
  printf '%%PDF-1.4 test\n' >"$1/files/evidence/a.pdf"
  head -c 3000 /dev/urandom >"$1/files/materials/slides.pptx"
  : >"$1/files/materials/empty.txt"
}

echo "backup-restore: MariaDB ($src -> $dst)"
sql -e "CREATE DATABASE \`$src\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
boot "$server/$src" "$work/src-data" DEMO_DATA=true
stop
put_files "$work/src-data"
[ "$(sql -e "SELECT COUNT(*) FROM \`$src\`.users")" -ge 5 ] || fail "no demo data in $src"

backup=$(DATABASE_URL="$server/$src" DATA_DIR="$work/src-data" bash scripts/backup.sh --to "$work/backups")
[ -f "$backup/database.sql.gz" ] && [ -f "$backup/files.tar.gz" ] || fail "backup folder incomplete: $(ls "$backup")"
grep -q '^table users rows=' "$backup/manifest.txt" || fail "manifest has no row counts"
grep -q '^last_migration=.' "$backup/manifest.txt" || fail "manifest has no last migration"
ok "backup written ($(du -sh "$backup" | cut -f1))"

DATABASE_URL="$server/$dst" DATA_DIR="$work/dst-data" bash scripts/restore.sh "$backup"
table_facts "$src" >"$work/src.tsv"
table_facts "$dst" >"$work/dst.tsv"
[ "$(wc -l <"$work/src.tsv")" -ge 20 ] || fail "expected the app's tables in $src, found $(wc -l <"$work/src.tsv")"
diff -u "$work/src.tsv" "$work/dst.tsv" >&2 || fail "tables differ between $src and $dst (table, rows, checksum)"
ok "$(wc -l <"$work/src.tsv") tables: same row counts and CHECKSUM TABLE, $(awk -F'\t' '{ s += $2 } END { print s }' "$work/src.tsv") rows"
diff -u <(file_sums "$work/src-data/files") <(file_sums "$work/dst-data/files") >&2 || fail "restored files differ"
ok "$(file_sums "$work/src-data/files" | wc -l) files: same sha256"

if DATABASE_URL="$server/$dst" DATA_DIR="$work/other" bash scripts/restore.sh "$backup" 2>"$work/refused.log"; then
  fail "restore into the non-empty $dst was not refused"
fi
grep -q 'not empty' "$work/refused.log" || fail "refusal without a reason: $(cat "$work/refused.log")"
if DATABASE_URL="$server/$dst" DATA_DIR="$work/dst-data" bash scripts/restore.sh --no-database "$backup" 2>"$work/refused.log"; then
  fail "restore into a non-empty files folder was not refused"
fi
ok "a non-empty target is refused without --force"

cp -R "$backup" "$work/damaged"
printf 'x' >>"$work/damaged/files.tar.gz"
if DATABASE_URL="$server/$dst" bash scripts/restore.sh --force --no-files "$work/damaged" >"$work/refused.log" 2>&1; then
  fail "a damaged backup was restored"
fi
grep -q 'damaged' "$work/refused.log" || fail "damaged backup refused without a reason: $(cat "$work/refused.log")"
ok "a damaged backup is refused"

# --force replaces the contents: change rows, add a table, restore again, compare again.
sql -e "DELETE FROM \`$dst\`.audit_log; CREATE TABLE \`$dst\`.leftover (id INT PRIMARY KEY)"
DATABASE_URL="$server/$dst" DATA_DIR="$work/dst-data" bash scripts/restore.sh --force "$backup" 2>"$work/force.log" || { cat "$work/force.log" >&2; fail "restore --force"; }
table_facts "$dst" >"$work/dst.tsv"
diff -u "$work/src.tsv" "$work/dst.tsv" >&2 || fail "tables differ after restore --force"
[ -n "$(ls -d "$work"/dst-data/files.before-restore-* 2>/dev/null)" ] || fail "--force did not keep the old files aside"
ok "restore --force over an existing copy gives the same tables again"

boot "$server/$dst" "$work/dst-data" DEMO_DATA=false
curl -fsS -X POST -H 'content-type: application/json' \
  --data '{"username":"admin@demo.sertifikasi.id","password":"Demo-Sertifikasi-2026"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | grep -q '"accessToken"' || fail "demo admin cannot sign in on the restored database"
stop
ok "the app boots on the restored database and the demo admin signs in"

echo "backup-restore: SQLite"
boot "sqlite:$work/lite-src/app.sqlite" "$work/lite-src" DEMO_DATA=true
stop
put_files "$work/lite-src"
lite_backup=$(BACKUP_NO_SQLITE3=1 DATABASE_URL="sqlite:$work/lite-src/app.sqlite" DATA_DIR="$work/lite-src" bash scripts/backup.sh --to "$work/backups")
BACKUP_NO_SQLITE3=1 DATABASE_URL="sqlite:$work/lite-dst/app.sqlite" DATA_DIR="$work/lite-dst" bash scripts/restore.sh "$lite_backup"
diff -u <(BACKUP_NO_SQLITE3=1 sqlite_table_counts "$work/lite-src/app.sqlite") \
  <(BACKUP_NO_SQLITE3=1 sqlite_table_counts "$work/lite-dst/app.sqlite") >&2 || fail "SQLite tables differ"
diff -u <(file_sums "$work/lite-src/files") <(file_sums "$work/lite-dst/files") >&2 || fail "SQLite: restored files differ"
ok "SQLite: $(wc -l <"$lite_backup/tables.tsv") tables with the same row counts, files with the same sha256"
if BACKUP_NO_SQLITE3=1 DATABASE_URL="sqlite:$work/lite-dst/app.sqlite" bash scripts/restore.sh --no-files "$lite_backup" 2>/dev/null; then
  fail "restore over an existing SQLite file was not refused"
fi
ok "SQLite: an existing database file is refused without --force"

echo "backup-restore: $passed passed, 0 failed"
