#!/usr/bin/env bash
# Builds the image and runs it as a user would:
#   1. one node on SQLite in a volume: root key printed once, not root, health check, a key made and verified, the
#      same key still good after a restart;
#   2. two nodes from the image on this host's PostgreSQL and Redis (PG_URL, REDIS_URL);
#   3. compose.yaml as it stands: `up --build`, PostgreSQL, Redis and two nodes on 127.0.0.1:8081 and :8082.
# In 2 and 3 a key made on node 1 verifies on node 2, and once revoked on node 2, node 1 refuses it at once.
#
#   scripts/image-smoke.sh                      # podman and podman-compose
#   ENGINE=docker COMPOSE="docker compose" PG_URL=postgres://u:p@host:5432/db REDIS_URL=redis://host:6379 scripts/image-smoke.sh
#
# PG_URL names a database the script may drop and fill; those nodes share the host's network to reach it. Part 2
# is skipped without `psql`, part 3 without a compose command.
set -euo pipefail
ENGINE=${ENGINE:-podman}
COMPOSE=${COMPOSE:-$([ "$ENGINE" = podman ] && echo podman-compose || echo "docker compose")}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/keymint_image_smoke}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
IMAGE=keymint-smoke
NAME=keymint-smoke-$$
# One compose project name, so that the images compose builds are replaced by the next run, not piled up.
PROJECT=keymint-smoke
VOLUME=$NAME-data
cd "$(dirname "$0")/.."

composed=false
cleanup() {
  "$ENGINE" rm -f -v "$NAME" "$NAME-1" "$NAME-2" >/dev/null 2>&1 || true
  "$ENGINE" volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  if $composed; then
    # Removed with their anonymous /data volumes first: podman-compose's `down -v` leaves those.
    "$ENGINE" ps -a -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r "$ENGINE" rm -f -v >/dev/null 2>&1 || true
    $COMPOSE -p "$PROJECT" down -v >/dev/null 2>&1 || true
    "$ENGINE" network rm "${PROJECT}_default" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
# podman schedules health checks on a systemd timer and says so on every start where systemd is not running; the
# check is run by hand below instead.
quiet_podman() { grep -v 'unable to get systemd connection' >&2; }
engine() { "$ENGINE" "$@" 2> >(quiet_podman); }
fail() { echo "FAIL: $*" >&2; exit 1; }
json() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
call() { # method url root-key [body]
  curl -sS -X "$1" "$2" -H "authorization: Bearer $3" -H 'content-type: application/json' ${4:+-d "$4"}
}
wait_healthy() { # base-url
  for _ in $(seq 200); do curl -sf "$1/healthz" >/dev/null && return 0; sleep 0.3; done
  fail "$1/healthz never answered"
}
verify_code() { # base-url root-key key
  call POST "$1/v1/keys/verify" "$2" "{\"key\":\"$3\"}" | json code
}
new_key() { # base-url root-key -> the created key's JSON
  local project
  project=$(call POST "$1/v1/projects" "$2" '{"name":"image-smoke"}' | json id)
  call POST "$1/v1/api-keys" "$2" "{\"project_id\":\"$project\",\"name\":\"smoke\"}"
}
two_nodes() { # node-1 node-2 root-key what
  wait_healthy "$1"
  wait_healthy "$2"
  local created key
  created=$(new_key "$1" "$3")
  key=$(echo "$created" | json key)
  [ "$(verify_code "$2" "$3" "$key")" = VALID ] || fail "$4: a key made on node 1 does not verify on node 2"
  [ "$(verify_code "$1" "$3" "$key")" = VALID ] || fail "$4: node 1 does not verify its own key"
  call DELETE "$2/v1/api-keys/$(echo "$created" | json id)" "$3" >/dev/null
  [ "$(verify_code "$1" "$3" "$key")" = REVOKED ] || fail "$4: node 1 still accepts a key revoked on node 2"
  echo "$4: a key made on node 1 verifies on node 2; revoked on node 2, node 1 refuses it"
}

# Docker format keeps HEALTHCHECK (the OCI format has no field for it).
build_flags=()
[ "$ENGINE" = podman ] && build_flags+=(--format docker)
log=$(mktemp)
"$ENGINE" build "${build_flags[@]}" -t "$IMAGE" . >"$log" 2>&1 || { tail -40 "$log"; fail "the image does not build"; }
# The Node the image runs is the one its base image names (a stand-in base once carried Node 20 as node:22-slim).
want=$(sed -n 's/^FROM node:\([0-9]*\).*/\1/p' Dockerfile | tail -1)
have=$(engine run --rm --network none "$IMAGE" node -v)
[[ "$have" == "v$want."* ]] || fail "the image runs Node $have, not the $want its base image names"
echo "built $IMAGE ($("$ENGINE" image inspect "$IMAGE" --format '{{.Size}}') bytes, Node $have)"

# 1. One node, SQLite in a volume.
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

export KEYMINT_ROOT_KEY KEYMINT_ENCRYPTION_KEY
KEYMINT_ROOT_KEY=$(node bin/keymint.js mint-root-key)
KEYMINT_ENCRYPTION_KEY=$(openssl rand -hex 32)

# 2. Two nodes on this host's PostgreSQL and Redis.
if psql "${PG_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${PG_URL##*/}" -c "CREATE DATABASE ${PG_URL##*/}" >/dev/null 2>&1; then
  for n in 1 2; do
    engine run -d --name "$NAME-$n" --network host -e KEYMINT_PORT=1809$n -e KEYMINT_DATABASE_URL="$PG_URL" \
      -e KEYMINT_REDIS_URL="$REDIS_URL" -e KEYMINT_ROOT_KEY -e KEYMINT_ENCRYPTION_KEY "$IMAGE" >/dev/null
  done
  two_nodes http://127.0.0.1:18091 http://127.0.0.1:18092 "$KEYMINT_ROOT_KEY" "two nodes on this host's PostgreSQL and Redis"
else
  echo "skipped two nodes on this host's PostgreSQL: cannot (re)create ${PG_URL##*/} with psql at ${PG_URL%/*}"
fi

# 3. compose.yaml.
if $COMPOSE version >/dev/null 2>&1; then
  composed=true
  # In Docker format, as part 1 built it: podman then reuses its layers instead of building again.
  compose_flags=()
  [ "$COMPOSE" = podman-compose ] && compose_flags+=(--podman-build-args='--format docker')
  # Unset here, so the nodes must not see it at all (podman-compose 1.0.3 once passed a `${...:-}` default on as
  # its literal text, which turned tracing on).
  env -u OTEL_EXPORTER_OTLP_ENDPOINT $COMPOSE "${compose_flags[@]}" -p "$PROJECT" up -d --build >"$log" 2>&1 ||
    { tail -40 "$log"; fail "compose up failed"; }
  two_nodes http://127.0.0.1:8081 http://127.0.0.1:8082 "$KEYMINT_ROOT_KEY" "compose.yaml (PostgreSQL, Redis, two nodes)"
  node1=$("$ENGINE" ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=keymint-1)
  if "$ENGINE" exec "$node1" printenv OTEL_EXPORTER_OTLP_ENDPOINT; then
    fail "compose.yaml sets OTEL_EXPORTER_OTLP_ENDPOINT in a node where the environment of \`up\` has none"
  fi
else
  echo "skipped compose.yaml: no \`$COMPOSE\`"
fi
