using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class IdentityEnabledAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EnabledAt",
                table: "MachineTokens",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EnabledAt",
                table: "Bindings",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EnabledAt",
                table: "Agents",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EnabledAt",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "EnabledAt",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "EnabledAt",
                table: "Agents");
        }
    }
}
