using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <summary>
    /// Each user's retention (30 days unless they choose otherwise) and pinned executions, with the indexes that let the
    /// retention job find the few of either without scanning a partition or the users.
    /// </summary>
    public partial class Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "retention_days",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 30);

            migrationBuilder.AddColumn<bool>(
                name: "pinned",
                table: "executions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_users_retention_days",
                table: "users",
                column: "retention_days");

            migrationBuilder.CreateIndex(
                name: "ix_executions_pinned",
                table: "executions",
                columns: new[] { "owner_id", "id" },
                filter: "pinned");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_users_retention_days",
                table: "users");

            migrationBuilder.DropIndex(
                name: "ix_executions_pinned",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "retention_days",
                table: "users");

            migrationBuilder.DropColumn(
                name: "pinned",
                table: "executions");
        }
    }
}
