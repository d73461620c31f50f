#!/usr/bin/env bash
# Load with faults, on 127.0.0.1 only: a set of servers of its own (folder .servers-fault, ports 10 above the usual
# ones) so that restarting them disturbs nobody; the services as child processes (Release builds) on a database,
# virtual host and key prefix of their own. While signed webhooks arrive at a fixed rate, a worker is SIGKILLed every
# few seconds, RabbitMQ is restarted once and PostgreSQL once; then it checks that every accepted trigger has exactly
# one execution, every execution ended, and no node with a recorded completion ran twice. It stops the servers it
# started when it ends. Exit code 0 only when 0 were lost, duplicated or stuck.
# Usage: bench/fault.sh [--triggers 5000] [--rate 100] [--workers 3] [--kill-every 5] [--markdown docs/performance.md] [--label text]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../eng/common.sh"
cd "$REPO_ROOT"
require_dotnet

export GRAPHEXEC_SERVERS_DIR=$REPO_ROOT/.servers-fault GRAPHEXEC_TEST_SERVERS=local
export GRAPHEXEC_PG_PORT=5442 GRAPHEXEC_REDIS_PORT=6389 GRAPHEXEC_RABBITMQ_PORT=5682 GRAPHEXEC_RABBITMQ_MGMT_PORT=15682 \
  GRAPHEXEC_RABBITMQ_DIST_PORT=25682 GRAPHEXEC_EPMD_PORT=4379 GRAPHEXEC_AZURITE_PORT=10010
trap stop_servers_started_here EXIT
ensure_local_servers

for project in GraphExec.Api GraphExec.Webhooks GraphExec.Scheduler GraphExec.Worker bench/GraphExec.Load; do
  dotnet build -c Release "$project" -nologo -clp:ErrorsOnly >/dev/null
done
dotnet bench/GraphExec.Load/bin/Release/net10.0/GraphExec.Load.dll fault "$@"
