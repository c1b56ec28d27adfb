using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "UsageEmployeeSharePercent",
                table: "WorkspaceSettings",
                type: "TEXT",
                precision: 5,
                scale: 2,
                nullable: false,
                defaultValue: 5m);

            migrationBuilder.AddColumn<int>(
                name: "UsageWeeklyActiveUsers",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.CreateTable(
                name: "UsageCrossings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DealId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CrossedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DailyActiveUsers = table.Column<int>(type: "INTEGER", nullable: false),
                    WeeklyActiveUsers = table.Column<int>(type: "INTEGER", nullable: false),
                    MonthlyActiveUsers = table.Column<int>(type: "INTEGER", nullable: false),
                    Employees = table.Column<int>(type: "INTEGER", nullable: true),
                    EmployeeSharePercent = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: true),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageCrossings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageCrossings_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_UsageCrossings_Deals_DealId",
                        column: x => x.DealId,
                        principalTable: "Deals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "UsageEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 330, nullable: false),
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AccountHint = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Properties = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UsageEvents_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageCrossings_AccountId",
                table: "UsageCrossings",
                column: "AccountId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageCrossings_CrossedAt",
                table: "UsageCrossings",
                column: "CrossedAt");

            migrationBuilder.CreateIndex(
                name: "IX_UsageCrossings_DealId",
                table: "UsageCrossings",
                column: "DealId");

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_AccountId_OccurredAt_UserKey",
                table: "UsageEvents",
                columns: new[] { "AccountId", "OccurredAt", "UserKey" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_Domain_AccountId",
                table: "UsageEvents",
                columns: new[] { "Domain", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_EventId",
                table: "UsageEvents",
                column: "EventId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageCrossings");

            migrationBuilder.DropTable(
                name: "UsageEvents");

            migrationBuilder.DropColumn(
                name: "UsageEmployeeSharePercent",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "UsageWeeklyActiveUsers",
                table: "WorkspaceSettings");
        }
    }
}
