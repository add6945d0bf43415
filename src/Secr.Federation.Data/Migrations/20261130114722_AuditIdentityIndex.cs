using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditIdentityIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_IdentityId_Timestamp",
                table: "AuditRecords",
                columns: new[] { "IdentityId", "Timestamp" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_IdentityId_Timestamp",
                table: "AuditRecords");
        }
    }
}
