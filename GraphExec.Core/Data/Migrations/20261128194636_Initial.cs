using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "executions",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_version = table.Column<int>(type: "integer", nullable: false),
                    trigger = table.Column<short>(type: "smallint", nullable: false),
                    trigger_ref = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    live = table.Column<bool>(type: "boolean", nullable: false),
                    inputs = table.Column<string>(type: "jsonb", nullable: false),
                    outputs = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "jsonb", nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_executions", x => new { x.owner_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "graph_versions",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    definition = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_graph_versions", x => new { x.owner_id, x.graph_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "graphs",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_graphs", x => new { x.owner_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "node_executions",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    execution_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    inputs = table.Column<string>(type: "jsonb", nullable: true),
                    outputs = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "jsonb", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_node_executions", x => new { x.owner_id, x.execution_id, x.node_id });
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    username = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    normalized_username = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_graph_id_id",
                table: "executions",
                columns: new[] { "owner_id", "graph_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_status_id",
                table: "executions",
                columns: new[] { "owner_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_trigger_trigger_ref",
                table: "executions",
                columns: new[] { "owner_id", "trigger", "trigger_ref" },
                unique: true,
                filter: "trigger_ref IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_executions_unfinished",
                table: "executions",
                columns: new[] { "status", "queued_at" },
                filter: "status IN (0, 1)");

            migrationBuilder.CreateIndex(
                name: "ix_users_normalized_username",
                table: "users",
                column: "normalized_username",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "executions");

            migrationBuilder.DropTable(
                name: "graph_versions");

            migrationBuilder.DropTable(
                name: "graphs");

            migrationBuilder.DropTable(
                name: "node_executions");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
