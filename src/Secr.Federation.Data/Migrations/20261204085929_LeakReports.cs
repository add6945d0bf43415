using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeakReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LeakReports",
                columns: table => new
                {
                    Digest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentityId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reporter = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TokenType = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Response = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeakReports", x => x.Digest);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeakReports_IdentityType_IdentityId",
                table: "LeakReports",
                columns: new[] { "IdentityType", "IdentityId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeakReports");
        }
    }
}
