using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.WebConsole;

/// <summary>A parameter a fix takes (days, a project, a new owner); when the fix was refused, the value sent and the store's errors for it.</summary>
public sealed record FixField(string Fix, string Name, string Label, string InputType, string? Value, IReadOnlyList<ValidationError> Errors)
{
    public string Id => $"fix-{Fix}-{Name}";

    public IEnumerable<string> Messages => Errors.Where(e => e.Field == Name).Select(e => e.Message);
}
