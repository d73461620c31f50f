using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "error_graph_id",
                table: "graphs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "notify",
                table: "executions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "notification_endpoints",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    events = table.Column<short[]>(type: "smallint[]", nullable: false),
                    secret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_endpoints", x => new { x.owner_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_executions_notify",
                table: "executions",
                column: "finished_at",
                filter: "notify");

            migrationBuilder.CreateIndex(
                name: "ix_notification_endpoints_owner_id_graph_id_id",
                table: "notification_endpoints",
                columns: new[] { "owner_id", "graph_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_endpoints");

            migrationBuilder.DropIndex(
                name: "ix_executions_notify",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "error_graph_id",
                table: "graphs");

            migrationBuilder.DropColumn(
                name: "notify",
                table: "executions");
        }
    }
}
