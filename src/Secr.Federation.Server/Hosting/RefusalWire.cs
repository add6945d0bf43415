using Secr.Federation.Core.Admission;

namespace Secr.Federation.Server.Hosting;

/// <summary>
/// How a refusal's code goes on the wire: the code (<c>code</c> in a problem, <c>error_code</c> in an OAuth error) and,
/// while clients move to it, the code it replaced (<see cref="RefusalCode.Former"/>) as <c>deprecated_code</c>.
/// </summary>
public static class RefusalWire
{
    public const string DeprecatedCode = "deprecated_code";

    /// <summary>The problem document's extension members for <paramref name="code"/>.</summary>
    public static Dictionary<string, object?> ProblemExtensions(string code) =>
        RefusalCode.FormerOf(code) is { } former ? new() { ["code"] = code, [DeprecatedCode] = former } : new() { ["code"] = code };
}
