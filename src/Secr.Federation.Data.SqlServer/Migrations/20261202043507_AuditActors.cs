using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditActors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecretAllowlist",
                table: "MachineTokens",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorId",
                table: "AuditRecords",
                type: "nvarchar(450)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorName",
                table: "AuditRecords",
                type: "nvarchar(450)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorType",
                table: "AuditRecords",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_ActorId_Id",
                table: "AuditRecords",
                columns: new[] { "ActorId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_ActorName_Id",
                table: "AuditRecords",
                columns: new[] { "ActorName", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_ActorId_Id",
                table: "AuditRecords");

            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_ActorName_Id",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "SecretAllowlist",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "ActorId",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "ActorName",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "ActorType",
                table: "AuditRecords");
        }
    }
}
