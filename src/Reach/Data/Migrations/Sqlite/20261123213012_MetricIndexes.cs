using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Leads_ReceivedAt",
                table: "Leads",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_CreatedAt",
                table: "Deals",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_Status",
                table: "Deals",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_DealStageChanges_ToStageId_At",
                table: "DealStageChanges",
                columns: new[] { "ToStageId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OccurredAt_Type_DueAt_CompletedAt_OwnerId_DealId_AccountId_DeletedAt",
                table: "Activities",
                columns: new[] { "OccurredAt", "Type", "DueAt", "CompletedAt", "OwnerId", "DealId", "AccountId", "DeletedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_ReceivedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Deals_CreatedAt",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_Status",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_DealStageChanges_ToStageId_At",
                table: "DealStageChanges");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OccurredAt_Type_DueAt_CompletedAt_OwnerId_DealId_AccountId_DeletedAt",
                table: "Activities");
        }
    }
}
