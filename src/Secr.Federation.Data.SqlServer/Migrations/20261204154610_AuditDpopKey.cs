using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditDpopKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastBearerUseAt",
                table: "MachineTokens",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastBearerUseAt",
                table: "Bindings",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DpopKey",
                table: "AuditRecords",
                type: "nvarchar(43)",
                maxLength: 43,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastBearerUseAt",
                table: "Agents",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastBearerUseAt",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "LastBearerUseAt",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "DpopKey",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "LastBearerUseAt",
                table: "Agents");
        }
    }
}
