#!/usr/bin/env bash
# Validates infra/kubernetes/*.yaml offline (validate.mjs). Called by ./test.sh; needs npm (Node 22 comes from npm,
# pinned in package-lock.json, as in tests/conformance).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/kubernetes-models ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_modules/.bin/node validate.mjs
