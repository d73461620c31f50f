#!/usr/bin/env bash
# The claim's cost with the status as an index key (table hot_before) and with the finished status instead (hot_after):
# pgbench runs, alternately, a script that inserts 8 executions, claims them and finishes them, each statement its own
# transaction, as the hot path does. Needs the local servers (eng/servers.sh up) and a database migrated by the app.
# Usage: bench/pgbench/hot-claims.sh [seconds per run, default 20] [rounds, default 2]
set -euo pipefail
seconds=${1:-20}
rounds=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
servers=${GRAPHEXEC_SERVERS_DIR:-$here/../../.servers}
connection=$(grep -o '"graphexec": "[^"]*' "$servers/connection-strings.json")
export PGPASSWORD=$(sed 's/.*Password=\([^;"]*\).*/\1/' <<< "$connection")
export PGOPTIONS="-c synchronous_commit=off -c client_min_messages=warning"
psql=(psql -h 127.0.0.1 -U postgres -d graphexec -qAt -v ON_ERROR_STOP=1)

"${psql[@]}" <<'SQL'
DROP TABLE IF EXISTS hot_before, hot_after;
CREATE SEQUENCE IF NOT EXISTS hot_claims_seq;
CREATE TABLE hot_before (LIKE executions INCLUDING DEFAULTS);
ALTER TABLE hot_before DROP COLUMN finished_status;
CREATE TABLE hot_after (LIKE executions INCLUDING DEFAULTS INCLUDING GENERATED) WITH (fillfactor = 90);
ALTER TABLE hot_before ADD PRIMARY KEY (owner_id, id);
ALTER TABLE hot_after ADD PRIMARY KEY (owner_id, id);
CREATE INDEX ON hot_before (owner_id, graph_id, id);
CREATE INDEX ON hot_before (owner_id, status, id);
CREATE INDEX ON hot_before (owner_id, trigger, id);
CREATE INDEX ON hot_before (owner_id, graph_id, status, id);
CREATE INDEX ON hot_before (status, queued_at) WHERE status IN (0, 1);
CREATE INDEX ON hot_after (owner_id, graph_id, id);
CREATE INDEX ON hot_after (owner_id, finished_status, id);
CREATE INDEX ON hot_after (owner_id, trigger, id);
CREATE INDEX ON hot_after (owner_id, graph_id, finished_status, id);
CREATE INDEX ON hot_after (queued_at) WHERE finished_status IS NULL;
SQL
for table in hot_before hot_after; do
    "${psql[@]}" -c "CREATE INDEX ON $table (owner_id, id) WHERE parked_at IS NOT NULL" \
        -c "CREATE INDEX ON $table (owner_id, id) WHERE has_blobs" -c "CREATE INDEX ON $table (owner_id, id) WHERE pinned" \
        -c "CREATE INDEX ON $table (finished_at) WHERE notify"
    keys="owner_id = ('00000000-0000-0000-0000-0000000000' || :owner)::uuid AND id IN (SELECT lpad(to_hex(g), 32, '0')::uuid FROM generate_series(:base, :base + 7) g)"
    cat > "/tmp/$table.sql" <<SQL
\set owner random(10, 29)
SELECT nextval('hot_claims_seq') * 8 AS base \gset
INSERT INTO $table (owner_id, id, graph_id, graph_version, trigger, trigger_ref, status, live, inputs, attempt, last_sequence, queued_at) SELECT ('00000000-0000-0000-0000-0000000000' || :owner)::uuid, lpad(to_hex(g), 32, '0')::uuid, '11111111-1111-1111-1111-111111111111', 1, 1, 'hook:' || g, 0, false, '{"name": "world"}', 0, 0, now() FROM generate_series(:base, :base + 7) g;
UPDATE $table SET status = 1, attempt = attempt + 1, lease_owner = 'worker-1-abcdef', lease_expires_at = now() + interval '30 s', started_at = coalesce(started_at, now()), parked_at = NULL WHERE $keys;
UPDATE $table SET status = 2, outputs = '{"greeting": "Hello, world!"}', finished_at = now(), last_sequence = 7, notify = false, lease_owner = NULL, lease_expires_at = NULL, parked_at = NULL WHERE $keys;
SQL
done

for round in $(seq "$rounds"); do
    for table in hot_before hot_after; do
        before=$("${psql[@]}" -c "SELECT pg_current_wal_lsn()")
        tps=$(pgbench -h 127.0.0.1 -U postgres -n -c 8 -j 2 -T "$seconds" -f "/tmp/$table.sql" graphexec 2>&1 | grep -oP '^tps = \K[0-9.]+')
        wal=$("${psql[@]}" -c "SELECT pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), '$before'))")
        sleep 1
        hot=$("${psql[@]}" -c "SELECT n_tup_upd || ' updates, ' || n_tup_hot_upd || ' HOT' FROM pg_stat_user_tables WHERE relname = '$table'")
        echo "round $round  $table  $tps transactions/s  WAL $wal  ($hot so far; load average $(cut -d' ' -f1 /proc/loadavg))"
    done
done
"${psql[@]}" -c "DROP TABLE hot_before, hot_after" -c "DROP SEQUENCE hot_claims_seq"
