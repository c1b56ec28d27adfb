using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RollupValuesAndLeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stored rows had no values of their won deals nor rows of leads: emptied, so the next refresh builds them
            // again (figures are computed live until then).
            migrationBuilder.Sql("DELETE FROM \"MetricRollups\"");
            migrationBuilder.Sql("DELETE FROM \"MetricRollupDays\"");

            migrationBuilder.AddColumn<byte[]>(
                name: "Values",
                table: "MetricRollups",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedAccountId",
                table: "Leads",
                column: "ConvertedAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ConvertedDealId",
                table: "Leads",
                column: "ConvertedDealId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedAccountId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ConvertedDealId",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Values",
                table: "MetricRollups");
        }
    }
}
