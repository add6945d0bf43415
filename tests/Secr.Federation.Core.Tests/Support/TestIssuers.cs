using Secr.Federation.Core.Federation.Bindings;
using Secr.Federation.Core.Federation.Issuers;
using Secr.Federation.Core.Identities;

namespace Secr.Federation.Core.Tests.Support;

internal static class TestIssuers
{
    public const string Audience = "https://secr.example.com";

    public static TrustedIssuer For(IssuerKind kind, params string[] algorithms) => new()
    {
        Id = "iss-" + kind.ToText(),
        Name = kind.ToText() + "-issuer",
        IssuerUrl = "https://issuer.example.com/" + kind.ToText(),
        Kind = kind,
        KeySource = KeySource.Discovery,
        AllowedAlgorithms = algorithms.Length > 0 ? algorithms : IssuerPreset.For(kind).DefaultAlgorithms,
        ClockSkew = TimeSpan.FromSeconds(60),
        MaxTokenLifetime = TimeSpan.FromHours(1),
        ReplayPolicy = IssuerPreset.For(kind).DefaultReplayPolicy,
    };

    public static TrustBinding Binding(params BindingCondition[] conditions) => new()
    {
        Id = "b1",
        Name = "deploy",
        IssuerId = "iss",
        Conditions = conditions,
        Project = "proj",
        Environment = "prod",
        Permission = Permission.Read,
    };

    public static BindingCondition Eq(string claim, params string[] values) =>
        new(claim, ConditionOperator.Equals, values.Select(ClaimValue.String).ToList());

    public static BindingCondition NotEq(string claim, params string[] values) =>
        new(claim, ConditionOperator.NotEquals, values.Select(ClaimValue.String).ToList());

    public static BindingCondition Glob(string claim, params string[] patterns) =>
        new(claim, ConditionOperator.Glob, patterns.Select(ClaimValue.String).ToList());

    public static BindingCondition Exists(string claim) => new(claim, ConditionOperator.Exists, []);

    public static ClaimValue Number(string text) => new(System.Text.Json.JsonValueKind.Number, text);

    public static ClaimValue Bool(bool value) => new(System.Text.Json.JsonValueKind.True, value ? "true" : "false");
}
