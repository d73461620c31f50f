using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <summary>
    /// Moves the one-execution-per-trigger-event guarantee to <c>execution_triggers</c> (filled with the last week's trigger
    /// refs, the default dedupe window), then turns <c>executions</c>, <c>node_executions</c> and <c>webhook_deliveries</c>
    /// into tables partitioned by range of their UUIDv7 id (docs/scaling.md). On a database that holds rows, each old
    /// table becomes the first partition, covering every id up to the end of today, so no row is copied; its indexes
    /// become the partitions' indexes under the same names as before. An empty one is dropped and made again. Then come
    /// the DEFAULT partition (a row outside every range is never refused) and daily partitions for a week ahead; the
    /// Scheduler's partition job keeps creating them from there.
    /// </summary>
    public partial class TimePartitions : Migration
    {
        /// <summary>The UUIDv7 of a time with zero random bits: the lowest id of that millisecond, a partition bound.</summary>
        private const string Uuid7FloorFunction = """
            CREATE FUNCTION uuid7_floor(at timestamptz) RETURNS uuid
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN (lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') || '00000000000000000000')::uuid;
            """;
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_trigger_trigger_ref",
                table: "executions");

            migrationBuilder.CreateTable(
                name: "execution_triggers",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<short>(type: "smallint", nullable: false),
                    trigger_ref = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    execution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_execution_triggers", x => new { x.owner_id, x.trigger, x.trigger_ref });
                });

            migrationBuilder.CreateIndex(
                name: "ix_execution_triggers_created_at",
                table: "execution_triggers",
                column: "created_at");

            migrationBuilder.Sql("""
                INSERT INTO execution_triggers (owner_id, trigger, trigger_ref, execution_id, created_at)
                SELECT owner_id, trigger, trigger_ref, id, queued_at FROM executions
                WHERE trigger_ref IS NOT NULL AND queued_at > now() - interval '7 days'
                ON CONFLICT DO NOTHING;
                """);

            migrationBuilder.Sql(Uuid7FloorFunction);
            migrationBuilder.Sql(Partition("executions", "id"));
            migrationBuilder.Sql(Partition("node_executions", "execution_id"));
            migrationBuilder.Sql(Partition("webhook_deliveries", "id"));
        }

        /// <summary>
        /// Turns <paramref name="table"/> into a table partitioned by range of <paramref name="key"/>, keeping its rows,
        /// columns, primary key and indexes (names included), with a DEFAULT partition and daily partitions up to a week
        /// ahead. The DEFAULT partition also gets an index on the key alone, for the partition job's moves and the
        /// retention job's scan of what it holds.
        /// </summary>
        private static string Partition(string table, string key) => $$"""
            DO $partition$
            DECLARE
                today timestamptz := date_trunc('day', now(), 'UTC');
                cutoff timestamptz := today + interval '1 day';
                first_day timestamptz := today;
                pk_name text;
                pk_def text;
                index_defs text[];
                index_def text;
                old_index text;
                old_table text := '{{table}}_before_' || to_char(cutoff AT TIME ZONE 'UTC', 'YYYYMMDD');
                day timestamptz;
                has_rows boolean;
            BEGIN
                SELECT conname, pg_get_constraintdef(oid) INTO pk_name, pk_def
                FROM pg_constraint WHERE conrelid = '{{table}}'::regclass AND contype = 'p';
                SELECT coalesce(array_agg(pg_get_indexdef(indexrelid)), '{}') INTO index_defs
                FROM pg_index WHERE indrelid = '{{table}}'::regclass AND NOT indisprimary;

                EXECUTE format('ALTER TABLE {{table}} RENAME TO %I', old_table);
                FOR old_index IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                                 WHERE i.indrelid = old_table::regclass LOOP
                    EXECUTE format('ALTER INDEX %I RENAME TO %I', old_index, left(old_index, 52) || '_before');
                END LOOP;

                EXECUTE format('CREATE TABLE {{table}} (LIKE %I INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION) PARTITION BY RANGE ({{key}})', old_table);
                CREATE TABLE {{table}}_default PARTITION OF {{table}} DEFAULT;

                EXECUTE format('SELECT EXISTS (SELECT FROM %I)', old_table) INTO has_rows;
                IF has_rows THEN
                    first_day := cutoff;
                END IF;
                day := first_day;
                WHILE day <= today + interval '7 days' LOOP
                    EXECUTE format('CREATE TABLE %I PARTITION OF {{table}} FOR VALUES FROM (%L) TO (%L)',
                        '{{table}}_p' || to_char(day AT TIME ZONE 'UTC', 'YYYYMMDD'), uuid7_floor(day), uuid7_floor(day + interval '1 day'));
                    day := day + interval '1 day';
                END LOOP;

                IF has_rows THEN
                    -- Ids past the end of today (a clock ahead) go to their day's partition, or to the DEFAULT one from
                    -- where the partition job moves them once it creates their day's.
                    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE {{key}} >= uuid7_floor($1) RETURNING *) INSERT INTO {{table}} SELECT * FROM moved', old_table)
                        USING cutoff;
                    EXECUTE format('ALTER TABLE {{table}} ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', old_table, uuid7_floor(cutoff));
                ELSE
                    EXECUTE format('DROP TABLE %I', old_table);
                END IF;

                -- Made on the parent after the attach, each finds the old table's matching index and adopts it: no build.
                EXECUTE format('ALTER TABLE {{table}} ADD CONSTRAINT %I %s', pk_name, pk_def);
                FOREACH index_def IN ARRAY index_defs LOOP
                    EXECUTE index_def;
                END LOOP;
                CREATE INDEX ix_{{table}}_default_{{key}} ON {{table}}_default ({{key}});
            END
            $partition$;
            """;

        /// <summary>Copies a partitioned table's rows into a plain one with the same columns, key and indexes.</summary>
        private static string Unpartition(string table) => $$"""
            DO $unpartition$
            DECLARE
                pk_name text;
                pk_def text;
                index_defs text[];
                index_def text;
            BEGIN
                SELECT conname, pg_get_constraintdef(oid) INTO pk_name, pk_def
                FROM pg_constraint WHERE conrelid = '{{table}}'::regclass AND contype = 'p';
                SELECT coalesce(array_agg(replace(pg_get_indexdef(indexrelid), ' ON ONLY ', ' ON ')), '{}') INTO index_defs
                FROM pg_index WHERE indrelid = '{{table}}'::regclass AND NOT indisprimary;

                ALTER TABLE {{table}} RENAME TO {{table}}_partitioned;
                CREATE TABLE {{table}} (LIKE {{table}}_partitioned INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION);
                INSERT INTO {{table}} SELECT * FROM {{table}}_partitioned;
                DROP TABLE {{table}}_partitioned;

                EXECUTE format('ALTER TABLE {{table}} ADD CONSTRAINT %I %s', pk_name, pk_def);
                FOREACH index_def IN ARRAY index_defs LOOP
                    EXECUTE index_def;
                END LOOP;
            END
            $unpartition$;
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Unpartition("webhook_deliveries"));
            migrationBuilder.Sql(Unpartition("node_executions"));
            migrationBuilder.Sql(Unpartition("executions"));
            migrationBuilder.Sql("DROP FUNCTION uuid7_floor(timestamptz);");

            migrationBuilder.DropTable(
                name: "execution_triggers");

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_trigger_trigger_ref",
                table: "executions",
                columns: new[] { "owner_id", "trigger", "trigger_ref" },
                unique: true,
                filter: "trigger_ref IS NOT NULL");
        }
    }
}
