namespace Secr.Federation.Data.Governance;

/// <summary>
/// One UTC day's posture (<see cref="Core.Governance.Reporting.PostureSnapshot"/>): one row per day, the grade counts
/// and the flagged counts per OWASP NHI risk as columns, so an auditor can read them with plain SQL.
/// </summary>
public sealed class PostureSnapshotEntity
{
    public DateOnly Day { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public string? Grade { get; set; }
    public int GradeA { get; set; }
    public int GradeB { get; set; }
    public int GradeC { get; set; }
    public int GradeD { get; set; }
    public int GradeF { get; set; }
    public int Ungraded { get; set; }
    public int Flagged { get; set; }
    public int Nhi1 { get; set; }
    public int Nhi2 { get; set; }
    public int Nhi3 { get; set; }
    public int Nhi4 { get; set; }
    public int Nhi5 { get; set; }
    public int Nhi6 { get; set; }
    public int Nhi7 { get; set; }
    public int Nhi8 { get; set; }
    public int Nhi9 { get; set; }
    public int Nhi10 { get; set; }
}
