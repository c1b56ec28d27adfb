using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboundLeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing workspaces get the documented targets (docs/leads.md), not 0-minute ones.
            migrationBuilder.AddColumn<int>(
                name: "FieldResponseMinutes",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 240);

            migrationBuilder.AddColumn<int>(
                name: "InsideResponseMinutes",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 15);

            migrationBuilder.AddColumn<int>(
                name: "SelfServiceResponseMinutes",
                table: "WorkspaceSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<bool>(
                name: "Away",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "AssignedAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EscalatedAt",
                table: "Leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tier",
                table: "Leads",
                type: "TEXT",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TierReason",
                table: "Leads",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TierSetByHand",
                table: "Leads",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FieldResponseMinutes",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "InsideResponseMinutes",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "SelfServiceResponseMinutes",
                table: "WorkspaceSettings");

            migrationBuilder.DropColumn(
                name: "Away",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "TierReason",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "TierSetByHand",
                table: "Leads");
        }
    }
}
