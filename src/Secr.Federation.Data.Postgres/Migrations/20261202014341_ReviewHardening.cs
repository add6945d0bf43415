using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReviewHardening : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DisabledAt",
                table: "MachineTokens",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledBy",
                table: "MachineTokens",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "MachineTokens",
                type: "text",
                nullable: true);

            // The records already stored were hashed before chain versions existed: version 1.
            migrationBuilder.AddColumn<int>(
                name: "ChainVersion",
                table: "AuditRecords",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "DisabledAt",
                table: "Agents",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledBy",
                table: "Agents",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "Agents",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "DisabledBy",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "DisabledReason",
                table: "MachineTokens");

            migrationBuilder.DropColumn(
                name: "ChainVersion",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "DisabledAt",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "DisabledBy",
                table: "Agents");

            migrationBuilder.DropColumn(
                name: "DisabledReason",
                table: "Agents");
        }
    }
}
