using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class OwnerSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "owner_slots",
                columns: table => new
                {
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    running = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_owner_slots", x => x.owner_id);
                });

            // Executions running at migration time (status 1, Running) hold their slots: the counters start from them.
            migrationBuilder.Sql("""
                INSERT INTO owner_slots (owner_id, running)
                SELECT owner_id, count(*) FROM executions WHERE status = 1 GROUP BY owner_id
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "owner_slots");
        }
    }
}
