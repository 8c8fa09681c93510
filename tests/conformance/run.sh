#!/usr/bin/env bash
# Conformance with a client no one here wrote: Google's official @google/genai SDK (pinned in package-lock.json,
# run on Node 22 from the npm registry) against the standalone Gemini Live emulator, on the Developer API and
# Vertex AI paths. The SDK's wire JSON is dumped to tests/conformance/sdk-wire (committed; the .NET client tests
# compare our messages with it). Called by ./test.sh; needs npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"

if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/@google/genai ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node_bin="$here/node_modules/.bin/node"
echo "conformance: $("$node_bin" --version), @google/genai $("$node_bin" -p "require('./node_modules/@google/genai/package.json').version")"

log="$(mktemp)"
dump="$(mktemp -d)"
cleanup() { [ -n "${emulator_pid:-}" ] && kill "$emulator_pid" 2>/dev/null || true; rm -rf "$dump" "$log"; }
trap cleanup EXIT

dotnet build "$root/src/GeminiLiveEmulator" -c Release --nologo -v q >/dev/null
dotnet "$root/src/GeminiLiveEmulator/bin/Release/net10.0/GeminiLiveEmulator.dll" \
  --urls http://127.0.0.1:0 --scenario "$here/scenario.json" --reply-latency-ms 300 >"$log" 2>&1 &
emulator_pid=$!
origin=""
for _ in $(seq 1 100); do
  origin="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -1 || true)"
  [ -n "$origin" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
[ -n "$origin" ] || { echo "the emulator did not report its address"; cat "$log"; exit 1; }

if ! "$node_bin" conformance.mjs "$origin" "$here/fixtures/caller-order-status.wav" "$dump"; then
  echo "--- emulator log ---"; tail -60 "$log"; exit 1
fi

mkdir -p sdk-wire
rm -f sdk-wire/*.json
cp "$dump"/*.json sdk-wire/
echo "conformance: SDK wire JSON in tests/conformance/sdk-wire ($(ls sdk-wire | wc -l) messages)"
