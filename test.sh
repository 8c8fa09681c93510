#!/usr/bin/env bash
# The project's one test command (README: "Run the tests"). CI's .ci/run installs what a fresh machine
# lacks and then calls exactly this script. A plain `dotnet test PhoneAgent.sln` runs the same .NET tests.
set -euo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"

# PostgreSQL for the database tests: a throw-away cluster of our own (scripts/test-postgres.sh), stopped on exit.
# Without PostgreSQL installed the tests skip visibly, except under CI=true, where they fail.
if [ -z "${PHONEAGENT_TEST_POSTGRES:-}" ]; then
  echo "==> PostgreSQL for the database tests"
  # A folder of this run's own, so two runs on one machine never share (or stop) each other's cluster.
  PHONEAGENT_PG_DIR="$(mktemp -d /tmp/phoneagent-pg.XXXXXX)"
  export PHONEAGENT_PG_DIR
  if pg_env="$(scripts/test-postgres.sh start)"; then
    eval "$pg_env"
    trap 'scripts/test-postgres.sh stop' EXIT
  elif [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL could not be started and CI=true" >&2; exit 1
  else
    echo "PostgreSQL could not be started: its tests will be skipped" >&2
  fi
fi

echo "==> dotnet test ($configuration)"
# -m:1: one test assembly at a time. Many tests run in real time (20 ms frames, the emulator's timings); on two cores
# five assemblies at once starve each other's timers and fail for the machine, not the code. It costs ~2 minutes.
dotnet test PhoneAgent.sln -c "$configuration" --nologo -m:1

echo "==> Gemini Live conformance: Google's official JavaScript SDK against the emulator"
tests/conformance/run.sh

echo "==> containers: every Dockerfile COPY source exists; the published apps run as the images run them (no Docker engine here)"
infra/docker/verify.sh

echo "==> docker-compose.yml: valid for docker-compose 1.29 (and so Compose v2), no keys 1.29 lacks"
docker-compose config -q
if grep -nE '^name:|^[^#]*start_interval' docker-compose.yml; then echo "docker-compose.yml uses a key docker-compose 1.29 rejects"; exit 1; fi
echo "docker-compose config ok"

echo "==> Kubernetes manifests: validated offline against the bundled Kubernetes schemas (kubernetes-models)"
infra/kubernetes/validate/run.sh

echo "==> benchmark dry run (proves the benchmarks still build and run; figures come from the README's benchmark command)"
dotnet run -c Release --project bench/AudioCodec.Benchmarks -- --filter '*' --job Dry --inProcess --noOverwrite >/tmp/phoneagent-bench-dry.log 2>&1 \
  || { tail -50 /tmp/phoneagent-bench-dry.log; exit 1; }
echo "benchmark dry run ok"

echo "==> smoke load (bench/load/smoke.sh: 5 calls held 30 s against PhoneAgent and its built-in emulator; report in artifacts/load-smoke/)"
# dotnet test above built Release; another configuration makes the script build Release itself.
SMOKE_NO_BUILD="$([[ "$configuration" == Release ]] && echo 1 || echo 0)" SMOKE_REPORT="${SMOKE_REPORT:-artifacts/load-smoke}" bench/load/smoke.sh
