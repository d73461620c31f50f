#!/usr/bin/env bash
# Accepted signed webhooks per second for one Webhooks instance on this machine, on 127.0.0.1 only.
# Starts the Webhooks service (Release) on a database, virtual host and key prefix of its own on eng/servers.sh's
# servers, stores a Greeting graph and a webhook, sends one delivery signed with curl + openssl exactly as the README
# shows, then runs bench/GraphExec.WebhookThroughput; removes everything it made when it ends.
# Usage: bench/webhooks.sh [deliveries=5000] [concurrency=32]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../eng/common.sh"
cd "$REPO_ROOT"
require_dotnet
deliveries=${1:-5000}
concurrency=${2:-32}
port=${GRAPHEXEC_BENCH_WEBHOOKS_PORT:-5102}

eval "$(eng/servers.sh env)"
field() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$ConnectionStrings__graphexec"; }
export PGHOST=$(field Host) PGPORT=$(field Port) PGUSER=$(field Username) PGPASSWORD=$(field Password)
amqp_auth=$(sed -E 's#amqp://([^@]*)@.*#\1#' <<<"$ConnectionStrings__rabbitmq")
redis_host=${ConnectionStrings__redis%%,*}
redis_password=$(sed -n 's/.*password=\([^,]*\).*/\1/p' <<<"$ConnectionStrings__redis")

name=gx_whbench_$(date +%s)
service_pid=
cleanup() {
  [[ -n $service_pid ]] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null || true
  curl -s -u "$(printf '%b' "${amqp_auth//%/\\x}")" -X DELETE "$RabbitMQ__ManagementUri/api/vhosts/$name" >/dev/null || true
  REDISCLI_AUTH=$redis_password redis-cli -h "${redis_host%:*}" -p "${redis_host#*:}" --scan --pattern "$name:*" 2>/dev/null \
    | xargs -r env REDISCLI_AUTH="$redis_password" redis-cli -h "${redis_host%:*}" -p "${redis_host#*:}" del >/dev/null || true
}
trap cleanup EXIT

psql -q -d postgres -c "CREATE DATABASE \"$name\"" >/dev/null
auth=$(printf '%b' "${amqp_auth//%/\\x}")
curl -sf -u "$auth" -X PUT "$RabbitMQ__ManagementUri/api/vhosts/$name" >/dev/null
curl -sf -u "$auth" -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
  "$RabbitMQ__ManagementUri/api/permissions/$name/${auth%%:*}" >/dev/null

dotnet build -c Release GraphExec.Webhooks -nologo -clp:ErrorsOnly >/dev/null
dotnet build -c Release bench/GraphExec.WebhookThroughput -nologo -clp:ErrorsOnly >/dev/null
ConnectionStrings__graphexec="$ConnectionStrings__graphexec;Database=$name" \
ConnectionStrings__rabbitmq="${ConnectionStrings__rabbitmq%/}/$name" \
Cache__KeyPrefix="$name:" Webhooks__PermitsPerSecond=100000 Webhooks__Burst=100000 \
Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet GraphExec.Webhooks/bin/Release/net10.0/GraphExec.Webhooks.dll >"/tmp/$name.log" 2>&1 &
service_pid=$!
for _ in $(seq 120); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]] && break
  sleep 0.5
done

owner=$(cat /proc/sys/kernel/random/uuid) graph=$(cat /proc/sys/kernel/random/uuid) hook=$(cat /proc/sys/kernel/random/uuid)
SECRET="whsec_$(openssl rand -base64 32)"
psql -q -d "$name" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO graphs (owner_id, id, name, version, created_at, updated_at) VALUES ('$owner', '$graph', 'Greeting', 1, now(), now());
INSERT INTO graph_versions (owner_id, graph_id, version, definition, created_at) VALUES ('$owner', '$graph', 1,
  '{"name":"Greeting","nodes":[{"id":"who","block":"input","config":{"name":"who","default":"world"}},{"id":"greet","block":"template","config":{"template":"Hello, {{who}}!"}},{"id":"out","block":"output","config":{"name":"greeting"}}],"edges":[{"from":"who.value","to":"greet.who"},{"from":"greet.text","to":"out.value"}]}', now());
INSERT INTO webhooks (owner_id, id, graph_id, enabled, secret, scheme, created_at) VALUES ('$owner', '$hook', '$graph', true, '$SECRET', 0, now());
SQL
HOOK=http://127.0.0.1:$port/hooks/$hook

# The README's example, verbatim.
BODY='{"who":"Ada"}'
ID="msg_$(date +%s%N)"
TS=$(date +%s)
SIG=$(printf '%s' "$ID.$TS.$BODY" \
  | openssl dgst -sha256 -mac HMAC -macopt hexkey:"$(printf '%s' "${SECRET#whsec_}" | base64 -d | xxd -p -c 256)" -binary \
  | base64)
curl -s "$HOOK" -H 'Content-Type: application/json' \
  -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: v1,$SIG" \
  -d "$BODY" -w ' %{http_code}\n'

dotnet bench/GraphExec.WebhookThroughput/bin/Release/net10.0/GraphExec.WebhookThroughput.dll "$HOOK" "$SECRET" "$deliveries" "$concurrency" 60
