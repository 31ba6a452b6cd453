#!/usr/bin/env bash
# Runs every test in the solution, installing what the integration tests need when it is missing
# (Debian's redis-server and rabbitmq-server; a Docker engine, when reachable, is used for Redis through Testcontainers).
# Ends with one line: "N passed, N failed, N skipped", summed over all test assemblies.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian's redis-server and rabbitmq-server, when missing (the alerting tests start RabbitMQ themselves when nothing
# answers on its port).
missing=()
if ! command -v redis-server >/dev/null 2>&1 && [ ! -S /var/run/docker.sock ]; then missing+=(redis-server); fi
if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then missing+=(rabbitmq-server); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "run-tests: installing ${missing[*]} (needed by the integration tests)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "run-tests: could not install ${missing[*]}; the integration tests will fail" >&2
fi

log="$(mktemp)"
dotnet test Platform.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per assembly: "Passed!  - Failed: 0, Passed: 6, Skipped: 0, Total: 6, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!? +- +Failed:' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {printf "%d %d %d\n", p, f, s}')
rm -f "$log"
# A build error or a crashed test host prints no summary: count it as a failure, never as green.
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
