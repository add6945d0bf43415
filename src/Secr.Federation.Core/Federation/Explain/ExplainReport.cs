using Secr.Federation.Core.Federation.Bindings;

namespace Secr.Federation.Core.Federation.Explain;

/// <summary>
/// Why a token would or would not be accepted: the authentication checks, then binding by binding and condition by
/// condition. Admin-only: it shows expected and actual values.
/// </summary>
public sealed record ExplainReport(
    bool Accepted,
    string? Issuer,
    ExplainAuthentication Authentication,
    IReadOnlyList<ExplainBinding> Bindings,
    string? SelectedBinding,
    string? RefusalCode,
    string Summary);

/// <param name="Checked">False when only claims were posted: signature and times were not checked.</param>
public sealed record ExplainAuthentication(bool Checked, bool Passed, string? Code, string? Detail);

public sealed record ExplainBinding(string Name, bool Enabled, bool Matched, IReadOnlyList<ConditionResult> Conditions);
