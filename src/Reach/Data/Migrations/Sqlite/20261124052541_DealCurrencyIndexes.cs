using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DealCurrencyIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Deals_Currency_CreatedAt",
                table: "Deals",
                columns: new[] { "Currency", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Deals_Currency_Status_ClosedAt",
                table: "Deals",
                columns: new[] { "Currency", "Status", "ClosedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deals_Currency_CreatedAt",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_Currency_Status_ClosedAt",
                table: "Deals");
        }
    }
}
