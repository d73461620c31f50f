#!/usr/bin/env bash
# Starts the whole of GraphExec on this machine: the servers (from Debian packages, unless a container engine
# answers, in which case the AppHost runs them as containers), then the Aspire AppHost with every service and the
# dashboard. Ctrl-C, or a TERM to this script, stops everything this script started.
# Usage: eng/run.sh [--release]   (--release: optimised builds of every service, as for load measurements)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
require_dotnet

readonly WEB_URL=http://localhost:5000
readonly DASHBOARD_URL=http://localhost:18888
readonly READY_TIMEOUT=600
configuration=Debug
case ${1:-} in
  '') ;;
  --release) configuration=Release ;;
  *) echo "usage: eng/run.sh [--release]" >&2 && exit 2 ;;
esac

mode=${GraphExec__Infrastructure:-auto}
if [[ $mode == local ]] || { [[ $mode == auto ]] && ! container_engine_answers; }; then
  ensure_local_servers
fi

# Tells the user where to go once the UI answers (the dashboard's login link is in the AppHost's log above it).
announce_when_ready() {
  local waited
  for ((waited = 0; waited < READY_TIMEOUT; waited += 2)); do
    sleep 2
    if command -v curl >/dev/null && ! curl -fsS -o /dev/null "$WEB_URL/health" 2>/dev/null; then
      continue
    fi
    cat <<TXT

  GraphExec is running.
    Web        $WEB_URL
    Dashboard  $DASHBOARD_URL   (use the login link printed above)
    Api        http://localhost:5001   Webhooks http://localhost:5002
    Live       http://localhost:5003   Scheduler http://localhost:5004
    Prometheus http://localhost:9090   Alertmanager http://localhost:9093
  Ctrl-C (or a TERM to this script) stops everything this script started.

TXT
    return 0
  done
}

announcer=0
cleanup() {
  if ((announcer > 0)); then kill "$announcer" 2>/dev/null || true; fi
  stop_servers_started_here
}
trap cleanup EXIT

dotnet build GraphExec.AppHost -c "$configuration" -nologo -clp:ErrorsOnly
announce_when_ready &
announcer=$!

# The AppHost runs in a process group of its own (job control on), so that this script waits for the AppHost itself
# and not only for `dotnet run`, which returns at once. Ctrl-C or a TERM to this script is passed on as a TERM to that
# group (a script started in the background by a non-interactive shell ignores SIGINT, and so would its children): the
# AppHost stops every service and server it started, and gets STOP_TIMEOUT seconds to do so before it is killed.
readonly STOP_TIMEOUT=60
set -m
dotnet run --no-build -c "$configuration" --project GraphExec.AppHost --launch-profile http </dev/null &
apphost_group=$!
set +m

stop_apphost() {
  trap '' INT TERM
  kill -TERM -- "-$apphost_group" 2>/dev/null || return 0
  local waited
  for ((waited = 0; waited < STOP_TIMEOUT; waited++)); do
    kill -0 -- "-$apphost_group" 2>/dev/null || return 0
    sleep 1
  done
  echo "the AppHost did not stop within ${STOP_TIMEOUT}s; killing its process group" >&2
  kill -KILL -- "-$apphost_group" 2>/dev/null || true
}
trap 'stop_apphost; exit 130' INT
trap 'stop_apphost; exit 143' TERM
while kill -0 -- "-$apphost_group" 2>/dev/null; do
  sleep 1 & wait $! || true # wait returns at once when a signal arrives, so the trap runs without delay
done
