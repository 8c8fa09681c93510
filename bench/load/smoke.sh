#!/usr/bin/env bash
# Smoke load (the README's test script runs it): 5 concurrent calls held for 30 s, replaying samples/, against a Release
# PhoneAgent (Development, built-in Gemini Live emulator), then `CallReplay check-report` on the JSON report. It fails on
# a failed call, a lost or dropped frame, or a missing percentile; an INVALID verdict (the generator's send lateness
# p99 over 5 ms: a busy machine, not a server failure) and the verdict's latency limits are printed, not failed.
#
#   bench/load/smoke.sh                                 # report in artifacts/load-smoke/ (git-ignored; CI keeps it)
#   SMOKE_REPORT=/tmp/smoke bench/load/smoke.sh         # elsewhere
#   SMOKE_NO_BUILD=1 bench/load/smoke.sh                # use the Release build already there (test.sh, after dotnet test)
#   SMOKE_CALLS=5 SMOKE_DURATION=30s SMOKE_DRAIN=15s     # the defaults
#
# About 55 s with a warm build: PhoneAgent's start (~3 s), the load tool's warm-up call (3 s), the ramp (1 s), the 30 s
# hold, and at most SMOKE_DRAIN for the calls still in flight (those still running then are cut, which is not a failure).
# Needs only bash and the .NET SDK: ports are probed with bash's /dev/tcp and /healthz is read the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."

report="$(mkdir -p "${SMOKE_REPORT:-artifacts/load-smoke}" && cd "${SMOKE_REPORT:-artifacts/load-smoke}" && pwd)"
calls="${SMOKE_CALLS:-5}"
duration="${SMOKE_DURATION:-30s}"
drain="${SMOKE_DRAIN:-15s}"
log="$report/phoneagent.log"
rm -rf "$report/load-report.json" "$report/load-report.html" "$report/svg" "$report/timelines"

server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
on_exit() {
  local status=$?
  stop_server
  echo "smoke load report: $report/load-report.html ($report/load-report.json; PhoneAgent's log: $log)"
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# A port nothing listens on (connect refused), from the ephemeral range. Another process may still take it before
# PhoneAgent binds it: then PhoneAgent exits at start and the start is tried again on a new port.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}

# GET /healthz over bash's /dev/tcp: true when the answer is 200.
healthy() {
  (
    exec 4<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&4
    IFS= read -r -t 2 line <&4 || exit 1
    [[ "$line" == "HTTP/1.1 200"* ]]
  ) 2>/dev/null
}

if [[ "${SMOKE_NO_BUILD:-}" != 1 ]]; then
  echo "==> build (Release): PhoneAgent, CallReplay"
  dotnet build src/PhoneAgent/PhoneAgent.csproj -c Release --nologo -v q -clp:ErrorsOnly
  dotnet build src/CallReplay/CallReplay.csproj -c Release --nologo -v q -clp:ErrorsOnly
fi
for dll in src/PhoneAgent/bin/Release/net10.0/PhoneAgent.dll src/CallReplay/bin/Release/net10.0/CallReplay.dll; do
  [[ -f "$dll" ]] || { echo "$dll missing: build Release first (or unset SMOKE_NO_BUILD)"; exit 1; }
done

api_port="$(free_port)"
data_dir="$(mktemp -d /tmp/phoneagent-smoke-db.XXXXXX)"  # a database of this run's own (SQLite, seeded in Development)
started=""
for attempt in 1 2 3; do
  port="$(free_port)"
  echo "==> PhoneAgent on http://127.0.0.1:$port (Development, Gemini:Backend=Emulator), attempt $attempt; log $log"
  (
    cd src/PhoneAgent/bin/Release/net10.0
    ASPNETCORE_ENVIRONMENT=Development \
    Gemini__Backend=Emulator \
    Twilio__ApiBaseUrl="http://127.0.0.1:$api_port" \
    Logging__LogLevel__Default=Warning \
    Bridge__MaxConcurrentCalls="$(( calls > 50 ? calls : 50 ))" \
    PhoneAgent__BusinessHours=AlwaysOpen \
    ConnectionStrings__PhoneAgent="Data Source=$data_dir/phoneagent.db" \
      exec dotnet PhoneAgent.dll --urls "http://127.0.0.1:$port"
  ) >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if healthy "$port"; then started=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  [[ -n "$started" ]] && break
  echo "PhoneAgent did not become healthy:"; tail -20 "$log"
  stop_server
done
[[ -n "$started" ]] || exit 1

echo "==> CallReplay load: $calls calls held for $duration (drain $drain) from samples/"
set +e
timeout --signal=INT --kill-after=30s 150s \
  dotnet src/CallReplay/bin/Release/net10.0/CallReplay.dll load "http://127.0.0.1:$port" \
    --recordings samples --calls "$calls" --duration "$duration" --drain "$drain" --report "$report" \
    --server-pid "$server_pid" --api-port "$api_port" --plain --progress-interval 10s
status=$?
set -e
echo "CallReplay load exited $status (0 PASS, 1 FAIL, 3 INVALID: judged below; 130 interrupted)"
kill -0 "$server_pid" 2>/dev/null || { echo "PhoneAgent exited during the run:"; tail -40 "$log"; exit 1; }
stop_server

echo "==> checking $report/load-report.json"
dotnet src/CallReplay/bin/Release/net10.0/CallReplay.dll check-report "$report" --min-completed "$calls"
