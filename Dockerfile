# syntax=docker/dockerfile:1
# Sertifikasi ASN: a multi-stage image. The build stage runs scripts/build-release.sh, the
# same script CI runs (followed there by scripts/check-release.sh, which boots the assembled
# release as this image does), so what CI tests is what this image ships.
#
#   docker build -t sertifikasi-asn .
#   docker run --rm --env-file app.env -p 127.0.0.1:3000:3000 sertifikasi-asn
#
# (`docker run --env-file` takes values literally, quotes included: write that file without
# the quotes of deploy/env.example; docker compose's .env does handle them.)
# Migrations: `docker run --rm --env-file app.env sertifikasi-asn node dist/src/database/migrate.js`
# (see docs/operations.md); the app itself migrates at boot unless MIGRATIONS_RUN=false.

# Build stage: the full Node image has python3, make and g++ in case better-sqlite3 has to
# be compiled; the runtime stage uses the same Debian release (bookworm), so the compiled
# module runs there.
# Node.js 24, the LTS line of .nvmrc and package.json's engines (docs/adr/0039-node-24-lts.md);
# its image ships npm 11, the major CI uses.
FROM node:24-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm bash scripts/build-release.sh /release

# Runtime stage: only the release folder (dist/, templates/, modules/, scripts/, production
# node_modules).
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/sertifikasi-asn
WORKDIR /app
# Owned by root and read-only to the app; the app writes only under DATA_DIR.
COPY --from=build /release/ /app/
RUN mkdir -p /var/lib/sertifikasi-asn && chown node:node /var/lib/sertifikasi-asn
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# Liveness only (the process answers); readiness, which pings the database, is /health.
# node:24-slim has no curl: Node's own fetch does the request.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM itself (Nest's shutdown hooks drain in-flight requests).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
