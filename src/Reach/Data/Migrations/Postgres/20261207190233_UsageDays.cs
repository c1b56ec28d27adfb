using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageDays",
                columns: table => new
                {
                    AccountId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    UserKey = table.Column<string>(type: "character varying(330)", maxLength: 330, nullable: false),
                    FirstAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageDays", x => new { x.AccountId, x.Day, x.UserKey });
                    table.ForeignKey(
                        name: "FK_UsageDays_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The rollup of the events stored so far (UsageDay.RollUpSql's statement as of this migration).
            migrationBuilder.Sql("""
                INSERT INTO "UsageDays" ("AccountId", "Day", "UserKey", "FirstAt", "LastAt")
                SELECT "AccountId", ("OccurredAt" AT TIME ZONE 'UTC')::date, "UserKey", MIN("OccurredAt"), MAX("OccurredAt") FROM "UsageEvents"
                WHERE "AccountId" IS NOT NULL
                GROUP BY "AccountId", ("OccurredAt" AT TIME ZONE 'UTC')::date, "UserKey";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageDays");
        }
    }
}
