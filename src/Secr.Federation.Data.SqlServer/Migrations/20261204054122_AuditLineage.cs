using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditLineage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Lineage",
                table: "AuditRecords",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Run",
                table: "AuditRecords",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_Run_Id",
                table: "AuditRecords",
                columns: new[] { "Run", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_Run_Id",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "Lineage",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "Run",
                table: "AuditRecords");
        }
    }
}
