using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ExecutionListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_graph_id_status_id",
                table: "executions",
                columns: new[] { "owner_id", "graph_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_trigger_id",
                table: "executions",
                columns: new[] { "owner_id", "trigger", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_graph_id_status_id",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_trigger_id",
                table: "executions");
        }
    }
}
