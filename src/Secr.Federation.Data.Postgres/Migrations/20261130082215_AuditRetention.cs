using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AuditRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PrunedThroughHash",
                table: "AuditChainHeads",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "PrunedThroughSequence",
                table: "AuditChainHeads",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.UpdateData(
                table: "AuditChainHeads",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "PrunedThroughHash", "PrunedThroughSequence" },
                values: new object[] { "0000000000000000000000000000000000000000000000000000000000000000", 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PrunedThroughHash",
                table: "AuditChainHeads");

            migrationBuilder.DropColumn(
                name: "PrunedThroughSequence",
                table: "AuditChainHeads");
        }
    }
}
