using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RollupTouchesUntil : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stored touches of days not over counted every touch of the day, future ones too: emptied, so the next
            // refresh builds them again up to its clock (figures are computed live until then).
            migrationBuilder.Sql("DELETE FROM \"MetricRollups\"");
            migrationBuilder.Sql("DELETE FROM \"MetricRollupDays\"");

            migrationBuilder.AddColumn<DateTime>(
                name: "TouchesUntil",
                table: "MetricRollupDays",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TouchesUntil",
                table: "MetricRollupDays");
        }
    }
}
