#!/usr/bin/env bash
# Builds the release folder that the Docker image ships and that a server runs from:
#   dist/ (compiled code), templates/, modules/ (sector content and templates, no TypeScript),
#   scripts/ (backup and restore), package.json, package-lock.json and node_modules/ with the
#   production dependencies only.
# The Dockerfile runs this very script, and CI runs it too (then scripts/check-release.sh),
# so the image's contents are tested on every change even where Docker cannot run.
#
#   bash scripts/build-release.sh [OUT]        OUT defaults to release/
#
# Needs Node.js 24 (package.json's engines; `source scripts/use-node.sh` provides it) and npm;
# better-sqlite3 is compiled if no prebuilt binary can be fetched (python3, make and g++ then).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-release}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

echo "build-release: npm ci"
npm ci --no-audit --no-fund
echo "build-release: npm run build"
rm -rf dist # a clean build: no compiled leftovers of deleted sources
npm run build

echo "build-release: assembling $out"
rm -rf "$out"
mkdir -p "$out/modules"
cp -R dist "$out/dist"
rm -f "$out/dist/.tsbuildinfo"
cp -R templates "$out/templates"
# Compiled sector code runs from dist/modules/*; its content packs and templates are read
# from modules/<sector>/ (see moduleDir in src/sector-api.ts), so ship everything but the TypeScript.
tar -C modules --exclude='*.ts' -cf - . | tar -C "$out/modules" -xf -
# .npmrc too: engine-strict, so the release's own `npm ci` refuses another Node.js major.
cp package.json package-lock.json .npmrc "$out/"
# The operator's scripts travel with the release (docs/operations.md, "Backup and restore").
mkdir -p "$out/scripts"
cp scripts/backup.sh scripts/restore.sh scripts/backup-common.sh "$out/scripts/"

echo "build-release: production dependencies"
(cd "$out" && npm ci --omit=dev --no-audit --no-fund)

# Nothing of the sources or the development tools may be needed at run time.
if [ -n "$(find "$out/dist" "$out/modules" -name '*.ts' ! -name '*.d.ts')" ]; then
  echo "build-release: TypeScript sources found in $out" >&2
  exit 1
fi
# (typescript stays: @nestjs/swagger lists it as a peer dependency.)
for dev in jest ts-jest eslint @nestjs/cli @nestjs/testing; do
  if [ -e "$out/node_modules/$dev" ]; then
    echo "build-release: development dependency $dev found in $out/node_modules" >&2
    exit 1
  fi
done
echo "build-release: done ($(du -sh "$out" | cut -f1) in $out)"
