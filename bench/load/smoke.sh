#!/usr/bin/env bash
# Smoke load: 5 concurrent calls for 30 s from samples/ against a Release PhoneAgent (Development, built-in Gemini Live
# emulator), then checks the JSON report: no failed call, every latency's percentiles present. Exits non-zero otherwise.
#
#   bench/load/smoke.sh                 # report in a temporary folder (printed)
#   SMOKE_REPORT=/tmp/smoke bench/load/smoke.sh
#
# The ports are the OS's: one free port for PhoneAgent, one for CallReplay's fake Twilio REST API.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

report="${SMOKE_REPORT:-$(mktemp -d /tmp/phoneagent-load-smoke.XXXXXX)}"
calls="${SMOKE_CALLS:-5}"
duration="${SMOKE_DURATION:-30s}"
log="$report/phoneagent.log"
mkdir -p "$report"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "==> build (Release): PhoneAgent, CallReplay"
dotnet build src/PhoneAgent/PhoneAgent.csproj -c Release --nologo -v q -clp:ErrorsOnly
dotnet build src/CallReplay/CallReplay.csproj -c Release --nologo -v q -clp:ErrorsOnly

port="$(free_port)"
api_port="$(free_port)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

echo "==> PhoneAgent on http://127.0.0.1:$port (Development, Gemini:Backend=Emulator); log $log"
(
  cd src/PhoneAgent/bin/Release/net10.0
  ASPNETCORE_ENVIRONMENT=Development \
  Gemini__Backend=Emulator \
  Twilio__ApiBaseUrl="http://127.0.0.1:$api_port" \
  Logging__LogLevel__Default=Warning \
    exec dotnet PhoneAgent.dll --urls "http://127.0.0.1:$port"
) >"$log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "PhoneAgent exited:"; tail -40 "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { echo "PhoneAgent did not become healthy:"; tail -40 "$log"; exit 1; }

echo "==> CallReplay load: $calls calls for $duration from samples/"
set +e
dotnet src/CallReplay/bin/Release/net10.0/CallReplay.dll load "http://127.0.0.1:$port" \
  --recordings samples --calls "$calls" --duration "$duration" --report "$report" \
  --server-pid "$server_pid" --api-port "$api_port" --plain --progress-interval 10s
status=$?
set -e
echo "CallReplay load exited $status (0 PASS, 1 FAIL, 3 INVALID, 130 interrupted)"
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "PhoneAgent exited during the run:"; tail -40 "$log"
fi

echo "==> checking $report/load-report.json"
python3 - "$report/load-report.json" "$calls" <<'PY'
import json, math, sys
path, calls = sys.argv[1], int(sys.argv[2])
r = json.load(open(path))
problems = []
c = r["calls"]
if r.get("interrupted"):
    problems.append("the run was interrupted")
if c["failed"] != 0:
    problems.append(f'{c["failed"]} failed call(s): {c["failureReasons"]}')
if c["completed"] < calls:
    problems.append(f'only {c["completed"]} call(s) completed (expected at least {calls})')
def present(name, stats):
    if stats["count"] <= 0:
        problems.append(f"{name}: no values")
        return
    for p in ("p50", "p90", "p95", "p99", "max"):
        v = stats.get(p)
        if not isinstance(v, (int, float)) or math.isnan(v) or v <= 0:
            problems.append(f"{name}.{p} missing ({v!r})")
present("latency.setupMs", r["latency"]["setupMs"])
present("latency.responseMs", r["latency"]["responseMs"])
present("generator.latenessMs", r["generator"]["latenessMs"])
for key in ("bargeInMs", "underrunMs"):
    if "p99" not in r["latency"][key]:
        problems.append(f"latency.{key}.p99 missing")
s, rs = r["latency"]["setupMs"], r["latency"]["responseMs"]
print(f'verdict {r["verdict"]["status"]}; calls {c["started"]} started, {c["completed"]} completed, {c["failed"]} failed')
print(f'set-up p50 {s["p50"]:.0f} ms p95 {s["p95"]:.0f} ms; response p50 {rs["p50"]:.0f} ms p95 {rs["p95"]:.0f} ms p99 {rs["p99"]:.0f} ms')
print(f'generator lateness p99 {r["generator"]["latenessMs"]["p99"]:.2f} ms; server metrics {"available" if r["serverMetrics"]["available"] else "not available"}')
if r["verdict"]["status"] != "PASS":
    print("note (not a smoke failure): " + "; ".join(r["verdict"]["reasons"]))
if problems:
    print("SMOKE FAILED:\n  " + "\n  ".join(problems))
    sys.exit(1)
print("smoke ok")
PY
echo "report: $report/load-report.html"
