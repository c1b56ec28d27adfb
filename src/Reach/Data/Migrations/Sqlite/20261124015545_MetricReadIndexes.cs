using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricReadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deals_OwnerId",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_Status",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Activities_LeadId",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_OwnerId_ClosedAt_Covering",
                table: "Deals",
                columns: new[] { "OwnerId", "ClosedAt", "Status", "DeletedAt", "Channel", "Kind", "Amount", "Currency", "AccountId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Deals_OwnerId_CreatedAt_Covering",
                table: "Deals",
                columns: new[] { "OwnerId", "CreatedAt", "DeletedAt", "Channel", "Kind", "Amount", "Currency", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_Deals_Status_ClosedAt_Covering",
                table: "Deals",
                columns: new[] { "Status", "ClosedAt", "DeletedAt", "Channel", "Kind", "Amount", "Currency", "CreatedAt", "OwnerId", "AccountId", "Name", "Id", "ExpectedClose", "StageId", "LostReason" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_LeadId_OccurredAt_Type_DeletedAt",
                table: "Activities",
                columns: new[] { "LeadId", "OccurredAt", "Type", "DeletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OwnerId_OccurredAt_Type_DueAt_CompletedAt_DealId_AccountId_DeletedAt",
                table: "Activities",
                columns: new[] { "OwnerId", "OccurredAt", "Type", "DueAt", "CompletedAt", "DealId", "AccountId", "DeletedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deals_OwnerId_ClosedAt_Covering",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_OwnerId_CreatedAt_Covering",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_Status_ClosedAt_Covering",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Activities_LeadId_OccurredAt_Type_DeletedAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_OwnerId_OccurredAt_Type_DueAt_CompletedAt_DealId_AccountId_DeletedAt",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_OwnerId",
                table: "Deals",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_Status",
                table: "Deals",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_LeadId",
                table: "Activities",
                column: "LeadId");
        }
    }
}
