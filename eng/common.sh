# Shared by eng/run.sh and eng/test.sh: sourced, not run.

readonly REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "GraphExec needs the .NET 10 SDK (dotnet on PATH): https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 1
  fi
}

# True when the container runtime's engine answers; the CLI alone is not enough. Same probe as the AppHost's.
container_engine_answers() {
  local runtime=${ASPIRE_CONTAINER_RUNTIME:-docker}
  command -v "$runtime" >/dev/null 2>&1 && timeout 5 "$runtime" info --format '{{.ServerVersion}}' >/dev/null 2>&1
}

# Starts eng/servers.sh's servers unless they run; sets SERVERS_STARTED_HERE=1 when this call started them.
SERVERS_STARTED_HERE=0
ensure_local_servers() {
  if "$REPO_ROOT/eng/servers.sh" status >/dev/null 2>&1; then
    echo "servers: already running (eng/servers.sh status)"
  else
    "$REPO_ROOT/eng/servers.sh" up
    SERVERS_STARTED_HERE=1
  fi
}

stop_servers_started_here() {
  if [[ $SERVERS_STARTED_HERE == 1 ]]; then
    "$REPO_ROOT/eng/servers.sh" down || true
    SERVERS_STARTED_HERE=0
  fi
}
