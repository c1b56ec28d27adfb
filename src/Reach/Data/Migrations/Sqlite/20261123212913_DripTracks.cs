using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DripTracks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DripTracks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    Every = table.Column<int>(type: "INTEGER", nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    MinimumGapDays = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WindowStartHour = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowEndHour = table.Column<int>(type: "INTEGER", nullable: false),
                    AudienceTier = table.Column<string>(type: "TEXT", maxLength: 1, nullable: true),
                    AudienceChannel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    AudienceSegment = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DripTracks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DripMember",
                columns: table => new
                {
                    TrackId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DripMember", x => new { x.TrackId, x.ContactId });
                    table.ForeignKey(
                        name: "FK_DripMember_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DripMember_DripTracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "DripTracks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DripPiece",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DripPiece", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DripPiece_DripTracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "DripTracks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DripSends",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TrackId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PieceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ActivityId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DripSends", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DripSends_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DripSends_DripPiece_PieceId",
                        column: x => x.PieceId,
                        principalTable: "DripPiece",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DripSends_DripTracks_TrackId",
                        column: x => x.TrackId,
                        principalTable: "DripTracks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DripMember_ContactId",
                table: "DripMember",
                column: "ContactId");

            migrationBuilder.CreateIndex(
                name: "IX_DripPiece_TrackId_Position",
                table: "DripPiece",
                columns: new[] { "TrackId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DripSends_ContactId_DoneAt",
                table: "DripSends",
                columns: new[] { "ContactId", "DoneAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DripSends_MessageId",
                table: "DripSends",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_DripSends_PieceId",
                table: "DripSends",
                column: "PieceId");

            migrationBuilder.CreateIndex(
                name: "IX_DripSends_Status_DueAt",
                table: "DripSends",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DripSends_TrackId_ContactId_Position",
                table: "DripSends",
                columns: new[] { "TrackId", "ContactId", "Position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DripTracks_OwnerId",
                table: "DripTracks",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_DripTracks_UpdatedAt",
                table: "DripTracks",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DripMember");

            migrationBuilder.DropTable(
                name: "DripSends");

            migrationBuilder.DropTable(
                name: "DripPiece");

            migrationBuilder.DropTable(
                name: "DripTracks");
        }
    }
}
