using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Reach.Data.Migrations.Postgres
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
                type: "numeric(5,2)",
                precision: 5,
                scale: 2,
                nullable: false,
                defaultValue: 5m);

            migrationBuilder.AddColumn<int>(
                name: "UsageWeeklyActiveUsers",
                table: "WorkspaceSettings",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.CreateTable(
                name: "UsageCrossings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    DealId = table.Column<Guid>(type: "uuid", nullable: true),
                    CrossedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DailyActiveUsers = table.Column<int>(type: "integer", nullable: false),
                    WeeklyActiveUsers = table.Column<int>(type: "integer", nullable: false),
                    MonthlyActiveUsers = table.Column<int>(type: "integer", nullable: false),
                    Employees = table.Column<int>(type: "integer", nullable: true),
                    EmployeeSharePercent = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: true),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    Rule = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Evidence = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UserKey = table.Column<string>(type: "character varying(330)", maxLength: 330, nullable: false),
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    AccountId = table.Column<Guid>(type: "uuid", nullable: true),
                    AccountHint = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Properties = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
