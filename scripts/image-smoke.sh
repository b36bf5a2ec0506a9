#!/usr/bin/env bash
# Builds the image and runs it as a user would: one node on SQLite in a volume (root key printed once, health
# check, a key made and verified, the same key still good after a restart), then two nodes from the image on one
# PostgreSQL and one Redis (a key made on node 1 verifies on node 2; revoked on node 2, node 1 refuses it at once).
#
#   scripts/image-smoke.sh                      # podman; PostgreSQL and Redis on this host
#   ENGINE=docker PG_URL=postgres://u:p@host:5432/db REDIS_URL=redis://host:6379 scripts/image-smoke.sh
#
# PG_URL names a database the script may fill; the nodes share the host's network so that 127.0.0.1 reaches it.
set -euo pipefail
ENGINE=${ENGINE:-podman}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/keymint_image_smoke}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
IMAGE=keymint-smoke
NAME=keymint-smoke-$$
VOLUME=$NAME-data
cd "$(dirname "$0")/.."

cleanup() {
  "$ENGINE" rm -f "$NAME" "$NAME-1" "$NAME-2" >/dev/null 2>&1 || true
  "$ENGINE" volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# podman schedules health checks on a systemd timer and says so on every start where systemd is not running; the
# check is run by hand below instead.
engine() { "$ENGINE" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }
fail() { echo "FAIL: $*" >&2; exit 1; }
json() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
call() { # method url root-key [body]
  curl -sS -X "$1" "$2" -H "authorization: Bearer $3" -H 'content-type: application/json' ${4:+-d "$4"}
}
wait_healthy() { # base-url
  for _ in $(seq 100); do curl -sf "$1/healthz" >/dev/null && return 0; sleep 0.3; done
  fail "$1/healthz never answered"
}
verify_code() { # base-url root-key key
  call POST "$1/v1/keys/verify" "$2" "{\"key\":\"$3\"}" | json code
}
new_key() { # base-url root-key -> plaintext
  local project
  project=$(call POST "$1/v1/projects" "$2" '{"name":"image-smoke"}' | json id)
  call POST "$1/v1/api-keys" "$2" "{\"project_id\":\"$project\",\"name\":\"smoke\"}"
}

# Docker format keeps HEALTHCHECK (the OCI format has no field for it).
build_flags=()
[ "$ENGINE" = podman ] && build_flags+=(--format docker)
log=$(mktemp)
"$ENGINE" build "${build_flags[@]}" -t "$IMAGE" . >"$log" 2>&1 || { tail -40 "$log"; fail "the image does not build"; }
echo "built $IMAGE ($("$ENGINE" image inspect "$IMAGE" --format '{{.Size}}') bytes)"

# One node, SQLite in a volume.
engine run -d --name "$NAME" -p 127.0.0.1:18090:8080 -v "$VOLUME:/data" "$IMAGE" >/dev/null
B=http://127.0.0.1:18090
wait_healthy $B
ROOT=$("$ENGINE" logs "$NAME" 2>&1 | grep -o 'km_root_[A-Za-z0-9]*' | head -1)
[ -n "$ROOT" ] || fail "the first start printed no root key"
[ "$("$ENGINE" exec "$NAME" id -u)" != 0 ] || fail "the server runs as root"
"$ENGINE" healthcheck run "$NAME" >/dev/null 2>&1 || [ "$ENGINE" != podman ] || fail "the image's HEALTHCHECK failed"
KEY=$(new_key $B "$ROOT" | json key)
[ "$(verify_code $B "$ROOT" "$KEY")" = VALID ] || fail "a new key does not verify"
engine restart "$NAME" >/dev/null
wait_healthy $B
[ "$("$ENGINE" logs "$NAME" 2>&1 | grep -c 'km_root_')" = 1 ] || fail "a restart printed a root key again"
[ "$(verify_code $B "$ROOT" "$KEY")" = VALID ] || fail "the key did not survive a restart (volume /data)"
echo "one node on SQLite: root key once, non-root, healthy, key verifies before and after a restart"

# Two nodes, PostgreSQL and Redis.
if ! psql "${PG_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${PG_URL##*/}" -c "CREATE DATABASE ${PG_URL##*/}" >/dev/null 2>&1; then
  echo "skipped two nodes: cannot (re)create ${PG_URL##*/} with psql at ${PG_URL%/*}"
  exit 0
fi
ROOT=$(node bin/keymint.js mint-root-key)
ENCRYPTION_KEY=$(openssl rand -hex 32)
for n in 1 2; do
  engine run -d --name "$NAME-$n" --network host -e KEYMINT_PORT=1809$n -e KEYMINT_DATABASE_URL="$PG_URL" \
    -e KEYMINT_REDIS_URL="$REDIS_URL" -e KEYMINT_ROOT_KEY="$ROOT" -e KEYMINT_ENCRYPTION_KEY="$ENCRYPTION_KEY" \
    "$IMAGE" >/dev/null
done
wait_healthy http://127.0.0.1:18091
wait_healthy http://127.0.0.1:18092
CREATED=$(new_key http://127.0.0.1:18091 "$ROOT")
KEY=$(echo "$CREATED" | json key)
ID=$(echo "$CREATED" | json id)
[ "$(verify_code http://127.0.0.1:18092 "$ROOT" "$KEY")" = VALID ] || fail "a key made on node 1 does not verify on node 2"
[ "$(verify_code http://127.0.0.1:18091 "$ROOT" "$KEY")" = VALID ] || fail "node 1 does not verify its own key"
call DELETE "http://127.0.0.1:18092/v1/api-keys/$ID" "$ROOT" >/dev/null
[ "$(verify_code http://127.0.0.1:18091 "$ROOT" "$KEY")" = REVOKED ] || fail "node 1 still accepts a key revoked on node 2"
echo "two nodes on PostgreSQL and Redis: a key made on one verifies on the other; revoked on one, refused by both"
