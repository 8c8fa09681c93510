#!/usr/bin/env bash
# CI's container check (no Docker engine here): publishes with scripts/publish.sh, as the images' build stage does,
# then infra/docker/verify.mjs checks every COPY source of infra/docker/*.Dockerfile and runs the published apps as
# the images would (environment, non-root user, HEALTHCHECK, /readyz, SIGTERM). Called by ./test.sh; needs node.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$root/scripts/publish.sh" "$out" >/dev/null
node "$root/infra/docker/verify.mjs" "$out"
