using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlaybookDocuments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DealDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DealId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TemplateTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TemplateVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentTo = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DealDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DealDocuments_Deals_DealId",
                        column: x => x.DealId,
                        principalTable: "Deals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DealDocuments_PlaybookItems_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "PlaybookItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "WeeklyLogs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Week = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Worked = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    DidNotWork = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Insight = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WeeklyLogs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WeeklyLogs_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DealDocuments_DealId_CreatedAt",
                table: "DealDocuments",
                columns: new[] { "DealId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DealDocuments_TemplateId",
                table: "DealDocuments",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_WeeklyLogs_UserId_Week",
                table: "WeeklyLogs",
                columns: new[] { "UserId", "Week" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WeeklyLogs_Week",
                table: "WeeklyLogs",
                column: "Week");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DealDocuments");

            migrationBuilder.DropTable(
                name: "WeeklyLogs");
        }
    }
}
