using Secr.Federation.Core.Common;

namespace Secr.Federation.Application.Identities;

/// <summary>The name of a new identity: a slug (<see cref="Names"/>) that no live identity of its kind has.</summary>
public static class NewName
{
    /// <summary>Adds to <paramref name="errors"/>, under <c>name</c>, why <paramref name="name"/> cannot be used; <paramref name="takenAsync"/> asks the kind's store.</summary>
    public static async Task CheckAsync(string name, Func<string, CancellationToken, Task<string?>> takenAsync, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(name))
        {
            errors.Add(new("name", $"must be {Names.Rule}"));
        }
        else if (await takenAsync(name, cancellationToken) is { } taken)
        {
            errors.Add(new("name", taken));
        }
    }

    /// <summary>Adds to <paramref name="errors"/>, under <c>display_name</c>, why <paramref name="displayName"/> cannot be shown for an identity.</summary>
    public static void CheckDisplayName(string? displayName, List<ValidationError> errors)
    {
        if (DisplayNames.Error(displayName) is { } error)
        {
            errors.Add(new("display_name", error));
        }
    }

    /// <summary>How a creation's audit record mentions the display name: <c>, shown as "Vercel deploy"</c>, or nothing.</summary>
    public static string ShownAs(string? displayName) => displayName is null ? "" : $", shown as \"{displayName}\"";

    /// <summary>What a display-name change's audit record says.</summary>
    public static string DisplayNameSet(string? displayName) => displayName is null ? "display name removed: shown by its name" : $"display name set to \"{displayName}\"";
}
