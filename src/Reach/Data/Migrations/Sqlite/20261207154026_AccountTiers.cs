using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountTiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TierReason",
                table: "Accounts",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TierSetByHand",
                table: "Accounts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // A tier an account has already came from a person or an import: routing keeps it (Reach.Routing.HandSetTier).
            migrationBuilder.Sql("""UPDATE Accounts SET TierSetByHand = 1, TierReason = 'set by hand' WHERE Tier IS NOT NULL""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TierReason",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "TierSetByHand",
                table: "Accounts");
        }
    }
}
