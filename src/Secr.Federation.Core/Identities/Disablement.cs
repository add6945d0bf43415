namespace Secr.Federation.Core.Identities;

/// <summary>
/// Who disabled a machine token or agent, in what capacity (<see cref="Reason"/>) and when. It decides who may enable
/// it again: containment by an admin or a policy is lifted only by an admin, and a member lifts only a brownout they
/// put on themselves, so a member cannot undo an incident response on an identity they own.
/// </summary>
/// <param name="By">A user's id, or <see cref="AutoDisablePolicy"/>.</param>
public sealed record Disablement(string By, string Reason, DateTimeOffset At)
{
    /// <summary>A member disabled an identity they own.</summary>
    public const string Owner = "owner";

    /// <summary>An admin disabled it: by hand, in the console or with a remediation fix.</summary>
    public const string Admin = "admin";

    /// <summary>The <c>auto-disable</c> policy found it unused.</summary>
    public const string AutoDisable = "auto-disable";

    /// <summary>An admin offboarded its owner with "disable" (<see cref="By"/> is that admin).</summary>
    public const string Offboarding = "offboarding";

    /// <summary>A secret scanner reported its value leaked (<see cref="By"/> is the reporter), under <c>leak-response=disable</c>.</summary>
    public const string Leak = "leak";

    public const string AutoDisablePolicy = "policy:auto-disable";

    /// <summary>
    /// Whether the person <paramref name="userId"/> may enable again what <paramref name="disablement"/> disabled. One
    /// disabled before this was recorded (null) or with a reason this version does not know is an admin's to lift.
    /// </summary>
    public static bool MayLift(Disablement? disablement, string? userId, bool isAdmin) =>
        isAdmin || disablement is { Reason: Owner } own && userId is not null && own.By == userId;

    /// <summary>Why only an admin may enable <paramref name="what"/> again, naming who disabled it (<paramref name="byName"/>: a person's email).</summary>
    public static string AdminOnly(Disablement? disablement, string? byName, string what) => $"{what} was disabled " + disablement switch
    {
        null => "before who disabled it was recorded",
        { Reason: AutoDisable } d => $"by the auto-disable policy (unused) at {d.At:O}",
        { Reason: Offboarding } d => $"when its owner was offboarded, by admin {byName ?? d.By} at {d.At:O}",
        { Reason: Leak } d => $"because {byName ?? d.By} reported its value leaked at {d.At:O}",
        { Reason: Admin } d => $"by admin {byName ?? d.By} at {d.At:O}",
        var d => $"by {byName ?? d.By} ({d.Reason}) at {d.At:O}",
    } + "; only an admin can enable it again";
}
