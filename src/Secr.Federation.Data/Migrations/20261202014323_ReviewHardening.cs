using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Migrations
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledBy",
                table: "MachineTokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "MachineTokens",
                type: "TEXT",
                nullable: true);

            // The records already stored were hashed before chain versions existed: version 1.
            migrationBuilder.AddColumn<int>(
                name: "ChainVersion",
                table: "AuditRecords",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "DisabledAt",
                table: "Agents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledBy",
                table: "Agents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DisabledReason",
                table: "Agents",
                type: "TEXT",
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
