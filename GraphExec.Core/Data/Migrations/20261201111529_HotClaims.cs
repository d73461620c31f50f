using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GraphExec.Core.Data.Migrations
{
    /// <summary>
    /// Makes the claim (Queued to Running) a HOT update: the indexes that held the status hold <c>finished_status</c>
    /// instead (stored, computed from the status, null while Queued or Running), and the executions' partitions keep a
    /// tenth of each page free for the new version of a row (<c>fillfactor</c> 90; the Scheduler's partition job makes new
    /// partitions so). Adding a stored column rewrites every partition under an exclusive lock: on a large database, run it
    /// in a maintenance window.
    /// </summary>
    public partial class HotClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_graph_id_status_id",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_status_id",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "ix_executions_unfinished",
                table: "executions");

            migrationBuilder.AddColumn<short>(
                name: "finished_status",
                table: "executions",
                type: "smallint",
                nullable: true,
                computedColumnSql: "CASE WHEN status IN (0, 1) THEN NULL ELSE status END",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_finished_status_id",
                table: "executions",
                columns: new[] { "owner_id", "finished_status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_graph_id_finished_status_id",
                table: "executions",
                columns: new[] { "owner_id", "graph_id", "finished_status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_unfinished",
                table: "executions",
                column: "queued_at",
                filter: "finished_status IS NULL");

            migrationBuilder.Sql(Fillfactor("SET (fillfactor = 90)"));
        }

        /// <summary>Sets (or resets) a storage parameter of every partition of <c>executions</c>: the parent has no pages.</summary>
        private static string Fillfactor(string change) => $$"""
            DO $fillfactor$
            DECLARE
                partition regclass;
            BEGIN
                FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'executions'::regclass LOOP
                    EXECUTE format('ALTER TABLE %s {{change}}', partition);
                END LOOP;
            END
            $fillfactor$;
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Fillfactor("RESET (fillfactor)"));

            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_finished_status_id",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "ix_executions_owner_id_graph_id_finished_status_id",
                table: "executions");

            migrationBuilder.DropIndex(
                name: "ix_executions_unfinished",
                table: "executions");

            migrationBuilder.DropColumn(
                name: "finished_status",
                table: "executions");

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_graph_id_status_id",
                table: "executions",
                columns: new[] { "owner_id", "graph_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_owner_id_status_id",
                table: "executions",
                columns: new[] { "owner_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_executions_unfinished",
                table: "executions",
                columns: new[] { "status", "queued_at" },
                filter: "status IN (0, 1)");
        }
    }
}
