using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Migrations
{
    /// <inheritdoc />
    public partial class GrantRevocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RevokedGrants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GrantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IdentityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RevokedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    KeepUntilTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevokedGrants", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RevokedGrants_GrantId",
                table: "RevokedGrants",
                column: "GrantId");

            migrationBuilder.CreateIndex(
                name: "IX_RevokedGrants_IdentityType_IdentityId",
                table: "RevokedGrants",
                columns: new[] { "IdentityType", "IdentityId" });

            migrationBuilder.CreateIndex(
                name: "IX_RevokedGrants_KeepUntilTicks",
                table: "RevokedGrants",
                column: "KeepUntilTicks");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RevokedGrants");
        }
    }
}
