#!/usr/bin/env bash
# Boots the compiled app as a user would: on a fresh SQLite file, then on a fresh MariaDB
# database, and checks that a bad DATABASE_URL stops the boot with a clear message.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build >/dev/null

work=$(mktemp -d)
port=3917
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_up() {
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; return 1; }
    sleep 0.5
  done
  cat "$work/log"; return 1
}

check() {
  curl -fsS "http://127.0.0.1:$port/health" | grep -q '"status":"ok"'
  curl -fsS "http://127.0.0.1:$port/api/v1/sectors" | grep -q '"key":"administration-it"'
  curl -fsS "http://127.0.0.1:$port/api/docs-json" | grep -q '/api/v1/sectors'
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'content-type: application/json' --data '{oops' "http://127.0.0.1:$port/api/v1/auth/login")
  [ "$code" = 400 ] || { echo "malformed JSON gave $code"; return 1; }
}

echo "SQLite with demo data"
PORT=$port DATA_DIR="$work/data" DATABASE_URL="sqlite:$work/data/app.sqlite" DEMO_DATA=true node dist/src/main.js >"$work/log" 2>&1 &
pid=$!
wait_up && check
grep -q 'Akun demo' "$work/log"
token=$(curl -fsS -X POST -H 'content-type: application/json' \
  --data '{"username":"admin@demo.sertifikasi.id","password":"Demo-Sertifikasi-2026"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
curl -fsS -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/me" | grep -q '"role":"admin"'
# A demo ASN of each sector starts with gaps, the sector's courses and a certificate.
for nip in 199003152015032001 198512102010012003 199208172020121005; do
  asn=$(curl -fsS -X POST -H 'content-type: application/json' \
    --data "{\"username\":\"$nip\",\"password\":\"Demo-Sertifikasi-2026\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  curl -fsS -H "authorization: Bearer $asn" "http://127.0.0.1:$port/api/v1/me/gaps" | grep -q '"requiredLevel"'
  curl -fsS -H "authorization: Bearer $asn" "http://127.0.0.1:$port/api/v1/me/certificates" | grep -q '"number"' \
    || { echo "demo ASN $nip has no certificate"; exit 1; }
done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

echo "MariaDB, fresh database"
db="sa_smoke_$$"
mysql --host=127.0.0.1 --user=root -e "CREATE DATABASE \`$db\`"
PORT=$port DATA_DIR="$work/data" DATABASE_URL="mysql://root@127.0.0.1:3306/$db" DEMO_DATA=false node dist/src/main.js >"$work/log" 2>&1 &
pid=$!
wait_up && check
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
tables=$(mysql --host=127.0.0.1 --user=root -N -e "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='$db'")
mysql --host=127.0.0.1 --user=root -e "DROP DATABASE \`$db\`"
[ "$tables" -ge 6 ] || { echo "expected the migrated tables, found $tables"; exit 1; }

echo "Bad DATABASE_URL stops the boot"
for url in "postgres://localhost/x" "mysql://root@127.0.0.1:1/nowhere"; do
  if DATA_DIR="$work/data" DATABASE_URL="$url" node dist/src/main.js >"$work/log" 2>&1; then
    echo "booted with DATABASE_URL=$url"; exit 1
  fi
  grep -q 'DATABASE_URL' "$work/log" || { cat "$work/log"; exit 1; }
done
echo "Production refuses unsafe settings, naming the variable"
key='{"kty":"OKP","crv":"Ed25519","x":"x","d":"d"}'
secret="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
refuse() { # expected-message, then the environment
  local expected=$1; shift
  if env -i PATH="$PATH" NODE_ENV=production DATA_DIR="$work/prod" "$@" node dist/src/main.js >"$work/log" 2>&1; then
    echo "production booted with: $*"; exit 1
  fi
  grep -q "$expected" "$work/log" || { echo "expected \"$expected\" for: $*"; cat "$work/log"; exit 1; }
}
mysql_url="mysql://root@127.0.0.1:3306/sa_smoke_unused"
refuse 'JWT_SECRET is required in production' DATABASE_URL="$mysql_url" SIGNING_KEY="$key"
refuse 'JWT_SECRET is an example value' DATABASE_URL="$mysql_url" SIGNING_KEY="$key" JWT_SECRET=ganti-dengan-rahasia-acak-minimal-32-karakter
refuse 'SIGNING_KEY is required in production' DATABASE_URL="$mysql_url" JWT_SECRET="$secret"
refuse 'DEMO_DATA must not be true in production' DATABASE_URL="$mysql_url" JWT_SECRET="$secret" SIGNING_KEY="$key" DEMO_DATA=true
refuse 'DATABASE_URL is SQLite' JWT_SECRET="$secret" SIGNING_KEY="$key"
echo "smoke test passed"
