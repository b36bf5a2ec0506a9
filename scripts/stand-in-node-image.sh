#!/usr/bin/env bash
# For a machine that reaches Debian's mirror and the npm registry but no image registry (this project's CI VM):
# makes a local image tagged docker.io/library/node:22-slim, so that the Dockerfile builds unchanged. It is a
# stand-in, not Node's image: Debian bookworm (debootstrap minbase) with this machine's Node and npm in /usr/local,
# Node's headers (better-sqlite3 builds from source when it cannot fetch its prebuilt binary), this machine's CA
# certificates (an egress proxy may sign the registry's certificate) and a `node` user with uid 1000, as in Node's.
#   scripts/stand-in-node-image.sh            (root; needs debootstrap and podman)
set -euo pipefail
TAG=docker.io/library/node:22-slim
ROOTFS=$(mktemp -d)
trap 'rm -rf "$ROOTFS"' EXIT

debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(npm root -g)/npm
headers=$(dirname "$node_bin")/../include/node
mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules" "$ROOTFS/usr/local/include" "$ROOTFS/usr/local/etc"
cp "$node_bin" "$ROOTFS/usr/local/bin/node"
cp -a "$npm_dir" "$ROOTFS/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
cp -a "$headers" "$ROOTFS/usr/local/include/node"
mkdir -p "$ROOTFS/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\nfund=false\naudit=false\nupdate-notifier=false\n' >"$ROOTFS/usr/local/etc/npmrc"
chroot "$ROOTFS" groupadd --gid 1000 node
chroot "$ROOTFS" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
tar -C "$ROOTFS" -c . | podman import --quiet --change 'CMD ["node"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$TAG" >/dev/null
echo "made $TAG (a stand-in: Debian bookworm, Node $("$node_bin" -v))"
