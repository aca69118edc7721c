# shellcheck shell=bash
# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
# Reads DATABASE_URL the way the app does: sqlite:<path> (relative to the current folder) or
# mysql://user:pass@host:port/database (mariadb:// too; user and password URL-encoded).

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*" >&2; }

# URL-decodes %XX escapes.
urldecode() { local s=${1//\\/\\\\}; printf '%b' "${s//%/\\x}"; }

# Sets DB_ENGINE (mysql|sqlite) and DB_USER DB_PASS DB_HOST DB_PORT DB_NAME, or SQLITE_PATH.
parse_database_url() {
  local url=$1 rest userinfo hostport
  DB_USER='' DB_PASS='' DB_HOST='' DB_PORT='' DB_NAME='' SQLITE_PATH=''
  case "$url" in
    sqlite:*)
      DB_ENGINE=sqlite
      SQLITE_PATH=${url#sqlite:}
      [ -n "$SQLITE_PATH" ] && [ "$SQLITE_PATH" != ":memory:" ] || die "DATABASE_URL names no SQLite file"
      case "$SQLITE_PATH" in /*) ;; *) SQLITE_PATH="$PWD/$SQLITE_PATH" ;; esac
      ;;
    mysql://* | mariadb://*)
      DB_ENGINE=mysql
      rest=${url#*://}
      rest=${rest%%\?*}
      if [[ "$rest" == *@* ]]; then
        userinfo=${rest%@*} # up to the last @
        rest=${rest##*@}
        DB_USER=$(urldecode "${userinfo%%:*}")
        [[ "$userinfo" == *:* ]] && DB_PASS=$(urldecode "${userinfo#*:}")
      fi
      hostport=${rest%%/*}
      DB_NAME=$(urldecode "${rest#*/}")
      [[ "$rest" == */* ]] && [ -n "$DB_NAME" ] || die "DATABASE_URL names no database (mysql://user:pass@host:port/database)"
      [[ "$DB_NAME" =~ ^[A-Za-z0-9_$-]{1,64}$ ]] || die "DATABASE_URL: unusual database name '$DB_NAME'"
      if [[ "$hostport" == \[*\]* ]]; then # [IPv6]:port
        DB_HOST=${hostport%%]*}; DB_HOST=${DB_HOST#[}
        DB_PORT=${hostport##*]}; DB_PORT=${DB_PORT#:}
      else
        DB_HOST=${hostport%%:*}
        [[ "$hostport" == *:* ]] && DB_PORT=${hostport##*:}
      fi
      DB_PORT=${DB_PORT:-3306}
      [ -n "$DB_HOST" ] || die "DATABASE_URL names no host"
      ;;
    *) die "DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/database" ;;
  esac
}

# A client option file, so that the password never shows in the process list.
write_client_cnf() {
  local file=$1
  q() { local v=${1//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; }
  {
    echo "[client]"
    echo "host=$(q "$DB_HOST")"
    echo "port=$DB_PORT"
    echo "protocol=tcp" # like the app (mysql2), also for localhost
    [ -n "$DB_USER" ] && echo "user=$(q "$DB_USER")"
    [ -n "$DB_PASS" ] && echo "password=$(q "$DB_PASS")"
    echo "default-character-set=utf8mb4"
  } >"$file"
  chmod 600 "$file"
}

mysql_client() { command -v mariadb >/dev/null 2>&1 && echo mariadb || echo mysql; }

# mysql_q CNF [DATABASE] SQL: tab-separated rows, no header.
mysql_q() {
  local cnf=$1 db=$2 sql=$3
  "$(mysql_client)" --defaults-extra-file="$cnf" --batch --skip-column-names ${db:+--database="$db"} -e "$sql"
}

# "table<TAB>rows" for every base table of the database, counted in one statement (one
# consistent snapshot on InnoDB), sorted by name.
mysql_table_counts() {
  local cnf=$1 db=$2 tables sql='' t
  tables=$(mysql_q "$cnf" "$db" "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name")
  [ -n "$tables" ] || return 0
  while IFS= read -r t; do
    sql+="${sql:+ UNION ALL }SELECT '$t', COUNT(*) FROM \`$t\`"
  done <<<"$tables"
  mysql_q "$cnf" "$db" "$sql" | LC_ALL=C sort
}

# sqlite_q FILE SQL: rows as "a<TAB>b"; the sqlite3 shell if installed, else the app's better-sqlite3.
sqlite_q() {
  local file=$1 sql=$2
  if command -v sqlite3 >/dev/null 2>&1 && [ -z "${BACKUP_NO_SQLITE3:-}" ]; then
    sqlite3 -batch -noheader -separator $'\t' "$file" "$sql"
  else
    (cd "$APP_ROOT" && node -e '
      const db = new (require("better-sqlite3"))(process.argv[1], { fileMustExist: true });
      for (const row of db.prepare(process.argv[2]).raw().all()) console.log(row.join("\t"));
      db.close();' "$file" "$sql")
  fi
}

sqlite_table_counts() {
  local file=$1 tables sql='' t
  tables=$(sqlite_q "$file" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
  [ -n "$tables" ] || return 0
  while IFS= read -r t; do
    sql+="${sql:+ UNION ALL }SELECT '$t', COUNT(*) FROM \"$t\""
  done <<<"$tables"
  sqlite_q "$file" "$sql" | LC_ALL=C sort
}

# compare_counts EXPECTED ACTUAL: EXPECTED lines are "table<TAB>rows" or "table<TAB>min..max"
# (a table that changed while a live backup ran). Returns 1 on a missing table or a wrong count.
compare_counts() {
  local expected=$1 actual=$2 bad=0 table want got lo hi
  while IFS=$'\t' read -r table want; do
    [ -n "$table" ] || continue
    got=$(awk -F'\t' -v t="$table" '$1 == t { print $2 }' "$actual")
    if [ -z "$got" ]; then
      echo "  MISSING  $table (expected $want rows)" >&2; bad=1
    elif [[ "$want" == *..* ]]; then
      lo=${want%..*} hi=${want#*..}
      if [ "$got" -lt "$lo" ] || [ "$got" -gt "$hi" ]; then
        echo "  warning  $table: $got rows, outside $want (it changed during the backup)" >&2
      fi
    elif [ "$got" != "$want" ]; then
      echo "  DIFFERS  $table: $got rows, expected $want" >&2; bad=1
    fi
  done <"$expected"
  while IFS=$'\t' read -r table got; do
    awk -F'\t' -v t="$table" '$1 == t { f = 1 } END { exit !f }' "$expected" ||
      echo "  extra    $table ($got rows, not in the backup)" >&2
  done <"$actual"
  return $bad
}
