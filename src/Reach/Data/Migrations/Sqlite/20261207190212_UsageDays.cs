using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // As EF would create it, WITHOUT ROWID: the rows are stored once, in the key's order (account, day, user), which
            // is how the figures read them; a rowid table would keep them twice (the table and the key's index). The model
            // snapshot describes it as EF sees it.
            migrationBuilder.Sql("""
                CREATE TABLE "UsageDays" (
                    "AccountId" TEXT NOT NULL,
                    "Day" TEXT NOT NULL,
                    "UserKey" TEXT NOT NULL,
                    "FirstAt" TEXT NOT NULL,
                    "LastAt" TEXT NOT NULL,
                    CONSTRAINT "PK_UsageDays" PRIMARY KEY ("AccountId", "Day", "UserKey"),
                    CONSTRAINT "FK_UsageDays_Accounts_AccountId" FOREIGN KEY ("AccountId") REFERENCES "Accounts" ("Id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);
            // The rollup of the events stored so far (UsageDay.RollUpSql's statement as of this migration).
            migrationBuilder.Sql("""
                INSERT INTO "UsageDays" ("AccountId", "Day", "UserKey", "FirstAt", "LastAt")
                SELECT "AccountId", substr("OccurredAt", 1, 10), "UserKey", MIN("OccurredAt"), MAX("OccurredAt") FROM "UsageEvents"
                WHERE "AccountId" IS NOT NULL
                GROUP BY "AccountId", substr("OccurredAt", 1, 10), "UserKey";
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
