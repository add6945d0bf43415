using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Secr.Federation.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PostureSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PostureSnapshots",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    TakenAt = table.Column<long>(type: "bigint", nullable: false),
                    Grade = table.Column<string>(type: "nvarchar(1)", maxLength: 1, nullable: true),
                    GradeA = table.Column<int>(type: "int", nullable: false),
                    GradeB = table.Column<int>(type: "int", nullable: false),
                    GradeC = table.Column<int>(type: "int", nullable: false),
                    GradeD = table.Column<int>(type: "int", nullable: false),
                    GradeF = table.Column<int>(type: "int", nullable: false),
                    Ungraded = table.Column<int>(type: "int", nullable: false),
                    Flagged = table.Column<int>(type: "int", nullable: false),
                    Nhi1 = table.Column<int>(type: "int", nullable: false),
                    Nhi2 = table.Column<int>(type: "int", nullable: false),
                    Nhi3 = table.Column<int>(type: "int", nullable: false),
                    Nhi4 = table.Column<int>(type: "int", nullable: false),
                    Nhi5 = table.Column<int>(type: "int", nullable: false),
                    Nhi6 = table.Column<int>(type: "int", nullable: false),
                    Nhi7 = table.Column<int>(type: "int", nullable: false),
                    Nhi8 = table.Column<int>(type: "int", nullable: false),
                    Nhi9 = table.Column<int>(type: "int", nullable: false),
                    Nhi10 = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostureSnapshots", x => x.Day);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostureSnapshots");
        }
    }
}
