using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    GrantId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    IdentityType = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IdentityId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RevokedAtTicks = table.Column<long>(type: "bigint", nullable: false),
                    KeepUntilTicks = table.Column<long>(type: "bigint", nullable: false)
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
