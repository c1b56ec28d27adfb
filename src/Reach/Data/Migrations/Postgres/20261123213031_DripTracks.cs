using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Reach.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    Every = table.Column<int>(type: "integer", nullable: false),
                    Unit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    MinimumGapDays = table.Column<int>(type: "integer", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    WindowStartHour = table.Column<int>(type: "integer", nullable: false),
                    WindowEndHour = table.Column<int>(type: "integer", nullable: false),
                    AudienceTier = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    AudienceChannel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    AudienceSegment = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DripTracks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DripMember",
                columns: table => new
                {
                    TrackId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TrackId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TrackId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    PieceId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    MessageId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ActivityId = table.Column<Guid>(type: "uuid", nullable: true)
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
