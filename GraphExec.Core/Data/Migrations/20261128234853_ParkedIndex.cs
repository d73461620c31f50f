using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class ParkedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_executions_parked",
                table: "executions",
                columns: new[] { "owner_id", "id" },
                filter: "parked_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_executions_parked",
                table: "executions");
        }
    }
}
