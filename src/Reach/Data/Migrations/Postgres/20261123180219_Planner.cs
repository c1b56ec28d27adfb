using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Planner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DeadZone",
                table: "Leads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "ExpectedAcv",
                table: "Leads",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RouteAction",
                table: "Leads",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RouteReason",
                table: "Leads",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RoutedChannel",
                table: "Leads",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Segment",
                table: "Leads",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DeadZone",
                table: "Accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<decimal>(
                name: "ExpectedAcv",
                table: "Accounts",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RouteAction",
                table: "Accounts",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RouteReason",
                table: "Accounts",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RoutedChannel",
                table: "Accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Segment",
                table: "Accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PlanVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Yaml = table.Column<string>(type: "text", nullable: false),
                    AuthorId = table.Column<Guid>(type: "uuid", nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanVersions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_RoutedChannel",
                table: "Leads",
                column: "RoutedChannel");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_Segment",
                table: "Leads",
                column: "Segment");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_RoutedChannel",
                table: "Accounts",
                column: "RoutedChannel");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Segment",
                table: "Accounts",
                column: "Segment");

            migrationBuilder.CreateIndex(
                name: "IX_PlanVersions_Active",
                table: "PlanVersions",
                column: "IsActive",
                unique: true,
                filter: "\"IsActive\"");

            migrationBuilder.CreateIndex(
                name: "IX_PlanVersions_CreatedAt",
                table: "PlanVersions",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlanVersions");

            migrationBuilder.DropIndex(
                name: "IX_Leads_RoutedChannel",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_Segment",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_RoutedChannel",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Segment",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "DeadZone",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ExpectedAcv",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RouteAction",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RouteReason",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RoutedChannel",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Segment",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "DeadZone",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "ExpectedAcv",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RouteAction",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RouteReason",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "RoutedChannel",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "Segment",
                table: "Accounts");
        }
    }
}
