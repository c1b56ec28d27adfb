using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RollupCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day",
                table: "MetricRollups");

            migrationBuilder.CreateIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day_Covering",
                table: "MetricRollups",
                columns: new[] { "OwnerId", "Measure", "Day", "Channel", "Tier", "Kind", "Currency", "StageId", "Type", "Count", "Amount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day_Covering",
                table: "MetricRollups");

            migrationBuilder.CreateIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day",
                table: "MetricRollups",
                columns: new[] { "OwnerId", "Measure", "Day" });
        }
    }
}
