using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Quotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "pinned",
                table: "graph_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "size_bytes",
                table: "graph_versions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "owner_usage",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    graphs = table.Column<int>(type: "integer", nullable: false),
                    webhooks = table.Column<int>(type: "integer", nullable: false),
                    schedules = table.Column<int>(type: "integer", nullable: false),
                    stored_bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_owner_usage", x => x.owner_id);
                });

            // What is stored already: sizes as PostgreSQL prints the jsonb (new versions count the text as saved), the
            // versions that saved graphs call, and every owner's counts.
            migrationBuilder.Sql("UPDATE graph_versions SET size_bytes = octet_length(definition::text);");
            migrationBuilder.Sql("""
                UPDATE graph_versions v SET pinned = true
                FROM (
                    SELECT DISTINCT gv.owner_id, (n->'config'->>'graph')::uuid AS graph_id, (n->'config'->>'version')::int AS version
                    FROM graph_versions gv, jsonb_array_elements(gv.definition->'nodes') AS n
                    WHERE n->>'block' IN ('subgraph', 'foreach')
                      AND n->'config'->>'graph' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                      AND n->'config'->>'version' ~ '^[0-9]{1,9}$') AS c
                WHERE v.owner_id = c.owner_id AND v.graph_id = c.graph_id AND v.version = c.version;
                """);
            migrationBuilder.Sql("""
                INSERT INTO owner_usage (owner_id, graphs, webhooks, schedules, stored_bytes)
                SELECT owner_id, sum(graphs), sum(webhooks), sum(schedules), sum(stored_bytes)
                FROM (
                    SELECT owner_id, count(*) FILTER (WHERE deleted_at IS NULL) AS graphs, 0 AS webhooks, 0 AS schedules, 0 AS stored_bytes
                    FROM graphs GROUP BY owner_id
                    UNION ALL SELECT owner_id, 0, count(*), 0, 0 FROM webhooks GROUP BY owner_id
                    UNION ALL SELECT owner_id, 0, 0, count(*), 0 FROM schedules GROUP BY owner_id
                    UNION ALL SELECT owner_id, 0, 0, 0, sum(size_bytes) FROM graph_versions GROUP BY owner_id) AS counted
                GROUP BY owner_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "owner_usage");

            migrationBuilder.DropColumn(
                name: "pinned",
                table: "graph_versions");

            migrationBuilder.DropColumn(
                name: "size_bytes",
                table: "graph_versions");
        }
    }
}
