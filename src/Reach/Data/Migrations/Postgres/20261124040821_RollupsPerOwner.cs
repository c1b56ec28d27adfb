using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RollupsPerOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The stored rollups were the workspace's only: emptied, so the next refresh builds them again with each
            // owner's rows (figures are computed live until then).
            migrationBuilder.Sql("DELETE FROM \"MetricRollups\"");
            migrationBuilder.Sql("DELETE FROM \"MetricRollupDays\"");

            migrationBuilder.DropIndex(
                name: "IX_MetricRollups_Measure_Day",
                table: "MetricRollups");

            migrationBuilder.AddColumn<Guid>(
                name: "OwnerId",
                table: "MetricRollups",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day",
                table: "MetricRollups",
                columns: new[] { "OwnerId", "Measure", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MetricRollups_OwnerId_Measure_Day",
                table: "MetricRollups");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "MetricRollups");

            migrationBuilder.CreateIndex(
                name: "IX_MetricRollups_Measure_Day",
                table: "MetricRollups",
                columns: new[] { "Measure", "Day" });
        }
    }
}
