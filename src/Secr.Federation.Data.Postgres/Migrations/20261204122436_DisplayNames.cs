using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DisplayNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "OrganisationSettings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisplayName",
                table: "MachineTokens",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisplayName",
                table: "Bindings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisplayName",
                table: "Agents",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Name",
                table: "OrganisationSettings");

            migrationBuilder.DropColumn(
                name: "DisplayName",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "DisplayName",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "DisplayName",
                table: "Agents");
        }
    }
}
