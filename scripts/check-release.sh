#!/usr/bin/env bash
# Boots an assembled release (scripts/build-release.sh) the way the Docker image runs it:
# a copy of the release folder alone (no repository around it, so no development
# node_modules to fall back on), NODE_ENV=production, migrations as a separate step, then
# the app with MIGRATIONS_RUN=false. Checks liveness, readiness, a page and its CSS, the
# sectors' content, /metrics with METRICS_TOKEN, the Dockerfile's HEALTHCHECK command, that
# nothing is written into the app folder, a stop on SIGTERM, and the release's backup script.
# Exits non-zero on any failure.
#
#   bash scripts/check-release.sh [RELEASE]     RELEASE defaults to release/
set -euo pipefail
release=${1:-}
cd "$(dirname "$0")/.."
[ -n "$release" ] || release=$PWD/release
case "$release" in /*) ;; *) release="$OLDPWD/$release" ;; esac
[ -f "$release/dist/src/main.js" ] || { echo "check-release: no release in $release (run scripts/build-release.sh)" >&2; exit 1; }

work=$(mktemp -d)
pid=''
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Like the image's COPY: the release alone, nothing of the repository above it.
cp -a "$release" "$work/app"
mkdir -p "$work/data"
touch "$work/stamp"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
jwt=$(node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))")
metrics_token=$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")
key=$(node -e "const {generateKeyPairSync}=require('crypto');console.log(JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({format:'jwk'})))")

# Only what the image's environment would hold: nothing leaks in from this shell.
app_env=(env -i PATH="$PATH" HOME="$work" NODE_ENV=production PORT="$port"
  DATA_DIR="$work/data" DATABASE_URL="sqlite:$work/data/app.sqlite" ALLOW_SQLITE_IN_PRODUCTION=true
  JWT_SECRET="$jwt" SIGNING_KEY="$key" METRICS_TOKEN="$metrics_token"
  PUBLIC_URL="http://127.0.0.1:$port" LOG_LEVEL=warn)
run() { (cd "$work/app" && exec "${app_env[@]}" "$@"); }

echo "check-release: migrations as a separate step"
run node dist/src/database/migrate.js | tee "$work/migrate.log"
grep -q '^Applied ' "$work/migrate.log" || { echo "check-release: no migration applied" >&2; exit 1; }

echo "check-release: boot on port $port"
# `exec` in a subshell of its own, so that $! is the app itself: the SIGTERM below must reach node.
(cd "$work/app" && exec "${app_env[@]}" MIGRATIONS_RUN=false node dist/src/main.js) >"$work/log" 2>&1 &
pid=$!
up=''
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
[ -n "$up" ] || { cat "$work/log"; echo "check-release: the release did not come up" >&2; exit 1; }

fail() { cat "$work/log"; echo "check-release: $*" >&2; exit 1; }
# Each answer is read whole before it is searched (grep -q on a pipe could cut curl short).
get() { curl -fsS "$@" 2>&1 || echo "(curl failed)"; }
grep -q '"status":"ok"' <<<"$(get "http://127.0.0.1:$port/health/live")" || fail "/health/live"
grep -q '"status":"ok"' <<<"$(get "http://127.0.0.1:$port/health")" || fail "/health (readiness)"
grep -qi '<form' <<<"$(get "http://127.0.0.1:$port/masuk")" || fail "the login page (templates/)"
curl -fsS -o /dev/null "http://127.0.0.1:$port/assets/app.css" || fail "the assets (templates/assets/)"
# The build's precompressed variants travelled with templates/ and are served as they are.
grep -qi '^content-encoding: br' <<<"$(get -D - -o /dev/null -H 'accept-encoding: br' "http://127.0.0.1:$port/assets/app.css")" ||
  fail "app.css not served brotli-compressed (templates/assets/*.br missing?)"
curl -fsS -o /dev/null "http://127.0.0.1:$port/favicon.ico" || fail "/favicon.ico"
grep -q '^sertifikasi_http_requests_total' <<<"$(get -H "authorization: Bearer $metrics_token" "http://127.0.0.1:$port/metrics")" ||
  fail "/metrics with METRICS_TOKEN"
# The Dockerfile's HEALTHCHECK command itself (the slim image has no curl).
if [ -f Dockerfile ]; then
  healthcheck=$(sed -n '/^HEALTHCHECK/,/CMD \[/p' Dockerfile | grep -o 'CMD \[.*\]' | sed 's/^CMD //')
  [ -n "$healthcheck" ] || fail "no HEALTHCHECK in the Dockerfile"
  (cd "$work/app" && PORT=$port node -e "const a=JSON.parse(process.argv[1]);require('child_process').execFileSync(a[0],a.slice(1),{stdio:'inherit'})" "$healthcheck") ||
    fail "the Dockerfile's HEALTHCHECK command failed"
fi
sectors=$(curl -fsS "http://127.0.0.1:$port/api/v1/sectors")
for key in health education administration-it; do
  grep -q "\"key\":\"$key\"" <<<"$sectors" || fail "sector $key missing (modules/)"
done

# The image's app folder is read-only to the app user: nothing may be written there.
written=$(find "$work/app" -newer "$work/stamp" -type f | head -5)
[ -z "$written" ] || fail "the app wrote into its own folder: $written"

echo "check-release: SIGTERM"
# By its command line: Node.js 24 names its main thread "MainThread", which is what
# `ps -o comm=` shows, not "node".
[ "$(ps -o args= -p "$pid")" = "node dist/src/main.js" ] || fail "pid $pid is not the app: $(ps -o args= -p "$pid")"
kill -TERM "$pid"
code=0
for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 10 s after SIGTERM"; fi
wait "$pid" || code=$?
pid=''
[ "$code" = 0 ] || [ "$code" = 143 ] || fail "exited with $code after SIGTERM"
# Each sector's content pack (modules/<sector>/content) was installed: courses and question banks.
content=$(run node -e '
  const db = new (require("better-sqlite3"))(process.env.DATABASE_URL.slice(7), { readonly: true });
  const n = (t, s) => db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE sector = ?`).get(s).n;
  for (const s of ["health", "education", "administration-it"]) console.log(s, n("courses", s), n("question_banks", s));')
while read -r sector courses banks; do
  [ "$courses" -gt 0 ] && [ "$banks" -gt 0 ] || fail "sector $sector installed $courses courses and $banks question banks (modules/$sector/content missing?)"
done <<<"$content"

echo "check-release: the release's backup script (better-sqlite3 from the release's node_modules)"
backup=$(run env BACKUP_NO_SQLITE3=1 bash scripts/backup.sh --to "$work/backups")
grep -q '^table users rows=' "$backup/manifest.txt" || fail "backup from the release has no row counts"
echo "check-release: passed (exit code $code after SIGTERM)"
