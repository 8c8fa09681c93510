#!/usr/bin/env bash
# Publishes PhoneAgent and the standalone Gemini Live emulator (Release, framework-dependent: they run on the
# mcr.microsoft.com/dotnet/aspnet runtime) to OUT/PhoneAgent and OUT/GeminiLiveEmulator.
# The one way to publish: the Dockerfiles' build stage and CI (infra/docker/verify.sh) both call it.
# Usage: scripts/publish.sh OUT_DIR
set -euo pipefail
out="${1:?usage: scripts/publish.sh OUT_DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

for project in PhoneAgent GeminiLiveEmulator; do
  echo "publish: $project -> $out/$project"
  dotnet publish "$root/src/$project/$project.csproj" -c Release --nologo -v q -o "$out/$project"
done
