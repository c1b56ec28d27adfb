using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RollupProposals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stored rows had no proposals: emptied, so the next refresh builds them again (figures are computed live until then).
            migrationBuilder.Sql("DELETE FROM \"MetricRollups\"");
            migrationBuilder.Sql("DELETE FROM \"MetricRollupDays\"");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
