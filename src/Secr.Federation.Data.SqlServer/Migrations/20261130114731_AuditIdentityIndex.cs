using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditIdentityIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "IdentityId",
                table: "AuditRecords",
                type: "nvarchar(450)",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(max)",
                oldNullable: true);

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

            migrationBuilder.AlterColumn<string>(
                name: "IdentityId",
                table: "AuditRecords",
                type: "nvarchar(max)",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(450)",
                oldNullable: true);
        }
    }
}
