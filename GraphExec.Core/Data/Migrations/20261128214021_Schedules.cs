using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "sweeps",
                table: "executions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "swept_at",
                table: "executions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cron = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    inputs = table.Column<string>(type: "jsonb", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    overlap = table.Column<short>(type: "smallint", nullable: false),
                    misfire = table.Column<short>(type: "smallint", nullable: false),
                    next_fire_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_fire_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_execution_id = table.Column<Guid>(type: "uuid", nullable: true),
                    fired_count = table.Column<long>(type: "bigint", nullable: false),
                    skipped_count = table.Column<long>(type: "bigint", nullable: false),
                    missed_count = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => new { x.owner_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_schedules_due",
                table: "schedules",
                column: "next_fire_at",
                filter: "enabled AND next_fire_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_schedules_owner_id_graph_id_id",
                table: "schedules",
                columns: new[] { "owner_id", "graph_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropColumn(
                name: "sweeps",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "swept_at",
                table: "executions");
        }
    }
}
