using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetryFromTheFailedNode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "reused_from",
                table: "node_executions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "retry_of",
                table: "executions",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "reused_from",
                table: "node_executions");

            migrationBuilder.DropColumn(
                name: "retry_of",
                table: "executions");
        }
    }
}
