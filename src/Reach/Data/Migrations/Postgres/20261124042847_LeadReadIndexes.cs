using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeadReadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ReceivedAt",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_ReceivedAt_Covering",
                table: "Leads",
                columns: new[] { "OwnerId", "ReceivedAt", "DeletedAt", "ConvertedDealId", "ConvertedAccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ReceivedAt_Covering",
                table: "Leads",
                columns: new[] { "ReceivedAt", "DeletedAt", "OwnerId", "ConvertedDealId", "ConvertedAccountId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_ReceivedAt_Covering",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ReceivedAt_Covering",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId",
                table: "Leads",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ReceivedAt",
                table: "Leads",
                column: "ReceivedAt");
        }
    }
}
