using Secr.Federation.Core.Common;
using Secr.Federation.Core.Identities.Users;
using Secr.Federation.Core.Identities;
using Secr.Federation.Data.Users;

namespace Secr.Federation.Application.Governance;

/// <summary>How the kinds' fixes answer: what they did, in a sentence, rather than the changed record (which the identity's own endpoint shows).</summary>
public static class FixResults
{
    public static ChangeResult<FixApplied> Box<T>(ChangeResult<T> result, string summary) => Box(result, new FixApplied(summary));

    public static ChangeResult<FixApplied> Box<T>(ChangeResult<T> result, FixApplied? applied) => result.Status == ChangeStatus.Ok
        ? ChangeResult<FixApplied>.Ok(applied!)
        : new ChangeResult<FixApplied>(null, result.Status, result.Errors, result.Message, result.Code);

    public static ChangeResult<FixApplied> NothingObserved(string what, int days) =>
        ChangeResult<FixApplied>.Conflict($"no {what} were recorded in the last {days} days, so there is nothing to narrow to");

    /// <summary>The audit record's account of an allowlist set from observed use: which addresses, over how many days.</summary>
    public static string IpsSet(IReadOnlyList<Cidr> networks, int days) => $"IP allowlist set to the addresses used in {days} days: {string.Join(", ", networks)}";

    /// <summary>What the person applying it reads: the addresses were listed in the offer they accepted.</summary>
    public const string IpsUpdated = "IP allowlist updated";

    public static string KeysSet(IReadOnlyList<string> keys, int days) => $"allowlist narrowed to the keys read in {days} days: {string.Join(",", keys)}";

    /// <summary>The new owner a transfer names, refused unless they are an active user.</summary>
    public static async Task<(User? Owner, ChangeResult<FixApplied>? Refusal)> ActiveOwnerAsync(UserStore users, string? to, CancellationToken cancellationToken) =>
        await users.FindAsync(to ?? "", cancellationToken) is { Offboarded: false } owner
            ? (owner, null)
            : (null, ChangeResult<FixApplied>.Invalid("to", $"'{to}' is not an active user"));

    /// <summary>A transition the kind's lifecycle does not have.</summary>
    public static ChangeResult<FixApplied> NoSuchTransition(string type, LifecycleTransition transition) =>
        ChangeResult<FixApplied>.Invalid("transition", $"a {type} cannot be {transition.Done()}");
}
