using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <summary>
    /// The closed deals by status, currency and amount (as a double: SQLite keeps decimals as text), for the largest
    /// won or lost of a period (a report's notable deals): an index on an expression, which the model cannot describe,
    /// so this migration is SQLite's alone. The reads name it (INDEXED BY): without statistics the planner prefers to
    /// read a period by date and sort it all.
    /// </summary>
    public partial class DealAmountIndex : Migration
    {
        public const string Name = "IX_Deals_Status_Currency_AmountReal";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""CREATE INDEX "{Name}" ON "Deals" ("Status", "Currency", CAST("Amount" AS REAL), "ClosedAt", "OwnerId", "DeletedAt");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: Name, table: "Deals");
        }
    }
}
