using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Expansion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "DealSizeFactor",
                table: "WorkspaceSettings",
                type: "TEXT",
                precision: 6,
                scale: 2,
                nullable: false,
                defaultValue: 3m);

            migrationBuilder.AddColumn<int>(
                name: "ReferenceUsesPerQuarter",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DealSizeFactor",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "ReferenceUsesPerQuarter",
                table: "WorkspaceSettings");
        }
    }
}
