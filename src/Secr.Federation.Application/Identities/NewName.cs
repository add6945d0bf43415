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
}
